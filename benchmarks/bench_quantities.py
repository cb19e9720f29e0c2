"""How fast ``parse_quantities`` reads a large column of stated quantities.

Run: ``.venv/bin/python benchmarks/bench_quantities.py``. Prints one row per case, each on
1,000,000 synthetic phrases such as "more than US$1,234.5 billion" or "about 69.1%": (a)
drawn from ~200 distinct phrases, as in real data where figures repeat, and (b) mostly
distinct, with random numbers, qualifiers, scales and currencies (the worst case for the
parser, which reads each distinct text once).
"""

from __future__ import annotations

import time

ROWS = 1_000_000
SEED = 2019
QUALIFIERS = ("", "", "more than ", "over ", "nearly ", "about ", "~", "up to ", "at least ", ">")
SCALES = ("", "", " million", " billion", "bn", " trillion", "trn")


def synthetic_phrases(rows: int = ROWS, seed: int = SEED) -> list[str]:
    """``rows`` random valid phrases: counts, money (US$, RMB, yuan) and percentages."""
    import numpy as np

    rng = np.random.default_rng(seed)
    qualifier = rng.choice(QUALIFIERS, rows)
    scale = rng.choice(SCALES, rows)
    number = rng.integers(0, 10_000_000, rows)
    decimals = rng.integers(0, 100, rows)
    kind = rng.integers(0, 5, rows)
    phrases = []
    for q, s, n, d, k in zip(
        qualifier, scale, number.tolist(), decimals.tolist(), kind.tolist(), strict=True
    ):
        if k == 0:
            phrases.append(f"{q}{n:,}")
        elif k == 1:
            phrases.append(f"{q}US${n:,}.{d}{s}")
        elif k == 2:
            phrases.append(f"{q}RMB {n:,}{s}")
        elif k == 3:
            phrases.append(f"{q}{n % 1000}.{d}%")
        else:
            phrases.append(f"{n:,}.{d}{s} yuan" if q else f"{n:,}-plus")
    return phrases


def main() -> None:
    """Time ``parse_quantities``; print rows, distinct strings, seconds and rows per second."""
    import numpy as np
    import pandas as pd

    from bri_analysis.dataset.quantities import parse_quantities

    distinct = pd.Series(synthetic_phrases())
    pool = np.array(synthetic_phrases(200, seed=SEED + 1), dtype=object)
    repeated = pd.Series(np.random.default_rng(SEED).choice(pool, ROWS))
    # CPU seconds next to wall seconds: a run that shares the cores shows as wall > CPU.
    print(f"{'case':<16}{'rows':>12}{'distinct':>12}{'seconds':>10}{'cpu s':>8}{'rows/s':>14}")
    for case, phrases in (("~200 phrases", repeated), ("mostly distinct", distinct)):
        start, cpu_start = time.perf_counter(), time.process_time()
        parsed = parse_quantities(phrases)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        assert len(parsed) == len(phrases)
        rate = len(phrases) / seconds
        count = phrases.nunique()
        print(f"{case:<16}{len(phrases):>12,}{count:>12,}{seconds:>10.3f}{cpu:>8.3f}{rate:>14,.0f}")


if __name__ == "__main__":
    main()
