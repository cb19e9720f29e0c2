# JupyterLab for this repository: notebooks are saved without outputs, so `git diff` and the
# report builder see only what a person changed. The set-up (`make install`) links this file
# into .venv/etc/jupyter, so every `jupyter lab` of the project's venv reads it; elsewhere,
# pass it with `jupyter lab --config=jupyter_server_config.py`.
from bri_analysis.lab import strip_outputs

c = get_config()  # noqa: F821 - provided by Jupyter when it reads this file
c.FileContentsManager.pre_save_hook = strip_outputs
