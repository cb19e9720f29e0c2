"""The built report site in a real browser: headless Chromium driven by Playwright.

Builds one report of each family into a temporary folder, then opens the index and each
report and checks: no console errors, every image loaded with a non-zero size, every link
from the index resolves, and no horizontal scrolling at a laptop width. Screenshots are
saved in the test's temporary folder. Skipped, with the reason, where no Chromium exists
(.ci/run installs Debian's chromium so CI always runs it).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]

LAPTOP = {"width": 1366, "height": 768}
REPORTS = ["participation", "cooperation-coverage", "event-scale", "country-profile-kaz"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from bri_analysis.build.runner import build_reports

    out = tmp_path_factory.mktemp("site")
    result = build_reports(REPORTS, out_dir=out, progress=False)
    assert not result.failed, result.failed
    return out


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def _open(browser, url: str):
    page = browser.new_page(viewport=LAPTOP)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.goto(url, wait_until="load")
    return page, errors


def _check_page(page, errors, shot: Path) -> None:
    page.screenshot(path=str(shot), full_page=True)
    assert not errors, errors
    images = page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])"
    )
    assert all(done and w > 0 and h > 0 for done, w, h in images), images
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page is {overflow}px wider than the window"


def test_index_and_one_report_per_family(site, browser, tmp_path):
    page, errors = _open(browser, (site / "index.html").as_uri())
    _check_page(page, errors, tmp_path / "index.png")
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    local = [h for h in hrefs if h.startswith("file:")]
    assert local, "the index links to no report"
    for href in local:
        target = Path(unquote(urlparse(href).path))
        assert target.exists(), f"broken link {href}"
    page.close()

    for report in REPORTS:
        html = site / f"{report}.html"
        assert html.as_uri() in local, f"{report} is not linked from the index"
        page, errors = _open(browser, html.as_uri())
        _check_page(page, errors, tmp_path / f"{report}.png")
        assert page.locator("img").count() >= 1, f"{report} shows no figure"
        page.close()
    assert len(list(tmp_path.glob("*.png"))) == len(REPORTS) + 1
