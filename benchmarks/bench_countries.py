"""How fast ``to_iso3`` harmonizes a large column of repeated country names.

Run: ``.venv/bin/python benchmarks/bench_countries.py``. Prints one row per case: a cold
call (builds coco's converter) and warm calls on 1,000,000 rows drawn from ~250 names.
"""

from __future__ import annotations

import time

ROWS = 1_000_000
SEED = 2019
# Spellings other than coco's short names, as curators and sources write them.
VARIANTS = ("Lao PDR", "Türkiye", "Czech Republic", "Bosnia & Herzegovina", "UK", "UAE")


def synthetic_names(rows: int = ROWS, seed: int = SEED) -> list[str]:
    """``rows`` names drawn uniformly from coco's short names plus a few variants."""
    import numpy as np

    from bri_analysis.dataset.countries import country_regions

    pool = np.array([*country_regions()["name"], *VARIANTS], dtype=object)
    return np.random.default_rng(seed).choice(pool, size=rows).tolist()


def main() -> None:
    """Time ``to_iso3`` and print rows, distinct names, seconds and rows per second."""
    import pandas as pd

    from bri_analysis.dataset import countries

    names = pd.Series(synthetic_names(), dtype="string")
    distinct = names.nunique()
    countries._converter.cache_clear()
    countries._known_iso3.cache_clear()
    print(f"{'case':<12}{'rows':>12}{'distinct':>10}{'seconds':>10}{'rows/s':>14}")
    for case in ("cold", "warm", "warm"):
        start = time.perf_counter()
        iso3 = countries.to_iso3(names, aliases={})
        seconds = time.perf_counter() - start
        assert iso3.notna().all()
        rate = len(names) / seconds
        print(f"{case:<12}{len(names):>12,}{distinct:>10}{seconds:>10.3f}{rate:>14,.0f}")


if __name__ == "__main__":
    main()
