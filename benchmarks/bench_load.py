"""Time `import bri_analysis` and `load_dataset()`, each in a fresh process.

Rows: the import; a cold process's `import bri_analysis` + `load_dataset()` with the dataset
cache empty (validates everything) and with a hit in the on-disk cache; `import pandas`
alone (the part of a hit no cache can save); a second call in the same process.
Goals: import under 0.3 s; cold load on a cache hit, import included, under 0.5 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile

RUNS = 5

IMPORT = "import time; t=time.perf_counter(); import bri_analysis; print(time.perf_counter()-t)"
PANDAS = "import time; t=time.perf_counter(); import pandas; print(time.perf_counter()-t)"
LOAD = (
    "import time; t=time.perf_counter()\n"
    "import bri_analysis as bri\n"
    "bri.load_dataset(); cold=time.perf_counter()-t\n"
    "t=time.perf_counter(); bri.load_dataset(); again=time.perf_counter()-t\n"
    "print(cold, again)"
)


def _run(code: str, cache: str) -> list[float]:
    env = {**os.environ, "BRI_CACHE_DIR": cache}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench_load_") as cache:
        imports = [_run(IMPORT, cache)[0] for _ in range(RUNS)]
        pandas = [_run(PANDAS, cache)[0] for _ in range(RUNS)]
        misses = [_run(LOAD, "off")[0] for _ in range(RUNS)]
        _run(LOAD, cache)  # fill the cache
        hits = [_run(LOAD, cache) for _ in range(RUNS)]
    rows = [
        ("import bri_analysis", statistics.median(imports), 0.3),
        ("import pandas (alone)", statistics.median(pandas), None),
        ("cold load, no cache", statistics.median(misses), None),
        ("cold load, cache hit", statistics.median(c for c, _ in hits), 0.5),
        ("second call, same process", statistics.median(w for _, w in hits), None),
    ]
    print(f"{'step':<26} {'median s':>9} {'goal s':>7}  (median of {RUNS} fresh processes)")
    for name, seconds, goal in rows:
        verdict = "" if goal is None else ("ok" if seconds < goal else "SLOW")
        print(f"{name:<26} {seconds:>9.3f} {goal if goal else '':>7}  {verdict}")


if __name__ == "__main__":
    main()
