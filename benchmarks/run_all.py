"""Run every benchmark script in this folder (``make bench``) and print their tables."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

ORDER = ["bench_load.py", "bench_quantities.py", "bench_countries.py", "bench_build.py"]


def main() -> int:
    here = Path(__file__).parent
    for name in ORDER:
        path = here / name
        print(f"\n## {name}", flush=True)
        if not path.exists():
            print("(missing)")
            continue
        sys.argv = [str(path)]
        runpy.run_path(str(path), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
