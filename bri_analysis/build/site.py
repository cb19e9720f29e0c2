"""The report site in ``reports/``: file layout, atomic writes, report pages and index.html.

Report pages are nbconvert's ``lab`` template without code cells or prompts, with images
embedded and without the CDN scripts (require.js, MathJax, Mermaid, widgets) the stock
template links, so a page reads the same offline. Text reaches HTML escaped: nbconvert and
pandas escape outputs, and this module escapes everything it puts into index.html.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATE_NAME = "bri_report.html.j2"
# Drops every <script src="https://..."> of the lab template; adds a header line.
TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}
<meta name="bri-input-hash" content="{{ resources.bri_input_hash }}">
{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}
{{ super() }}
<nav style="font: 14px sans-serif; padding: 8px 16px; border-bottom: 1px solid #ddd">
{{ resources.bri_header }}
</nav>
{%- endblock body_header -%}
"""


@dataclass(frozen=True)
class OutputPaths:
    """Where one report's files go inside the output folder."""

    html: Path
    notebook: Path
    failed: Path
    log: Path

    @classmethod
    def of(cls, out_dir: Path, report_id: str) -> OutputPaths:
        return cls(
            html=out_dir / f"{report_id}.html",
            notebook=out_dir / "notebooks" / f"{report_id}.ipynb",
            failed=out_dir / "failed" / f"{report_id}.ipynb",
            log=out_dir / "logs" / f"{report_id}.log",
        )


def format_parameters(parameters: Mapping[str, Any]) -> str:
    """``key = value`` pairs as Python would write them, or "notebook defaults"."""
    if not parameters:
        return "notebook defaults"
    return ", ".join(f"{k} = {v!r}" for k, v in sorted(parameters.items()))


def notebook_to_html(
    nb: Any, title: str, parameters: Mapping[str, Any], input_hash: str = ""
) -> str:
    """An executed notebook as a self-contained HTML page without code.

    ``input_hash`` (the manifest's hash of what the page was built from) is kept in a
    ``<meta name="bri-input-hash">`` tag, so a page says what it was built from.
    """
    header = (
        '<a href="index.html">All reports</a> · '
        f"<strong>{html.escape(title)}</strong> · {html.escape(format_parameters(parameters))}"
    )
    resources = {
        "metadata": {"name": title},
        "bri_header": header,
        "bri_input_hash": html.escape(input_hash, quote=True),
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body


@cache
def _exporter() -> Any:
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file=TEMPLATE_NAME,
        extra_loaders=[DictLoader({TEMPLATE_NAME: TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


_INPUT_HASH = re.compile(r'<meta (?=[^>]*name="bri-input-hash")[^>]*content="([0-9a-f]*)"')


def page_input_hash(page: str) -> str | None:
    """The input hash a page was built from (its ``bri-input-hash`` meta tag), or None."""
    found = _INPUT_HASH.search(page)
    return found.group(1) if found else None


def warm_up() -> None:
    """Load nbconvert, the template and its CSS now (a warm worker does it once)."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# warm")])
    notebook_to_html(nb, "warm", {})


@dataclass(frozen=True)
class IndexRow:
    """One report as index.html shows it. ``built_at``/``duration_s`` are the last good build."""

    report_id: str
    title: str
    parameters: Mapping[str, Any]
    status: str  # "ok", "failed" or "not built"
    built_at: str | None = None
    duration_s: float | None = None
    error: str | None = None
    has_html: bool = False
    has_notebook: bool = False
    has_failed_notebook: bool = False
    has_log: bool = False


@dataclass(frozen=True)
class IndexSection:
    """A report family: heading, description, rows, or the error that kept it from listing."""

    name: str
    title: str
    description: str
    rows: Sequence[IndexRow]
    error: str | None = None


def render_index(sections: Sequence[IndexSection], generated_at: str) -> str:
    """index.html: every report with parameters, status, build time and duration."""
    rows = [r for s in sections for r in s.rows]
    counts = {status: sum(r.status == status for r in rows) for status in ("ok", "failed")}
    summary = (
        f"{len(rows)} reports: {counts['ok']} built, {counts['failed']} failed, "
        f"{len(rows) - counts['ok'] - counts['failed']} not built. Generated {generated_at}."
    )
    body = "\n".join(_section(s) for s in sections)
    return _PAGE.format(summary=html.escape(summary), body=body)


def _section(section: IndexSection) -> str:
    parts = [f'<section id="family-{_attr(section.name)}"><h2>{html.escape(section.title)}</h2>']
    if section.description:
        parts.append(f"<p>{html.escape(section.description)}</p>")
    if section.error:
        parts.append(f'<p class="failed">Could not list reports: {html.escape(section.error)}</p>')
    if section.rows:
        parts.append(_TABLE_HEAD)
        parts += [_row(r) for r in section.rows]
        parts.append("</tbody></table>")
    parts.append("</section>")
    return "\n".join(parts)


def _row(row: IndexRow) -> str:
    rid = row.report_id
    title = html.escape(row.title)
    name = f'<a href="{_attr(rid)}.html">{title}</a>' if row.has_html else title
    status = html.escape(row.status)
    if row.error:
        status += f": {html.escape(row.error)}"
    links = []
    if row.status == "failed" and row.has_html:
        links.append(f'<a href="{_attr(rid)}.html">last good page</a>')
    if row.has_notebook:
        links.append(f'<a href="notebooks/{_attr(rid)}.ipynb">executed notebook</a>')
    if row.has_failed_notebook:
        links.append(f'<a href="failed/{_attr(rid)}.ipynb">failed notebook</a>')
    if row.has_log:
        links.append(f'<a href="logs/{_attr(rid)}.log">log</a>')
    duration = "" if row.duration_s is None else f"{row.duration_s:.1f} s"
    return (
        f'<tr id="{_attr(rid)}"><td>{name}<br><code>{html.escape(rid)}</code></td>'
        f"<td><code>{html.escape(format_parameters(row.parameters))}</code></td>"
        f'<td class="{_attr(row.status.replace(" ", "-"))}">{status}</td>'
        f"<td>{html.escape(row.built_at or '')}</td><td>{duration}</td>"
        f"<td>{' · '.join(links)}</td></tr>"
    )


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


_TABLE_HEAD = (
    "<table><thead><tr><th>Report</th><th>Parameters</th><th>Status</th>"
    "<th>Last built</th><th>Duration</th><th>Files</th></tr></thead><tbody>"
)

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Belt and Road Initiative: reports</title>
<style>
body {{ font: 15px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 75em; padding: 0 1em; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }}
code {{ font-size: 90%; }}
.ok {{ color: #1a7f37; }} .failed {{ color: #b42318; }} .not-built {{ color: #777; }}
</style>
</head>
<body>
<h1>Belt and Road Initiative: reports</h1>
<p>{summary}</p>
<p id="finder" hidden><label>Find a report or a country:
<input id="filter" type="search" placeholder="e.g. Kazakhstan, africa"></label></p>
{body}
<script>
const finder = document.getElementById("finder");
const filter = document.getElementById("filter");
finder.hidden = false;
filter.addEventListener("input", () => {{
  const query = filter.value.trim().toLowerCase();
  for (const row of document.querySelectorAll("tbody tr")) {{
    row.hidden = query !== "" && !row.textContent.toLowerCase().includes(query);
  }}
}});
</script>
</body>
</html>
"""
