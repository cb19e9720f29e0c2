"""The command line: exit codes and messages."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import urllib.request
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


def test_params_shows_defaults_the_report_values_and_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["params", "participation-africa"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("report participation-africa: Participation: Africa")
    assert "  region: Optional[str] = None\n" in out
    assert "this report: 'Africa'" in out
    assert "choices: continent, un_region" in out
    assert "regional_organization_alignment" in out  # a channel id, from the data
    assert "  data_dir: Optional[str] = None\n" in out


def test_params_of_a_family_and_a_miss(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["params", "country-profile"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("family country-profile: Country profiles (")
    assert "  iso3: str = 'KAZ'" in out and "KAZ" in out.split("choices:")[1]
    assert cli.main(["params", "country-profil"]) == 2
    assert "did you mean country-profile" in capsys.readouterr().err


def _serving(out: Path) -> subprocess.Popen[str]:
    command = [str(Path(sys.executable).with_name("bri-analysis")), "serve", "--port", "0"]
    return subprocess.Popen(
        [*command, "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_serve_serves_the_site_on_localhost_until_interrupted(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<h1>reports</h1>")
    (tmp_path / "a.html").write_text("<p>page a</p>")
    server = _serving(tmp_path)
    try:
        line = server.stdout.readline()  # type: ignore[union-attr]
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        with urllib.request.urlopen(url.group(0), timeout=10) as response:
            assert response.read() == b"<h1>reports</h1>"
        with urllib.request.urlopen(url.group(0) + "a.html", timeout=10) as response:
            assert b"page a" in response.read()
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=10) == 0


def test_serve_refuses_a_folder_without_a_site(tmp_path: Path) -> None:
    server = _serving(tmp_path)
    assert server.wait(timeout=30) == 2
    assert "no index.html; build the reports first" in server.stderr.read()  # type: ignore[union-attr]


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
