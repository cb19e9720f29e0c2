"""Hostile or broken output folders: one line, exit 1, no traceback, nothing lost.

Read-only and full folders are made for real, with a read-only bind mount and a tiny
tmpfs inside a user and mount namespace (``unshare``), since root ignores file modes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bri_analysis import cli
from tests.helpers import CATALOG, Project, StandInExecutor


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert "Traceback" not in err[0]
    return err[0]


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_out_pointing_at_a_file(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.out.write_text("not a folder", encoding="utf-8")
    assert project.cli("build") == 1
    assert "is a file, not a folder" in _one_error(capsys)
    assert project.out.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("planted", ["hello.html", "notebooks", "manifest.json", "index.html"])
def test_a_planted_symlink_is_never_followed(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], planted: str
) -> None:
    project.build(executor=StandInExecutor())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("keep me", encoding="utf-8")
    target = project.out / planted
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    target.symlink_to(outside if planted == "notebooks" else outside / "victim.txt")
    before = _digests(project.out)
    assert project.cli("build", "--force") == 1
    assert f"{target} is a symbolic link" in _one_error(capsys)
    assert _digests(outside) == {"victim.txt": hashlib.sha256(b"keep me").hexdigest()}
    assert _digests(project.out) == before


def test_malformed_manifest_rebuilds_what_it_cannot_vouch_for(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.build(executor=StandInExecutor())
    path = project.out / "manifest.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    body["reports"]["hello"] = "garbage"
    body["reports"]["other"]["outputs"] = 7
    path.write_text(json.dumps(body), encoding="utf-8")
    notes: list[str] = []
    executor = StandInExecutor()
    result = project.build(executor=executor, on_note=notes.append)
    assert sorted(executor.ran) == ["hello", "other"] and result.skipped == ["hello-bye"]
    assert len(notes) == 1 and "2 malformed record(s) (hello, other)" in notes[0]
    assert (
        json.loads((project.out / "manifest.json.bad").read_text())["reports"]["hello"] == "garbage"
    )

    path.write_text("{not json", encoding="utf-8")
    assert len(project.build(executor=StandInExecutor()).built) == 3


def test_non_utf8_catalog(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.catalog.write_bytes(CATALOG.encode("utf-8").replace(b"Hello", b"H\xe9llo"))
    assert project.cli("build") == 1
    assert "is not UTF-8 text" in _one_error(capsys)


def test_jobs_above_the_cap_are_capped_with_a_note(project: Project) -> None:
    notes: list[str] = []
    project.build("hello", jobs=10_000, executor=StandInExecutor(), on_note=notes.append)
    assert len(notes) == 1 and notes[0].startswith("--jobs 10000 is more than this machine can use")
    assert cli.main(["build", "--jobs", "0"]) == 2


def _namespace(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-ec", script],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _can_mount() -> bool:
    if not shutil.which("unshare"):
        return False
    return _namespace("mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || exit 1").returncode == 0


needs_mounts = pytest.mark.skipif(not _can_mount(), reason="needs unshare with mount rights")


def _command(project: Project, *args: str) -> str:
    words = [sys.executable, "-m", "bri_analysis.cli", "build", *args]
    words += ["--catalog", str(project.catalog), "--out", str(project.out)]
    words += ["--data-dir", str(project.data)]
    return " ".join(f"'{w}'" for w in words)


@needs_mounts
def test_read_only_output_folder_even_with_nothing_to_build(project: Project) -> None:
    project.build(executor=StandInExecutor())
    before = _digests(project.out)
    done = _namespace(
        f"mount --bind '{project.out}' '{project.out}'\n"
        f"mount -o remount,bind,ro '{project.out}'\n{_command(project)}"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip() == f"error: cannot write to {project.out}: Read-only file system"
    assert _digests(project.out) == before


@needs_mounts
@pytest.mark.notebooks
def test_full_disk_stops_the_build_with_one_line_and_loses_nothing(project: Project) -> None:
    project.out.mkdir()
    sums = f"(cd '{project.out}' && find . -type f ! -name .build.lock | sort | xargs sha256sum)"
    done = _namespace(
        f"mount -t tmpfs -o size=1200k tmpfs '{project.out}'\n"
        f"{_command(project, '--jobs', '1')} > '{project.root}/first.txt'\n"
        f"{sums} > '{project.root}/before.txt'\n"
        f"dd if=/dev/zero of='{project.out}/filler' bs=4k 2>/dev/null || true\n"
        f"{_command(project, '--force', '--jobs', '1')} || echo \"exit=$?\"\n"
        f"rm '{project.out}/filler'\n"
        f"{sums} > '{project.root}/after.txt'\n"
    )  # fmt: skip
    assert "built 3" in (project.root / "first.txt").read_text(), done.stderr
    assert "exit=1" in done.stdout, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "No space left on device" in errors[0], done.stderr
    assert "Traceback" not in done.stderr
    before = (project.root / "before.txt").read_text()
    assert before and before == (project.root / "after.txt").read_text()
