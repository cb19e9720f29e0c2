"""The batch report builder: catalog, parameter checks, incremental builds, failures, site.

Tests marked ``notebooks`` run real kernels on the fixture notebooks; the others use a
stand-in executor (the runner accepts any ``concurrent.futures.Executor``) so the
incremental logic is tested without starting kernels.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import types
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path

import pytest

from bri_analysis import build, cli, site, worker
from bri_analysis import manifest as mf
from bri_analysis import report_catalog as rc
from bri_analysis.paths import PROJECT_ROOT

FIXTURE_NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
_real_library_hash = mf.library_hash

CATALOG = """
[build]
execution_timeout = 60

[family.hello]
title = "Hello"
description = "The fixture notebook."
notebook = "notebooks/ok.ipynb"

[[family.hello.variant]]
id = "bye"
title = "Goodbye"
parameters = { greeting = "bye" }

[family.other]
title = "Other"
notebook = "notebooks/other.ipynb"
"""


class Project:
    """A throw-away project: notebooks, a data folder, a catalog and an output folder."""

    def __init__(self, root: Path, catalog: str = CATALOG):
        self.root = root
        self.notebooks = root / "notebooks"
        self.notebooks.mkdir()
        shutil.copy(FIXTURE_NOTEBOOKS / "ok.ipynb", self.notebooks / "ok.ipynb")
        shutil.copy(FIXTURE_NOTEBOOKS / "ok.ipynb", self.notebooks / "other.ipynb")
        self.data = root / "data"
        self.data.mkdir()
        (self.data / "numbers.csv").write_text("n,label\n1,one\n2,two\n", encoding="utf-8")
        (self.data / "sources.csv").write_text("source_id\nfixture\n", encoding="utf-8")
        self.catalog = root / "reports.toml"
        self.catalog.write_text(catalog, encoding="utf-8")
        self.out = root / "reports"

    def build(self, *names: str, **kwargs) -> build.BuildResult:
        kwargs.setdefault("data_dir", self.data)
        return build.build_reports(
            names, catalog=self.catalog, out_dir=self.out, progress=False, **kwargs
        )

    def cli(self, *argv: str) -> int:
        return cli.main([*argv, "--out", str(self.out), "--data-dir", str(self.data)])

    def manifest(self) -> dict:
        return json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))["reports"]

    def edit_cell(self, notebook: str, index: int, source: str) -> None:
        path = self.notebooks / notebook
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["cells"][index]["source"] = source
        path.write_text(json.dumps(nb), encoding="utf-8")


class StandInExecutor(Executor):
    """Records what it is asked to run and writes placeholder outputs instead of a kernel."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        assert fn is worker.run_report
        (task,) = args
        self.ran.append(task.report_id)
        paths = site.OutputPaths.of(task.out_dir, task.report_id)
        site.write_atomic(paths.html, f"<p>{task.report_id}</p>")
        site.write_atomic(paths.notebook, json.dumps({"parameters": task.parameters}))
        future: Future = Future()
        future.set_result(worker.Outcome(task.report_id, True, "now", 0.5))
        return future


