# JupyterLab for this repository (`make lab` passes it with --config): notebooks are saved
# without outputs, so `git diff` and the report builder see only what a person changed.
from bri_analysis.lab import strip_outputs

c = get_config()  # noqa: F821 - provided by Jupyter when it reads this file
c.FileContentsManager.pre_save_hook = strip_outputs
