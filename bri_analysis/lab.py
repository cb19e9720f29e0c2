"""JupyterLab as the project ships it: notebooks are saved without outputs.

``jupyter_server_config.py`` at the repository root (``make lab`` uses it) installs
``strip_outputs`` as the contents manager's ``pre_save_hook``: a notebook saved from Lab
keeps its code, markdown, tags and kernel name, and loses outputs, execution counts and the
metadata execution leaves behind, so ``git diff`` shows only what a person changed and the
builder sees an unchanged notebook as unchanged.
"""

from __future__ import annotations

from typing import Any

KERNEL_NAME = "bri-analysis"  # share/jupyter/kernels/bri-analysis, installed at set-up
KERNEL_DISPLAY_NAME = "Python (bri-analysis)"
_CELL_METADATA_KEPT = ("tags",)


def strip_outputs(model: dict[str, Any], **_kwargs: Any) -> None:
    """A Jupyter ``pre_save_hook``: clear outputs and execution metadata of a notebook."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    nb = model["content"]
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        cell["metadata"] = {k: meta[k] for k in _CELL_METADATA_KEPT if k in meta}
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    meta = nb.setdefault("metadata", {})
    for key in ("papermill", "widgets", "toc"):
        meta.pop(key, None)
    meta["kernelspec"] = {
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "python",
        "name": KERNEL_NAME,
    }
    meta["language_info"] = {"name": "python"}
