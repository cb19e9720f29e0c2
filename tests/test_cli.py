"""The command line: exit codes and messages."""

from __future__ import annotations

import pytest

from bri_analysis import cli
from tests.helpers import Project


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
