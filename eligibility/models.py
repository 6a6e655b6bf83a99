"""Eligibility models."""
