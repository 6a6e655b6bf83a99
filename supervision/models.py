"""Supervision models."""
