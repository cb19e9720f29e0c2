"""Headless Debian Chromium for the browser tests (no downloaded browser)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = (
    os.environ.get("BRI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
# Flags for a closed network and a root user (see the machine notes in the README).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Any]:
    """A Playwright browser on the system's Chromium; skips the test where there is none
    (.ci/run installs Debian's chromium, so CI always runs these tests)."""
    if not CHROMIUM:
        pytest.skip("no Chromium found (install Debian's chromium, or set BRI_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
