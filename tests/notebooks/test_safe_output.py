"""Text from the data reaches the HTML reports only escaped.

The loader already rejects markup in any cell (tests/test_bad_input.py). This test checks
the second line of defence: if hostile text ever got past validation (a loader bug, frames
built by hand), the report pages still show it as text. A ``sitecustomize`` module switches
the loader's markup check off inside the report kernels only.
"""

from __future__ import annotations

import csv
import textwrap

import pytest

from bri_analysis.build.runner import build_reports
from tests.helpers import DATA_DIR, copy_data

pytestmark = pytest.mark.notebooks

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


def test_markup_in_a_party_name_is_escaped_in_the_built_report(tmp_path, monkeypatch):
    data = copy_data(DATA_DIR, tmp_path / "data")
    with open(data / "participation.csv", "a", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for name in HOSTILE:
            writer.writerow(
                [name, "organization", "regional_organization_alignment", "", "", "", "",
                 "bri_progress_2019", "I.6 item 2", "verified", ""]
            )  # fmt: skip
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        textwrap.dedent(
            """
            import bri_analysis.dataset.schemas
            bri_analysis.schemas.MARKUP_PATTERN = r"(?!)"  # matches nothing
            """
        )
    )
    monkeypatch.setenv("PYTHONPATH", str(hooks))

    result = build_reports(["participation"], data_dir=data, out_dir=tmp_path / "out",
                           progress=False)  # fmt: skip
    assert result.built == ["participation"], result.summary()
    page = (tmp_path / "out" / "participation.html").read_text(encoding="utf-8")
    for name in HOSTILE:
        assert name not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