@pytest.fixture(autouse=True)
def steady_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the library's hash: an edit to bri_analysis in the middle of a test (an editable
    install in a working tree) would otherwise rebuild what the test expects skipped."""
    pinned = mf.library_hash()
    monkeypatch.setattr(mf, "library_hash", lambda: pinned)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    proj = Project(tmp_path)
    monkeypatch.setenv(rc.CATALOG_ENV, str(proj.catalog))
    return proj


# --- catalog ---------------------------------------------------------------------------


def test_catalog_turns_families_into_reports(project: Project) -> None:
    catalog = rc.load_catalog(project.catalog)
    reports = catalog.reports({})
    assert [r.id for r in reports] == ["hello", "hello-bye", "other"]
    bye = reports[1]
    assert (bye.family, bye.title, dict(bye.parameters)) == (
        "hello",
        "Goodbye",
        {"greeting": "bye"},
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
    assert getattr(__import__(module, fromlist=[func]), func) is rc.countries_with_records


# --- parameters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("True", True),
        ("false", False),
        ("None", None),
        ("12", 12),
        ("-1.5", -1.5),
        ("2019-04-22", "2019-04-22"),
        ('["a", "b"]', ["a", "b"]),
        ("Kazakhstan", "Kazakhstan"),
        ("", ""),
    ],
)
def test_parse_value_types_like_papermill(text: str, value: object) -> None:
    assert rc.parse_value(text) == value
    assert type(rc.parse_value(text)) is type(value)


def test_parse_parameters_names_each_bad_option() -> None:
    assert rc.parse_parameters(["a=1", "b = x"]) == {"a": 1, "b": " x"}
    with pytest.raises(rc.CatalogError) as err:
        rc.parse_parameters(["novalue", "1x=2", "c=[1,"])
    assert [p.split(":")[0] for p in err.value.problems] == [
        "-p 'novalue'",
        "-p '1x=2'",
        "-p 'c=[1,'",
    ]


def test_parameter_checks_read_the_parameters_cell() -> None:
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {"tags": ["parameters"]}, "source": "x = 1"},
            {
                "cell_type": "code",
                "metadata": {"tags": ["parameters"]},
                "source": [
                    'as_of: str = "2019-04-22"\n',
                    "region: str | None = None\n",
                    "share: float = 0.5\n",
                    "top: int = 10\n",
                    "channels: list[str] | None = None\n",
                    "scheme: Literal['continent', 'un_region'] = 'continent'\n",
                    "legacy = 3\n",
                ],
            },
        ]
    }
    declared = rc.declared_parameters(Path("nb.ipynb"), nb)
    assert list(declared) == ["as_of", "region", "share", "top", "channels", "scheme", "legacy"]
    good = {"region": None, "share": 1, "top": 3, "channels": ["a"], "scheme": "un_region"}
    assert rc.parameter_problems("r", {**good, "legacy": "anything"}, declared) == []
    bad = {"top": True, "share": "half", "channels": "a", "scheme": "world", "regoin": "Asia"}
    problems = rc.parameter_problems("r", bad, declared)
    assert len(problems) == 5
    assert "r: parameter 'top' expects int, got True" in problems
    assert any(
        "unknown parameter 'regoin'; the notebook declares as_of, channels" in p for p in problems
    )


def test_notebook_without_parameters_cell_fails_its_reports_only(project: Project) -> None:
    project.edit_cell("other.ipynb", 1, "x = 1")
    project.notebooks.joinpath("other.ipynb").write_text(
        project.notebooks.joinpath("other.ipynb").read_text().replace('"parameters"', '"params"')
    )
    result = project.build(executor=StandInExecutor())
    assert result.built == ["hello", "hello-bye"]
    assert result.failed["other"].endswith("other.ipynb: no code cell tagged 'parameters'")


def test_notebook_without_parameters_cell_is_an_error() -> None:
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": "x = 1"}]}
    with pytest.raises(rc.CatalogError, match="no code cell tagged 'parameters'"):
        rc.declared_parameters(Path("nb.ipynb"), nb)


def test_unknown_parameter_is_refused_before_any_kernel(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert project.cli("build", "-p", "colour=red", "-p", "pause=long") == 2
    err = capsys.readouterr().err
    assert "unknown parameter 'colour'; the notebook declares data_dir, greeting, pause" in err
    assert "parameter 'pause' expects float, got 'long'" in err
    assert not project.out.exists()  # nothing ran, nothing written


def test_unknown_parameter_in_the_catalog_is_refused(project: Project) -> None:
    project.catalog.write_text(CATALOG.replace('greeting = "bye"', 'greting = "bye"'))
    with pytest.raises(
        rc.CatalogError, match=r"hello-bye \(catalog\): unknown parameter 'greting'"
    ):
        project.build(executor=StandInExecutor())


def test_override_of_a_parameter_that_tells_reports_apart_is_refused(project: Project) -> None:
    with pytest.raises(rc.CatalogError, match="2 selected reports differ in 'greeting'"):
        project.build("hello*", parameters={"greeting": "same"}, executor=StandInExecutor())
    one = project.build("hello-bye", parameters={"greeting": "x"}, executor=StandInExecutor())
    assert one.built == ["hello-bye"]


def test_unknown_report_is_refused(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.cli("build", "hello-by") == 2
    assert "unknown report 'hello-by' (did you mean hello-bye" in capsys.readouterr().err


# --- incremental builds (stand-in executor, no kernels) ---------------------------------


def test_second_build_skips_everything_and_force_rebuilds(project: Project) -> None:
    executor = StandInExecutor()
    first = project.build(executor=executor)
    assert (first.built, first.skipped, first.exit_code) == (["hello", "hello-bye", "other"], [], 0)
    second = project.build(executor=executor)
    assert second.built == [] and second.skipped == ["hello", "hello-bye", "other"]
    assert executor.ran == ["hello", "hello-bye", "other"]
    forced = project.build("hello*", executor=executor, force=True)
    assert sorted(forced.built) == ["hello", "hello-bye"]


def test_noop_build_imports_nothing_heavy(project: Project) -> None:
    project.build(executor=StandInExecutor())
    code = (
        "import sys\n"
        "from bri_analysis import build, manifest\n"
        f"manifest.library_hash = lambda: {mf.library_hash()!r}\n"
        f"r = build.build_reports(catalog={str(project.catalog)!r}, out_dir={str(project.out)!r},"
        f" data_dir={str(project.data)!r}, progress=False)\n"
        "heavy = {'pandas', 'nbformat', 'nbconvert', 'papermill', 'matplotlib', 'tqdm'}\n"
        "print(len(r.skipped), sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["3", "[]"]


def test_changed_data_file_rebuilds_every_report(project: Project) -> None:
    project.build(executor=StandInExecutor())
    (project.data / "numbers.csv").write_text("n,label\n1,one\n", encoding="utf-8")
    executor = StandInExecutor()
    project.build(executor=executor)
    assert sorted(executor.ran) == ["hello", "hello-bye", "other"]


def test_new_data_file_rebuilds_but_hidden_files_do_not(project: Project) -> None:
    project.build(executor=StandInExecutor())
    (project.data / ".numbers.csv.swp").write_text("editor litter", encoding="utf-8")
    assert project.build(executor=StandInExecutor()).built == []
    (project.data / "external").mkdir()
    (project.data / "external" / "shapes.txt").write_text("new", encoding="utf-8")
    assert len(project.build(executor=StandInExecutor()).built) == 3


def test_changed_notebook_rebuilds_only_its_reports(project: Project) -> None:
    project.build(executor=StandInExecutor())
    project.edit_cell("other.ipynb", 2, "print('changed')")
    executor = StandInExecutor()
    result = project.build(executor=executor)
    assert executor.ran == ["other"]
    assert result.skipped == ["hello", "hello-bye"]


def test_saving_outputs_into_a_notebook_does_not_rebuild(project: Project) -> None:
    project.build(executor=StandInExecutor())
    path = project.notebooks / "other.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]
    nb["cells"][2]["execution_count"] = 7
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert project.build(executor=StandInExecutor()).built == []


def test_parameter_override_rebuilds_and_is_recorded(project: Project) -> None:
    project.build(executor=StandInExecutor())
    executor = StandInExecutor()
    project.build("hello-bye", executor=executor, parameters={"greeting": "ciao"})
    assert executor.ran == ["hello-bye"]
    recorded = project.manifest()["hello-bye"]["parameters"]
    assert recorded == {"greeting": "ciao", "data_dir": str(project.data.resolve())}


def test_deleted_output_or_unreadable_manifest_rebuilds(project: Project) -> None:
    project.build(executor=StandInExecutor())
    (project.out / "hello.html").unlink()
    assert project.build(executor=StandInExecutor()).built == ["hello"]
    (project.out / "manifest.json").write_text("{not json", encoding="utf-8")
    assert len(project.build(executor=StandInExecutor()).built) == 3


def test_library_hash_follows_source_not_caches(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(mf.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = _real_library_hash(package)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"cache")
    assert _real_library_hash(package) == before
    (package / "build.py").write_text("# changed\n", encoding="utf-8")
    assert _real_library_hash(package) != before


def test_dependency_versions_name_missing_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mf, "DEPENDENCIES", ("papermill", "no-such-package-for-bri"))
    versions = mf.dependency_versions()
    assert set(versions) == {"python", "papermill", "no-such-package-for-bri"}
    assert versions["no-such-package-for-bri"] == "missing"
    assert versions["papermill"][0].isdigit()


def test_missing_notebook_fails_that_report_only(project: Project) -> None:
    (project.notebooks / "other.ipynb").unlink()
    result = project.build(executor=StandInExecutor())
    assert result.built == ["hello", "hello-bye"]
    assert result.failed == {"other": f"notebook not found: {project.notebooks / 'other.ipynb'}"}
    assert result.exit_code == 1
    assert "FAILED other: notebook not found" in result.summary()


def test_summary_groups_reports_failing_the_same_way(tmp_path: Path) -> None:
    result = build.BuildResult(tmp_path, built=["a"])
    result.failed = {f"p-{i}": "notebook not found: nb.ipynb" for i in range(5)}
    result.failed["q"] = "cell 2 (In [2]): KeyError: 'x'"
    lines = result.summary().splitlines()
    assert lines[0].startswith("built 1, skipped 0 (unchanged), failed 6 of 7 reports")
    assert lines[1] == "FAILED 5 reports (p-0, p-1, p-2 and 2 more): notebook not found: nb.ipynb"
    assert lines[2] == "FAILED q: cell 2 (In [2]): KeyError: 'x'"


def test_cli_exits_1_and_names_the_failed_report(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.notebooks / "other.ipynb").unlink()
    assert project.cli("build", "other") == 1
    out = capsys.readouterr().out
    assert "failed 1 of 1 reports" in out
    assert f"FAILED other: notebook not found: {project.notebooks / 'other.ipynb'}" in out


# --- expansion hooks -------------------------------------------------------------------


@pytest.fixture
def hook(project: Project, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """A hook module ``fake_hooks:countries`` reading codes from data/countries.txt."""
    calls: list[Path] = []

    def countries(data_dir: Path) -> list[rc.Variant]:
        calls.append(data_dir)
        codes = (data_dir / "countries.txt").read_text(encoding="utf-8").split()
        return [rc.Variant(c.lower(), f"Profile <{c}>", {"greeting": c}) for c in codes]

    module = types.ModuleType("fake_hooks")
    module.countries = countries  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_hooks", module)
    (project.data / "countries.txt").write_text("KAZ CHN", encoding="utf-8")
    project.catalog.write_text(
        CATALOG + '\n[family.profile]\nnotebook = "notebooks/ok.ipynb"\ndefault = false\n'
        'expand = "fake_hooks:countries"\n',
        encoding="utf-8",
    )
    return calls


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


def test_countries_with_records_makes_one_profile_per_country(tmp_path: Path) -> None:
    from tests.conftest import FIXTURE_DATA

    variants = rc.countries_with_records(FIXTURE_DATA)
    # fixture data: Kazakhstan (participation, zone, membership), Laos (participation),
    # China (events, membership), India, the Netherlands ("Holland"), Iran (memberships)
    assert [v.slug for v in variants] == ["chn", "ind", "irn", "kaz", "lao", "nld"]
    assert variants[3] == rc.Variant("kaz", "Country profile: Kazakhstan", {"iso3": "KAZ"})


# --- site ------------------------------------------------------------------------------


def test_index_lists_every_report_and_escapes_text(project: Project) -> None:
    project.catalog.write_text(CATALOG.replace('title = "Goodbye"', 'title = "<script>x</script>"'))
    (project.notebooks / "other.ipynb").unlink()
    project.build("hello", executor=StandInExecutor())
    index = (project.out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;x&lt;/script&gt;" in index and "<script>x" not in index
    assert '<a href="hello.html">Hello</a>' in index
    assert "greeting = &#x27;bye&#x27;" in index
    assert "failed: notebook not found" not in index  # other was not selected
    assert '<tr id="other"><td>Other<br><code>other</code></td>' in index
    assert ">not built<" in index


def test_write_atomic_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "page.html"
    site.write_atomic(target, "old")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(site.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        site.write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_list_command_shows_reports_and_status(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "hello  (" in out
    assert "hello-bye" in out and "greeting = 'bye'" in out


# --- real kernels ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    """Warm worker processes shared by the kernel tests (each worker imports papermill once)."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as executor:
        yield executor


