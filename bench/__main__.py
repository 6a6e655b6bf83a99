"""python -m bench [name ...]: run the benchmarks and print one BENCH line each."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench
from bench.harness import Result, setup_django


def main(selected: list[str]) -> int:
    setup_django()
    modules = sorted(
        info.name for info in pkgutil.iter_modules(bench.__path__) if info.name.startswith("bench_")
    )
    if selected:
        modules = [name for name in modules if name.removeprefix("bench_") in selected]
    failed = []
    for name in modules:
        module = importlib.import_module(f"bench.{name}")
        results: list[Result] = module.run()
        for result in results:
            print(result.line(), flush=True)
            if not result.ok:
                failed.append(result.name)
    if failed:
        print(f"BENCH over target: {', '.join(failed)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
