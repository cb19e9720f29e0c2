"""JupyterLab set-up: the project kernel is installed and saving strips outputs."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

from bri_analysis.lab import KERNEL_DISPLAY_NAME, KERNEL_NAME, strip_outputs
from bri_analysis.paths import NOTEBOOKS_DIR

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


def test_the_shipped_server_config_installs_the_hook():
    from traitlets.config import Config

    namespace = {"get_config": Config}
    exec((ROOT / "jupyter_server_config.py").read_text(), namespace)
    assert namespace["c"].FileContentsManager.pre_save_hook is strip_outputs