@pytest.mark.notebooks
def test_broken_report_keeps_last_good_page_and_the_others_build(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    proj = Project(
        tmp_path,
        '[family.hello]\nnotebook = "notebooks/ok.ipynb"\n'
        '[family.fragile]\nnotebook = "notebooks/fragile.ipynb"\n',
    )
    shutil.copy(FIXTURE_NOTEBOOKS / "ok.ipynb", proj.notebooks / "fragile.ipynb")
    assert proj.build(executor=pool).built == ["hello", "fragile"]
    good_page = (proj.out / "fragile.html").read_bytes()
    good_notebook = (proj.out / "notebooks" / "fragile.ipynb").read_bytes()

    shutil.copy(FIXTURE_NOTEBOOKS / "broken.ipynb", proj.notebooks / "fragile.ipynb")
    result = proj.build(executor=pool, force=True)
    assert (result.built, list(result.failed), result.exit_code) == (["hello"], ["fragile"], 1)
    out = result.summary()
    assert "built 1, skipped 0 (unchanged), failed 1 of 2 reports" in out
    assert "FAILED fragile: cell 4 (In [4]): ValueError: asked to fail" in out
    assert (proj.out / "fragile.html").read_bytes() == good_page
    assert (proj.out / "notebooks" / "fragile.ipynb").read_bytes() == good_notebook
    failed = json.loads((proj.out / "failed" / "fragile.ipynb").read_text(encoding="utf-8"))
    assert failed["metadata"]["papermill"]["exception"] is True
    entry = proj.manifest()["fragile"]
    assert entry["status"] == "failed" and entry["last_good"]["built_at"]
    index = (proj.out / "index.html").read_text(encoding="utf-8")
    assert "failed: cell 4 (In [4]): ValueError: asked to fail" in index
    assert '<a href="fragile.html">last good page</a>' in index

    again = proj.build(executor=pool)  # the good report is skipped, the failed one retried
    assert (again.skipped, list(again.failed)) == (["hello"], ["fragile"])


@pytest.mark.notebooks
def test_override_reaches_the_notebook_and_the_page_is_offline(project: Project) -> None:
    # the default executor: a fresh process pool
    result = project.build("other", parameters={"greeting": "<b>salut</b>"}, jobs=1)
    assert result.built == ["other"], result.summary()
    nb = json.loads((project.out / "notebooks" / "other.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"]["greeting"] == "<b>salut</b>"
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and "<b>salut</b>" in "".join(injected[0]["source"])
    printed = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert "<b>salut</b>\n" in printed and "1,one" in printed  # read from --data-dir

    page = (project.out / "other.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;salut&lt;/b&gt;" in page and "<b>salut</b>" not in page
    assert "data:image/png;base64," in page  # the figure is embedded
    assert "<script src=" not in page and "time.sleep(pause)" not in page
    assert not (project.out / "failed" / "other.ipynb").exists()


@pytest.mark.notebooks
def test_cell_timeout_fails_the_report_with_its_cell(
    project: Project, pool: ProcessPoolExecutor
) -> None:
    project.catalog.write_text(CATALOG.replace("execution_timeout = 60", "execution_timeout = 2"))
    result = project.build("other", parameters={"pause": 30}, executor=pool)
    assert result.failed["other"].startswith("cell 3 (In [3]): CellTimeoutError: A cell timed out")
    assert not (project.out / "other.html").exists()
    assert (project.out / "failed" / "other.ipynb").exists()
