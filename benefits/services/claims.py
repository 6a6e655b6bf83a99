"""Claims (to be written)."""
