"""Benefits models."""
