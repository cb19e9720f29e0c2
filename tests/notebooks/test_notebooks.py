"""Every report notebook runs top to bottom through papermill, with its defaults and with
other parameters, and a bad parameter stops it at once with a message naming the choices.

Assertions are on the output notebook's structure (no error outputs, figures present),
not on pixels, as in papermill's own tests.
"""

from __future__ import annotations

import json

import papermill as pm
import pytest

from bri_analysis.paths import DATA_DIR, NOTEBOOKS_DIR

pytestmark = pytest.mark.notebooks

# (notebook, parameters, minimum number of figures in the output)
RUNS = [
    ("participation", {}, 6),
    ("participation", {"region": "Africa"}, 6),  # the map framed on Africa
    ("participation", {"region": "Europe", "as_of": "2018-06-30"}, 5),
    ("participation", {"region_scheme": "un_region", "region": "Central Asia"}, 5),
    ("cooperation_coverage", {}, 10),
    (
        "cooperation_coverage",
        {"as_of": "2016-01-01", "compare_with": None, "mechanisms": ["SCO", "china_ceec"]},
        5,
    ),
    ("event_scale", {}, 6),  # ten series: no chart per series (the site has one per series)
    ("event_scale", {"series": ["china_arab_states_expo"]}, 3),
    ("event_scale", {"series": ["ciie"], "indicators": ["deal_value"], "start_year": 2019}, 1),
    ("country_profile", {}, 1),  # Kazakhstan: channels, mechanisms, a zone
    ("country_profile", {"iso3": "egypt"}, 1),  # a name in any case; hosted an expo once
    ("country_profile", {"iso3": "CHN"}, 1),  # many records: every event
    ("country_profile", {"iso3": "ISL"}, 1),  # no records at all
    ("explore", {}, 1),
    ("explore", {"data_dir": str(DATA_DIR)}, 1),  # an explicit data folder
]
_DONE: dict[str, object] = {}


def _run(tmp_path, name, params):
    """Execute a notebook; a successful run is reused by every test that asks for it."""
    key = json.dumps([name, params], sort_keys=True)
    if key not in _DONE:
        _DONE[key] = pm.execute_notebook(
            str(NOTEBOOKS_DIR / f"{name}.ipynb"),
            str(tmp_path / f"{name}.ipynb"),
            parameters=params,
            kernel_name="python3",
            cwd=str(NOTEBOOKS_DIR),
            progress_bar=False,
            execution_timeout=300,
        )
    return _DONE[key]


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


def _text(nb) -> str:
    return " ".join(
        str(o.get("data", {}).get("text/markdown", ""))
        + str(o.get("data", {}).get("text/html", ""))
        for o in _outputs(nb, lambda o: True)
    )


def test_profile_of_a_country_without_records_says_so(tmp_path):
    text = _text(_run(tmp_path, "country_profile", {"iso3": "ISL"}))
    assert "no records" in text and "Iceland" in text


def test_profiles_open_with_the_signing_and_name_a_rotating_series(tmp_path):
    text = _text(_run(tmp_path, "country_profile", {"iso3": "egypt"}))
    assert "Egypt **first signed 2016**" in text
    assert "China-Arab States Expo (usually Yinchuan, China)" in text


def test_the_participation_report_states_the_official_count(tmp_path):
    nb = _run(tmp_path, "participation", {})
    text = _text(nb)
    assert "The official count (worldwide) stood at **126** countries on 2019-04-22" in text
    # nothing reaches JupyterLab's MathJax: tables are in a mathjax_ignore block
    html = [
        o["data"]["text/html"] for o in _outputs(nb, lambda o: "text/html" in o.get("data", {}))
    ]
    assert html and all(h.startswith('<div class="tex2jax_ignore mathjax_ignore">') for h in html)


def test_per_series_charts_are_drawn_for_a_few_series_only(tmp_path):
    every = _text(_run(tmp_path, "event_scale", {}))
    assert "10 series selected: select at most three to draw a chart per series" in every


def test_a_regional_report_says_which_sections_are_worldwide(tmp_path):
    text = _text(_run(tmp_path, "participation", {"region": "Africa"}))
    assert "in Africa" in text
    assert "The official count is worldwide" in text


BAD = [
    ("participation", {"region": "Atlantis"}, "UnknownChoiceError", "Africa, America, Asia"),
    ("participation", {"as_of": "someday"}, "ValueError", "as_of must be a date"),
    ("cooperation_coverage", {"mechanisms": ["nato"]}, "UnknownChoiceError", "sco"),
    ("event_scale", {"series": ["olympics"]}, "UnknownChoiceError", "ciie"),
    ("country_profile", {"iso3": "Mongolai"}, "UnknownChoiceError", "did you mean 'Mongolia'"),
    ("participation", {"as_of": "04/05/2019"}, "ValueError", "as_of must be a date"),
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
