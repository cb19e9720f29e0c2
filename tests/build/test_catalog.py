"""reports.toml: families to reports, selection, expansion hooks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bri_analysis import hooks
from bri_analysis.build import catalog as rc
from bri_analysis.build import inspection
from bri_analysis.paths import PROJECT_ROOT
from tests.helpers import Project, StandInExecutor


def test_catalog_turns_families_into_reports(project: Project) -> None:
    catalog = rc.load_catalog(project.catalog)
    reports = catalog.reports({})
    assert [r.id for r in reports] == ["hello", "hello-bye", "other"]
    bye = reports[1]
    assert (bye.family, bye.title, dict(bye.parameters)) == (
        "hello",
        "Goodbye",
        {"greeting": "bye", "pause": 0.0},
    )
    assert bye.notebook == project.notebooks / "ok.ipynb"
    assert bye.execution_timeout == 60 and bye.start_timeout == rc.DEFAULT_START_TIMEOUT


def test_catalog_mistakes_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "reports.toml"
    path.write_text(
        """
[family.Bad_Name]
notebook = "a.ipynb"

[family.fine]
notebok = "typo.ipynb"

[family.dated]
notebook = "a.ipynb"
parameters = { as_of = 2019-04-22 }

[[family.dated.variant]]
id = "Not OK"
""",
        encoding="utf-8",
    )
    with pytest.raises(rc.CatalogError) as err:
        rc.load_catalog(path)
    text = str(err.value)
    assert "[family.Bad_Name]: name must be lower-case" in text
    assert "unknown key 'notebok'" in text
    assert "[family.fine]: 'notebook' (a path relative to the catalog) is required" in text
    assert "write dates as strings" in text
    assert "'id' must be lower-case words joined by '-', got 'Not OK'" in text


def test_duplicate_report_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "reports.toml"
    path.write_text(
        '[family.a]\nnotebook = "a.ipynb"\n[[family.a.variant]]\nid = "b"\n'
        '[family.a-b]\nnotebook = "b.ipynb"\n',
        encoding="utf-8",
    )
    with pytest.raises(rc.CatalogError, match="duplicate report id 'a-b'"):
        rc.load_catalog(path).reports({})


def test_selection_by_family_id_and_glob(project: Project) -> None:
    reports = rc.load_catalog(project.catalog).reports({})
    families = ["hello", "other"]

    def ids(*names: str) -> list[str]:
        return [r.id for r in rc.select(reports, names, families)[0]]

    assert ids() == ["hello", "hello-bye", "other"]
    assert ids("hello") == ["hello"]  # the report, not its family
    assert ids("hello*") == ["hello", "hello-bye"]
    assert ids("hello-bye", "other") == ["hello-bye", "other"]
    assert ids("*-bye") == ["hello-bye"]
    with pytest.raises(rc.CatalogError, match=r"unknown report 'helo' \(did you mean hello"):
        ids("helo")


def test_real_catalog_declares_the_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(rc.CATALOG_ENV, raising=False)
    catalog = rc.load_catalog()
    assert catalog.path == PROJECT_ROOT / "reports.toml"
    names = {f.name: f for f in catalog.families}
    assert set(names) == {"participation", "cooperation-coverage", "event-scale", "country-profile"}
    assert all(f.notebook.parent == PROJECT_ROOT / "notebooks" for f in catalog.families)
    ids = [r.id for r in catalog.reports({})]
    assert {"participation", "participation-africa", "cooperation-coverage-2017"} <= set(ids)
    assert len(ids) == len(set(ids))
    profiles = names["country-profile"]
    assert not profiles.default and profiles.expand is not None
    module, _, func = profiles.expand.partition(":")
    assert getattr(__import__(module, fromlist=[func]), func) is hooks.country_profiles


def test_each_default_report_pins_what_its_notebook_declares(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Lab users run a notebook with its own defaults; the family's default report must match
    monkeypatch.delenv(rc.CATALOG_ENV, raising=False)
    catalog = rc.load_catalog()
    for report in (r for r in catalog.reports({}) if r.id in {f.name for f in catalog.families}):
        defaults = {
            d.name: ast.literal_eval(d.default) for d in inspection.parameter_docs(report.notebook)
        }
        for name, value in report.parameters.items():
            assert value == defaults[name], f"{report.id}: {name} pinned {value!r}"


def test_expand_hook_lists_reports_and_is_cached(project: Project, hook: list[Path]) -> None:
    executor = StandInExecutor()
    project.build("profile", executor=executor)
    assert executor.ran == ["profile-kaz", "profile-chn"]
    assert project.build("profile-kaz", executor=executor).skipped == ["profile-kaz"]
    assert len(hook) == 1  # the second build reused the manifest's expansion
    (project.data / "countries.txt").write_text("KAZ", encoding="utf-8")
    result = project.build("profile", executor=executor)
    assert len(hook) == 2 and result.built == ["profile-kaz"]
    index = (project.out / "index.html").read_text(encoding="utf-8")
    assert "Profile &lt;KAZ&gt;" in index and "<KAZ>" not in index


def test_failing_hook_fails_its_family_not_the_build(project: Project, hook: list[Path]) -> None:
    (project.data / "countries.txt").unlink()
    result = project.build(executor=StandInExecutor())
    assert result.built == ["hello", "hello-bye", "other"]
    assert list(result.failed) == ["profile"]
    assert result.failed["profile"].startswith("could not list reports: [Errno 2]")
    assert project.build("profile-kaz", executor=StandInExecutor()).failed.keys() == {"profile"}
