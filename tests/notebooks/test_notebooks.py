"""Every report notebook runs top to bottom through papermill, with its defaults and with
other parameters, and a bad parameter stops it at once with a message naming the choices.

Assertions are on the output notebook's structure (no error outputs, figures present),
not on pixels, as in papermill's own tests.
"""

from __future__ import annotations

import papermill as pm
import pytest

from bri_analysis.paths import DATA_DIR, NOTEBOOKS_DIR

pytestmark = pytest.mark.notebooks

# (notebook, parameters, minimum number of figures in the output)
RUNS = [
    ("participation", {}, 4),
    ("participation", {"region": "Europe", "as_of": "2018-06-30"}, 2),
    ("participation", {"region_scheme": "un_region", "region": "Central Asia"}, 2),
    ("cooperation_coverage", {}, 5),
    (
        "cooperation_coverage",
        {"as_of": "2016-01-01", "compare_with": None, "mechanisms": ["sco", "china_ceec"]},
        5,
    ),
    ("event_scale", {}, 6),
    ("event_scale", {"series": ["ciie"], "indicators": ["deal_value"], "start_year": 2019}, 1),
    ("country_profile", {}, 1),  # Kazakhstan: channels, mechanisms, a zone
    ("country_profile", {"iso3": "CHN"}, 1),  # many records: every event
    ("country_profile", {"iso3": "ISL"}, 1),  # no records at all
    ("explore", {}, 1),
    ("explore", {"data_dir": str(DATA_DIR)}, 1),  # an explicit data folder
]


def _run(tmp_path, name, params):
    out = tmp_path / f"{name}.ipynb"
    nb = pm.execute_notebook(
        str(NOTEBOOKS_DIR / f"{name}.ipynb"),
        str(out),
        parameters=params,
        kernel_name="python3",
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
        execution_timeout=300,
    )
    return nb


def _outputs(nb, kind):
    return [
        o
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if kind(o)
    ]


@pytest.mark.parametrize(
    ("name", "params", "figures"), RUNS, ids=[f"{n}-{i}" for i, (n, *_) in enumerate(RUNS)]
)
def test_notebook_runs_and_draws_its_figures(tmp_path, name, params, figures):
    nb = _run(tmp_path, name, params)
    assert not _outputs(nb, lambda o: o.output_type == "error")
    assert nb.metadata.papermill.exception is not True
    images = _outputs(nb, lambda o: "image/png" in o.get("data", {}))
    assert len(images) >= figures
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert bool(injected) == bool(params)


def test_profile_of_a_country_without_records_says_so(tmp_path):
    nb = _run(tmp_path, "country_profile", {"iso3": "ISL"})
    text = " ".join(
        str(o.get("data", {}).get("text/markdown", "")) for o in _outputs(nb, lambda o: True)
    )
    assert "no records" in text and "Iceland" in text


BAD = [
    ("participation", {"region": "Atlantis"}, "UnknownChoiceError", "Africa, America, Asia"),
    ("participation", {"as_of": "someday"}, "ValueError", "as_of must be a date"),
    ("cooperation_coverage", {"mechanisms": ["nato"]}, "UnknownChoiceError", "sco"),
    ("event_scale", {"series": ["olympics"]}, "UnknownChoiceError", "ciie"),
    ("country_profile", {"iso3": "XXX"}, "UnknownChoiceError", "KAZ"),
]


@pytest.mark.parametrize(("name", "params", "ename", "hint"), BAD, ids=[b[0] for b in BAD])
def test_bad_parameter_stops_the_notebook_with_the_valid_choices(
    tmp_path, name, params, ename, hint
):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        _run(tmp_path, name, params)
    assert caught.value.ename == ename
    assert hint in caught.value.evalue
    # it stops in the set-up cell (parameters, injected parameters, set-up), before any chart
    assert caught.value.exec_count <= 3
