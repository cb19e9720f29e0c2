"""Time `import bri_analysis` and cold / warm `load_dataset()`, each in a fresh process.

Goals: import under 0.3 s, cold load under 1 s (a warm load is a cache hit).
"""

from __future__ import annotations

import statistics
import subprocess
import sys

RUNS = 5

IMPORT = "import time; t=time.perf_counter(); import bri_analysis; print(time.perf_counter()-t)"
LOAD = (
    "import time, bri_analysis as bri\n"
    "t=time.perf_counter(); bri.load_dataset(); cold=time.perf_counter()-t\n"
    "t=time.perf_counter(); bri.load_dataset(); warm=time.perf_counter()-t\n"
    "print(cold, warm)"
)


def _run(code: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    imports = [_run(IMPORT)[0] for _ in range(RUNS)]
    loads = [_run(LOAD) for _ in range(RUNS)]
    rows = [
        ("import bri_analysis", statistics.median(imports), 0.3),
        ("load_dataset() cold", statistics.median(c for c, _ in loads), 1.0),
        ("load_dataset() warm", statistics.median(w for _, w in loads), None),
    ]
    print(f"{'step':<22} {'median s':>9} {'goal s':>7}  (median of {RUNS} fresh processes)")
    for name, seconds, goal in rows:
        verdict = "" if goal is None else ("ok" if seconds < goal else "SLOW")
        print(f"{name:<22} {seconds:>9.3f} {goal if goal else '':>7}  {verdict}")


if __name__ == "__main__":
    main()
