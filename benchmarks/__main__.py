"""Run every benchmark: ``python -m benchmarks [name ...]`` (names like ``l01``, ``voila``)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None):
    names = argv if argv else sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))
    for name in names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"== {name}", flush=True)
        path = module.main()
        if path:
            data = json.loads(Path(path).read_text())
            print(json.dumps(data["results"], indent=1)[:4000])
            print(f"-> {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
