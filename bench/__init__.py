"""Benchmarks: each prints one line comparing the real path with a physical-limit baseline
measured in the same run:

    BENCH name=<name> seconds=<s> baseline_seconds=<b> ratio=<s/b> target=<max ratio>

Run with `make bench`. Each module `bench/bench_*.py` defines `run() -> list[Result]`.
"""
