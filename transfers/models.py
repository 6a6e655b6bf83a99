"""Transfers models."""
