"""The command line: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bri_analysis import cli
from tests.helpers import FIXTURE_NOTEBOOKS, Project, StandInExecutor


def test_cli_exits_1_and_names_the_failed_report(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.notebooks / "other.ipynb").unlink()
    assert project.cli("build", "other") == 1
    out = capsys.readouterr().out
    assert "failed 1 of 1 reports" in out
    assert f"FAILED other: notebook not found: {project.notebooks / 'other.ipynb'}" in out


def test_list_command_shows_reports_and_status(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "hello  (" in out
    assert "hello-bye" in out and "greeting = 'bye'" in out


def test_unknown_report_is_refused(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.cli("build", "hello-by") == 2
    assert "unknown report 'hello-by' (did you mean hello-bye" in capsys.readouterr().err


@pytest.mark.notebooks
def test_run_executes_one_notebook_without_touching_the_site(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project.build("hello", executor=StandInExecutor())
    site_before = sorted(p.name for p in project.out.rglob("*"))
    manifest_before = (project.out / "manifest.json").read_bytes()
    page = tmp_path / "adhoc" / "page.html"
    notebook = project.notebooks / "ok.ipynb"
    args = ["run", str(notebook), "-p", "greeting=<i>ad hoc</i>", "--html", str(page)]
    assert cli.main([*args, "--notebook-out", str(tmp_path / "adhoc" / "page.ipynb")]) == 0
    assert "warm kernel" in capsys.readouterr().out
    text = page.read_text(encoding="utf-8")
    assert "&lt;i&gt;ad hoc&lt;/i&gt;" in text and "data:image/png;base64," in text
    assert (tmp_path / "adhoc" / "page.ipynb").exists()
    assert sorted(p.name for p in (tmp_path / "adhoc").iterdir()) == ["page.html", "page.ipynb"]
    assert sorted(p.name for p in project.out.rglob("*")) == site_before
    assert (project.out / "manifest.json").read_bytes() == manifest_before

    assert cli.main(["run", str(notebook), "-p", "colour=red", "--html", str(page)]) == 2
    assert "unknown parameter 'colour'" in capsys.readouterr().err
    broken = FIXTURE_NOTEBOOKS / "broken.ipynb"
    assert cli.main(["run", str(broken), "--cold", "--html", str(tmp_path / "b.html")]) == 1
    err = capsys.readouterr().err
    assert "cell 4 (In [3]): ValueError: asked to fail" in err
    assert (tmp_path / "b.failed.ipynb").exists() and not (tmp_path / "b.html").exists()
