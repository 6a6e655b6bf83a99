"""Pure benefit calculators: statutory tables in code with their citations, regional figures as
arguments, every intermediate step kept with its rule (benefit-rules.md (a)-(e), (h)).

A decision stores `snapshot(inputs)`, the result's amounts and its `rule_version`, so the same
numbers come out years later.
"""
