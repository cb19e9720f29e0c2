"""Exporting the cleaned tables: every table written, formulas neutralised, no half files."""

from __future__ import annotations

import csv
import sys

import pandas as pd
import pytest

from bri_analysis import load_dataset
from bri_analysis.cli import main
from bri_analysis.dataset.export import export_tables, guard_formulas


def test_export_writes_every_table_as_csv(fixture_data, tmp_path):
    ds = load_dataset(fixture_data)
    written = export_tables(ds, tmp_path / "out")
    assert sorted(p.stem for p in written) == sorted(ds.table_names)
    facts = pd.read_csv(tmp_path / "out" / "facts.csv")
    assert facts.loc[0, "value_text"] == "more than 1,600"
    assert facts.loc[0, "as_of"] == "2017-05-15"  # the closing day of the event
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_formula_like_cells_are_made_literal():
    frame = pd.DataFrame(
        {"party": ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+cmd", "Kenya"], "n": [1, 2, 3, 4]}
    )
    guarded = guard_formulas(frame)
    assert guarded["party"].tolist() == [
        '\'=HYPERLINK("http://x","y")',
        "'@SUM(A1)",
        "'+cmd",
        "Kenya",
    ]
    assert guard_formulas(pd.DataFrame({"v": ["-2.6%", "+16.4%"]}))["v"].tolist() == [
        "-2.6%",
        "+16.4%",
    ]


def test_cli_export(fixture_data, tmp_path, capsys):
    assert main(["export", "--data-dir", str(fixture_data), str(tmp_path / "csv")]) == 0
    with open(tmp_path / "csv" / "zones.csv", newline="") as fh:
        assert next(csv.reader(fh))[0] == "zone_id"


def test_exported_files_are_readable_by_others_like_any_new_file(fixture_dataset, tmp_path):
    # the export once had its own copy of the atomic writer, without the chmod: mode 0600
    from bri_analysis.fileio import new_file_mode

    for path in export_tables(fixture_dataset, tmp_path / "out"):
        assert path.stat().st_mode & 0o777 == new_file_mode(), path.name


def test_parquet_without_pyarrow_is_a_clear_one_line_error(
    fixture_data, tmp_path, capsys, monkeypatch
):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if it were not installed
    out = tmp_path / "pq"
    code = main(["export", "--format", "parquet", "--data-dir", str(fixture_data), str(out)])
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "error: Parquet export needs pyarrow: pip install 'bri-analysis[parquet]'"
    )
    assert not out.exists()


def test_parquet_export_round_trips(fixture_dataset, tmp_path):
    pytest.importorskip("pyarrow")
    export_tables(fixture_dataset, tmp_path, "parquet")
    facts = pd.read_parquet(tmp_path / "facts.parquet")
    assert facts["value_text"].tolist() == fixture_dataset.facts["value_text"].tolist()
