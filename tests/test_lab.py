"""JupyterLab set-up: the project kernel is installed and saving strips outputs."""

from __future__ import annotations

import copy
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

from bri_analysis.lab import KERNEL_DISPLAY_NAME, KERNEL_NAME, strip_outputs
from bri_analysis.paths import NOTEBOOKS_DIR
from tests.browser import chromium

ROOT = Path(__file__).resolve().parents[1]


def test_the_project_kernel_is_installed_and_runs_this_interpreter():
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert spec.display_name == KERNEL_DISPLAY_NAME
    shipped = json.loads((ROOT / "share/jupyter/kernels" / KERNEL_NAME / "kernel.json").read_text())
    assert spec.argv == shipped["argv"]
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME)
    try:
        code = f"import sys, bri_analysis\nassert sys.prefix == {sys.prefix!r}, sys.prefix"
        reply = kc.execute_interactive(code, timeout=60)
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _executed(path: Path) -> dict:
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        cell["metadata"]["execution"] = {"iopub.status.busy": "2026-12-01T00:00:00Z"}
        cell["metadata"]["collapsed"] = True
        if cell["cell_type"] == "code":
            cell["execution_count"] = i + 1
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x\n"}]
    nb["metadata"]["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": KERNEL_NAME,
    }
    nb["metadata"]["language_info"] = {"name": "python", "version": sys.version.split()[0]}
    nb["metadata"]["papermill"] = {"parameters": {}}
    return nb


def test_saving_an_executed_notebook_gives_back_the_committed_file():
    path = NOTEBOOKS_DIR / "participation.ipynb"
    committed = json.loads(path.read_text())
    model = {"type": "notebook", "content": _executed(path)}
    strip_outputs(model, path=str(path))
    assert model["content"] == committed
    nbformat.validate(nbformat.from_dict(model["content"]))


def test_tags_survive_and_other_files_are_left_alone():
    nb = _executed(NOTEBOOKS_DIR / "participation.ipynb")
    model = {"type": "notebook", "content": nb}
    strip_outputs(model)
    assert "parameters" in model["content"]["cells"][1]["metadata"]["tags"]
    text = {"type": "file", "content": "a $ b"}
    before = copy.deepcopy(text)
    strip_outputs(text)
    assert text == before


def test_the_shipped_server_config_installs_the_hook_in_this_venv():
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config

    shipped = ROOT / "jupyter_server_config.py"
    namespace = {"get_config": Config}
    exec(shipped.read_text(), namespace)
    assert namespace["c"].FileContentsManager.pre_save_hook is strip_outputs
    installed = [Path(d) / shipped.name for d in jupyter_config_path()]
    found = [p for p in installed if p.is_file()]
    assert found, f"{shipped.name} is in none of {installed}: run `make install`"
    assert found[0].read_text() == shipped.read_text()


# --- JupyterLab itself, in headless Chromium ------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def lab_project(tmp_path: Path) -> Path:
    """The notebooks and the catalog in a git repository of their own."""
    project = tmp_path / "project"
    shutil.copytree(NOTEBOOKS_DIR, project / "notebooks")
    shutil.copy2(ROOT / "reports.toml", project / "reports.toml")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "as committed")
    return project


_LAB_SETTINGS = {
    "notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


@contextmanager
def _jupyterlab(project: Path, home: Path) -> Iterator[str]:
    """JupyterLab of this venv, started as `make lab` starts it; yields its URL with the
    token. The output stripping comes from the venv's own Jupyter configuration."""
    port, token = _free_port(), secrets.token_hex(16)
    command = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser"]
    command += ["--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}"]
    command += ["--notebook-dir=.", *(["--allow-root"] if os.geteuid() == 0 else [])]
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config")}
    env["JUPYTER_RUNTIME_DIR"] = str(home / "runtime")
    # every cell in the page (Lab renders only the visible cells by default), and no news
    settings = home / "config" / "lab" / "user-settings" / "@jupyterlab"
    for extension, values in _LAB_SETTINGS.items():
        path = settings / extension
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
                break
            except OSError:
                assert server.poll() is None, (home / "lab.log").read_text()
                time.sleep(0.25)
        # ?reset: a fresh workspace, so only the notebook asked for is open
        yield f"{url}/lab/tree/notebooks/{{}}?reset&token={token}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the open tab


def _run_all_and_save(page: Any, notebook: Path) -> None:
    """Run all cells from Lab's Run menu, wait until every code cell has run, save."""
    page.wait_for_selector(f"{PANEL} .jp-CodeCell", timeout=60_000)
    page.get_by_text(f"{KERNEL_DISPLAY_NAME} | Idle").wait_for(timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(
        """selector => {
          const panel = document.querySelector(selector);
          const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
          return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        arg=PANEL,
        timeout=300_000,
    )
    page.get_by_text(f"{KERNEL_DISPLAY_NAME} | Idle").wait_for(timeout=120_000)
    before = notebook.stat().st_mtime_ns
    page.locator(f"{PANEL} .jp-Cell").first.click()
    page.keyboard.press("Control+s")
    for _ in range(120):
        if notebook.stat().st_mtime_ns != before:
            break
        time.sleep(0.25)
    else:
        raise AssertionError(f"{notebook.name} was not saved")


@pytest.mark.browser
@pytest.mark.notebooks
def test_running_and_saving_in_jupyterlab_leaves_the_notebooks_and_pages_unchanged(
    lab_project: Path, tmp_path: Path
) -> None:
    from bri_analysis.cli import main

    out = tmp_path / "reports"
    catalog = str(lab_project / "reports.toml")
    assert main(["build", "participation", "--catalog", catalog, "--out", str(out)]) == 0
    home = tmp_path / "home"
    home.mkdir()
    with _jupyterlab(lab_project, home) as url, chromium() as browser:
        errors: list[str] = []
        for name in ("participation.ipynb", "event_scale.ipynb"):
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url.format(name))
            _run_all_and_save(page, lab_project / "notebooks" / name)
            outputs = page.locator(f"{PANEL} .jp-OutputArea-output")
            assert page.locator(f"{PANEL} .jp-OutputArea-output img").count() >= 1, name
            stderr = page.locator(f"{PANEL} [data-mime-type='application/vnd.jupyter.stderr']")
            assert stderr.count() == 0, stderr.all_inner_texts()
            # no text reached MathJax, though the tables hold "US$" amounts
            assert page.locator(f"{PANEL} mjx-container").count() == 0, name
            if name == "event_scale.ipynb":
                assert "US$" in " ".join(outputs.all_inner_texts())
            page.screenshot(path=str(tmp_path / f"{name}.png"))
            page.close()
        assert not errors, errors
    assert _git(lab_project, "status", "--porcelain", "--untracked-files=no") == ""
    assert _git(lab_project, "diff") == ""
    listing = subprocess.run(
        [str(Path(sys.executable).with_name("bri-analysis")), "list", "--catalog", catalog]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"^  participation +up to date ", listing, re.M), listing
