"""Cases models."""
