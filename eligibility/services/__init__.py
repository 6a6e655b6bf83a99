"""Eligibility writes: each one transaction, audited; batch work set-based (DESIGN.md)."""
