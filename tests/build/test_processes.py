"""Builds as a user runs them, in real processes, killed and interrupted with real signals.

Each test starts ``python -m bri_analysis.cli build`` on fixture notebooks that wait for a
release file (``slow.ipynb``), kills or interrupts something mid-build, and then checks
that no process of the build is left and that every page matches its manifest record
(``tests.helpers.check_site``).
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from tests.helpers import ProcessProject, alive, check_site, family_of, wait_for

pytestmark = [
    pytest.mark.notebooks,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc"),
]


def _gone(pids: list[int], timeout: float = 15) -> None:
    wait_for(lambda: not any(alive(p) for p in pids), timeout, f"processes {pids} to stop")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killed_build_leaves_no_process_and_only_recorded_pages(tmp_path: Path, how: int) -> None:
    proj = ProcessProject(tmp_path, "fast-a", "fast-b", "slow-c", "slow-d")
    build = proj.start("--jobs", "2")
    kernels = [proj.kernel_of("slow-c"), proj.kernel_of("slow-d")]
    processes = sorted({p for k in kernels for p in family_of(k)} - {build.pid})
    assert len(processes) >= 4  # per slow report: its kernel and the worker(s) above it
    os.kill(build.pid, how)
    _, err = build.communicate(timeout=30)
    _gone(processes)
    if how == signal.SIGTERM:
        assert build.returncode == 128 + signal.SIGTERM
        line = err.strip().splitlines()[-1]
        assert line.startswith("interrupted by SIGTERM: stopped 2 running report(s): ")
        assert "slow-slow-c (cell 4)" in line and "slow-slow-d (cell 4)" in line
        assert "2 finished report(s) saved" in line
    manifest = check_site(proj.out, proj.catalog, proj.data, finished=how != signal.SIGKILL)
    assert {r for r, e in manifest.items() if e["status"] == "ok"} == {"slow-fast-a", "slow-fast-b"}

    proj.release()
    again = proj.run()
    assert again.returncode == 0, again.stdout + again.stderr
    assert "built 2, skipped 2 (unchanged)" in again.stdout
    manifest = check_site(proj.out, proj.catalog, proj.data)
    assert all(e["status"] == "ok" for e in manifest.values()) and len(manifest) == 4


def test_a_second_build_into_the_same_folder_refuses_or_waits(tmp_path: Path) -> None:
    proj = ProcessProject(tmp_path, "slow-a", "fast-b")
    first = proj.start("--jobs", "1")
    proj.kernel_of("slow-a")
    refused = proj.run()
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: another build is writing to {proj.out}")
    assert f"pid {first.pid} on " in lines[0] and "pass --wait" in lines[0]

    waiting = proj.start("--wait")
    wait_for(lambda: waiting.poll() is None and time.sleep(1) is None, 5, "the second build")
    assert waiting.poll() is None  # still waiting for the lock
    proj.release()
    assert first.wait(timeout=60) == 0
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "note: waiting for the other build" in err and "skipped 2 (unchanged)" in out
    manifest = check_site(proj.out, proj.catalog, proj.data)
    assert sorted(manifest) == ["slow-fast-b", "slow-slow-a"]


def test_a_stale_lock_of_a_killed_build_is_taken_over(tmp_path: Path) -> None:
    proj = ProcessProject(tmp_path, "slow-a")
    build = proj.start()
    proj.kernel_of("slow-a")
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert f'"pid": {build.pid}' in (proj.out / ".build.lock").read_text()
    proj.release()
    again = proj.run()
    assert again.returncode == 0, again.stderr
    check_site(proj.out, proj.catalog, proj.data)


@pytest.mark.parametrize("cold", [False, True])
def test_a_worker_killed_mid_batch_fails_its_report_only(tmp_path: Path, cold: bool) -> None:
    proj = ProcessProject(tmp_path, "slow-a", "slow-b", "fast-c", "fast-d", "fast-e")
    build = proj.start("--jobs", "2", *(["--cold"] if cold else []))
    kernel = proj.kernel_of("slow-a")
    proj.kernel_of("slow-b")
    chain = family_of(kernel)  # kernel, (report process,) worker, build
    assert chain[-1] == build.pid
    worker = chain[-2]
    os.kill(worker, signal.SIGKILL)
    time.sleep(0.5)
    proj.release()
    out, err = build.communicate(timeout=120)
    assert build.returncode == 1, out + err
    assert "built 4, skipped 0 (unchanged), failed 1 of 5 reports" in out
    assert "FAILED slow-slow-a: worker process died (killed by SIGKILL) while running cell 4" in out
    manifest = check_site(proj.out, proj.catalog, proj.data)
    assert [r for r, e in manifest.items() if e["status"] == "failed"] == ["slow-slow-a"]


def test_a_dead_kernel_names_its_cell_and_no_running_files_remain(tmp_path: Path) -> None:
    proj = ProcessProject(tmp_path, "fast-a")
    proj.catalog.write_text(
        proj.catalog.read_text() + '\n[family.crash]\nnotebook = "notebooks/crash.ipynb"\n'
        'parameters = { greeting = "hi" }\n',
        encoding="utf-8",
    )
    for flags in ([], ["--cold", "--force"]):
        done = proj.run(*flags)
        assert done.returncode == 1
        assert re.search(r"FAILED crash: cell 4( \(In \[\d\]\))?: the kernel died", done.stdout)
        assert (proj.out / "failed" / "crash.ipynb").exists()
        check_site(proj.out, proj.catalog, proj.data)
