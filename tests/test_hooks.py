"""Catalog hooks that read the BRI data."""

from __future__ import annotations

from pathlib import Path

from bri_analysis import hooks
from bri_analysis.build.catalog import Variant
from tests.helpers import FIXTURE_DATA


def test_countries_with_records_makes_one_profile_per_country(tmp_path: Path) -> None:
    variants = hooks.country_profiles(FIXTURE_DATA)
    # fixture data: Kazakhstan (participation, zone, membership), Laos, Greece, Hungary,
    # Italy, Kenya (participation), China (events, membership), India, the Netherlands
    # ("Holland"), Iran (memberships)
    assert [v.slug for v in variants] == [
        "chn", "grc", "hun", "ind", "irn", "ita", "kaz", "ken", "lao", "nld"
    ]  # fmt: skip
    assert variants[6] == Variant("kaz", "Country profile: Kazakhstan", {"iso3": "KAZ"})
