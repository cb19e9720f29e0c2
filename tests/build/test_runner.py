"""The runner: incremental builds, failures, real kernels on the fixture notebooks.

Tests marked ``notebooks`` run real kernels on the fixture notebooks; the others use a
stand-in executor (the runner accepts any ``concurrent.futures.Executor``), so the
incremental logic is tested without starting kernels.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bri_analysis.build import catalog as rc
from bri_analysis.build import manifest as mf
from bri_analysis.build import runner as build
from tests.helpers import CATALOG, FIXTURE_NOTEBOOKS, Project, StandInExecutor

PINS = 'parameters = { greeting = "hi", pause = 0.0 }\n'  # every parameter of ok.ipynb


def test_notebook_without_parameters_cell_fails_its_reports_only(project: Project) -> None:
    project.edit_cell("other.ipynb", 1, "x = 1")
    project.notebooks.joinpath("other.ipynb").write_text(
        project.notebooks.joinpath("other.ipynb").read_text().replace('"parameters"', '"params"')
    )
    result = project.build(executor=StandInExecutor())
    assert result.built == ["hello", "hello-bye"]
    assert result.failed["other"].endswith("other.ipynb: no code cell tagged 'parameters'")


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
    assert recorded == {"greeting": "ciao", "pause": 0.0, "data_dir": str(project.data.resolve())}


def test_deleted_output_or_unreadable_manifest_rebuilds(project: Project) -> None:
    project.build(executor=StandInExecutor())
    (project.out / "hello.html").unlink()
    assert project.build(executor=StandInExecutor()).built == ["hello"]
    (project.out / "manifest.json").write_text("{not json", encoding="utf-8")
    assert len(project.build(executor=StandInExecutor()).built) == 3


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


@pytest.mark.notebooks
def test_broken_report_keeps_last_good_page_and_the_others_build(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    proj = Project(
        tmp_path,
        '[family.hello]\nnotebook = "notebooks/ok.ipynb"\n'
        + PINS
        + '[family.fragile]\nnotebook = "notebooks/fragile.ipynb"\n'
        + PINS,
    )
    shutil.copy(FIXTURE_NOTEBOOKS / "ok.ipynb", proj.notebooks / "fragile.ipynb")
    assert proj.build(executor=pool).built == ["hello", "fragile"]
    good_page = (proj.out / "fragile.html").read_bytes()
    good_notebook = (proj.out / "notebooks" / "fragile.ipynb").read_bytes()

    shutil.copy(FIXTURE_NOTEBOOKS / "broken.ipynb", proj.notebooks / "fragile.ipynb")
    text = proj.catalog.read_text(encoding="utf-8")  # broken.ipynb declares only data_dir
    proj.catalog.write_text(text.removesuffix(PINS), encoding="utf-8")
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


def test_a_page_replaced_behind_the_manifest_is_rebuilt(project: Project) -> None:
    project.build(executor=StandInExecutor())
    (project.out / "hello.html").write_text("<p>written by someone else</p>", encoding="utf-8")
    executor = StandInExecutor()
    project.build(executor=executor)
    assert executor.ran == ["hello"]


def test_an_unpinned_notebook_parameter_is_refused_before_anything_is_written(
    project: Project,
) -> None:
    project.catalog.write_text(
        CATALOG.replace('parameters = { greeting = "hi", pause = 0.0 }\n', "", 1)
    )
    with pytest.raises(rc.CatalogError) as err:
        project.build(executor=StandInExecutor())
    text = str(err.value)
    assert "hello (catalog): notebook parameter 'greeting' is not pinned" in text
    assert "hello (catalog): notebook parameter 'pause' is not pinned" in text
    assert "hello-bye" not in text.split("'greeting'")[1]  # one line per family and name
    assert not project.out.exists()


def test_none_pins_are_checked_like_any_value(project: Project) -> None:
    pinned = 'parameters = { pause = 0.0 }\nnone = ["greeting"]'
    project.catalog.write_text(
        CATALOG.replace('parameters = { greeting = "hi", pause = 0.0 }', pinned, 1)
    )
    with pytest.raises(rc.CatalogError, match="parameter 'greeting' expects str, got None"):
        project.build("hello", executor=StandInExecutor())
