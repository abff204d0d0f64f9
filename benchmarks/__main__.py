"""Run every benchmark: ``python -m benchmarks [name ...]`` (names like ``l01``, ``voila``).

Each benchmark runs in its own process (as ``python -m benchmarks.bench_<name>``), so that one
lecture's imports, caches and thread settings do not change another's numbers; each writes its
JSON to ``benchmarks/results/``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    names = argv if argv else sorted(p.stem[len("bench_") :] for p in HERE.glob("bench_*.py"))
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        done = subprocess.run([sys.executable, "-m", f"benchmarks.bench_{name}"], cwd=HERE.parent)
        if done.returncode:
            failed.append(name)
    print("results in", HERE / "results")
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
