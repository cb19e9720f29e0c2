"""Run every benchmark script in this folder (``make bench``) and print their tables."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

# bench_build on the whole catalog takes ~35 min (its plain loop alone ~30 min), so
# `make bench` times a slice; `make bench-full` runs the full set (the issue-12 goals).
ORDER = [
    ("bench_load.py", []),
    ("bench_quantities.py", []),
    ("bench_countries.py", []),
    ("bench_split.py", []),
    ("bench_build.py", ["--limit", "24"]),
]


def main() -> int:
    here = Path(__file__).parent
    for name, args in ORDER:
        path = here / name
        print(f"\n## {name} {' '.join(args)}", flush=True)
        if not path.exists():
            print("(missing)")
            continue
        sys.argv = [str(path), *args]
        runpy.run_path(str(path), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
