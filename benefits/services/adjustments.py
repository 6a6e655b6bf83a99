"""Annual adjustments (to be written)."""
