"""Serve the built site on localhost, so its links and its search work in a browser tab.

JupyterLab shows an ``.html`` file in a sandboxed frame: the index's search box (a script)
is off and links between pages fail. ``bri-analysis serve`` (``make serve``) is a plain
static server for ``reports/``, bound to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bri_analysis.build.catalog import CatalogError

DEFAULT_PORT = 8000


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


def site_server(
    out_dir: Path, port: int = DEFAULT_PORT, host: str = "127.0.0.1"
) -> ThreadingHTTPServer:
    """A server for ``out_dir`` (not yet serving); port 0 picks a free port."""
    if not (out_dir / "index.html").is_file():
        raise CatalogError([f"{out_dir}: no index.html; build the reports first (make reports)"])
    handler = functools.partial(_QuietHandler, directory=str(out_dir))
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise CatalogError([f"cannot serve on {host}:{port}: {exc.strerror or exc}"]) from None


def serve(out_dir: Path, port: int = DEFAULT_PORT, say: Callable[[str], None] = print) -> None:
    """Serve ``out_dir`` until interrupted, after saying where."""
    with site_server(out_dir, port) as server:
        host, bound = server.server_address[:2]
        say(f"serving {out_dir} at http://{host}:{bound}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
