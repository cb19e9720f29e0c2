"""Small helpers the report notebooks share: set-up, safe prose, tables and citations.

Everything a notebook prints from the data goes through here, so text from the data is
HTML-escaped before it reaches a report (a party name cannot inject markup) and can never
be typeset as mathematics by JupyterLab's MathJax ("US$1 bn – US$2 bn" stays text).
Tables show booleans as ✓ and a dash, missing values as a dash, lists as comma-separated
text, dates with the precision the source gave, and links as short clickable text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bri_analysis.reporting.format import MISSING

if TYPE_CHECKING:
    import pandas as pd
    from IPython.display import HTML, Markdown

    from bri_analysis.dataset.load import Dataset

MAX_SOURCES_IN_NOTE = 4
DATE_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
YES = "✓"
# MathJax 3 (JupyterLab) skips elements of class mathjax_ignore, MathJax 2 tex2jax_ignore.
NO_MATH = "tex2jax_ignore mathjax_ignore"
_URL = re.compile(r"^https?://\S+$")


def setup(data_dir: str | None = None) -> Dataset:
    """Apply the house chart style and load the dataset (``None``: the default folder)."""
    from bri_analysis.dataset.load import load_dataset
    from bri_analysis.reporting.style import apply_house_style

    _inline_figures()
    apply_house_style()
    return load_dataset(data_dir)


def _inline_figures() -> None:
    """In a Jupyter kernel, draw figures inline whatever ``MPLBACKEND`` says (an ``Agg``
    backend inherited from a shell or test run would silently drop every chart)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    shell = get_ipython()
    if shell is not None and "IPKernelApp" in shell.config:
        shell.run_line_magic("matplotlib", "inline")


def escape(value: Any) -> str:
    """Text from the data made safe for Markdown/HTML output (and for MathJax)."""
    text = html.escape(_text(value), quote=True)
    # Markdown would otherwise read these as emphasis, links, tables or mathematics.
    for char in "\\*_[]`|$":
        text = text.replace(char, "\\" + char)
    return text


def say(template: str, **values: Any) -> Markdown:
    """Markdown prose whose ``{placeholders}`` are filled with escaped values.

    The template is written by the notebook author; only the values come from the data.
    """
    from IPython.display import Markdown

    return Markdown(template.format(**{k: escape(v) for k, v in values.items()}))


def bullet_list(items: Iterable[Any]) -> str:
    """Escaped Markdown bullet lines for ``say`` templates (empty list -> "none")."""
    lines = [f"- {escape(item)}" for item in items]
    return "\n".join(lines) if lines else "none"


def table(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    max_rows: int = 60,
    columns: Iterable[str] | None = None,
    percent: Iterable[str] = (),
) -> HTML:
    """An HTML table of a frame, every cell escaped and shown for a reader (see module).

    ``columns`` picks and orders the columns shown (with their ``_precision`` companions);
    ``percent`` columns hold fractions (0-1) and are written as percentages.
    """
    from IPython.display import HTML

    from bri_analysis.reporting.format import format_value

    if columns is not None:
        picked = [c for name in columns for c in (name, f"{name}_precision") if c in frame]
        frame = frame[picked]
    shown = dates_as_text(frame.head(max_rows))
    for column in percent:
        shown[column] = [
            MISSING if v != v else format_value(100 * v, "exact", "percent") for v in shown[column]
        ]
    cells = shown.apply(lambda column: column.map(_cell)) if len(shown) else shown
    body = cells.to_html(index=False, escape=False, border=0, classes="bri-table")
    head = f"<p><strong>{html.escape(caption)}</strong></p>" if caption else ""
    more = (
        f"<p><em>{len(frame) - max_rows} more rows not shown.</em></p>"
        if len(frame) > max_rows
        else ""
    )
    return HTML(f'<div class="{NO_MATH}">{head}{body}{more}</div>')


def table_or_note(frame: pd.DataFrame, caption: str, empty: str, **options: Any) -> HTML | Markdown:
    """``table(frame)``, or the sentence ``empty`` when the frame has no rows."""
    return table(frame, caption=caption, **options) if len(frame) else say(empty)


def _cell(value: Any) -> str:
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return YES if value else MISSING
    if isinstance(value, str) and _URL.match(value):
        return _link(value)
    return html.escape(_text(value), quote=True)


def _text(value: Any) -> str:
    import pandas as pd

    if isinstance(value, list | tuple | set):
        return ", ".join(_text(v) for v in value)
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return MISSING
    return str(value)


def _link(url: str, width: int = 32) -> str:
    """A link whose text is the host and the start of the path: "news.cgtn.com/news/…"."""
    parts = urlsplit(url)
    text = (parts.netloc + parts.path).removeprefix("www.").rstrip("/")
    text = text if len(text) <= width else text[: width - 1] + "…"
    target = html.escape(url, quote=True)
    return f'<a href="{target}" title="{target}">{html.escape(text)}</a>'


def dates_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns written with the precision the source gave ("1996", not 1996-01-01).

    A ``<column>_precision`` column, when present, sets the format and is dropped; other
    dates are shown as days. Missing dates show as ``MISSING`` ("–"), like other empty cells.
    """
    import pandas as pd

    out = frame.copy()
    for column in [c for c in out.columns if pd.api.types.is_datetime64_any_dtype(out[c])]:
        precision = out.pop(f"{column}_precision") if f"{column}_precision" in out else None
        text = [
            MISSING if pd.isna(day) else day.strftime(DATE_FORMATS.get(p, "%Y-%m-%d"))
            for day, p in zip(
                out[column],
                precision if precision is not None else ["day"] * len(out),
                strict=True,
            )
        ]
        out[column] = pd.Series(text, index=out.index, dtype=object)
    return out


def source_note(ds: Dataset, source_ids: Iterable[str], prefix: str = "Source") -> str:
    """A one-line citation for a chart or table: titles, publishers and years of its sources."""
    import pandas as pd

    ids = list(dict.fromkeys(s for s in source_ids if isinstance(s, str)))
    if not ids:
        return f"{prefix}: bri-analysis dataset"
    sources = ds.sources.set_index("source_id")
    parts = []
    for sid in ids[:MAX_SOURCES_IN_NOTE]:
        if sid not in sources.index:
            parts.append(sid)
            continue
        row = sources.loc[sid]
        year = f", {row['published'].year}" if not pd.isna(row["published"]) else ""
        parts.append(f"{row['publisher']}{year} [{sid}]")
    extra = len(ids) - MAX_SOURCES_IN_NOTE
    more = f"; and {extra} more (see the sources table)" if extra > 0 else ""
    label = prefix if len(ids) == 1 else f"{prefix}s"
    return f"{label}: " + "; ".join(parts) + more


def cited_note(ds: Dataset, *frames: pd.DataFrame, prefix: str = "Source") -> str:
    """``source_note`` for everything the frames cite (``analysis.citations.cited``)."""
    from bri_analysis.analysis.citations import cited

    return source_note(ds, cited(*frames), prefix)


def sources_table(ds: Dataset, *cited_by: pd.DataFrame | Iterable[str]) -> pd.DataFrame:
    """The sources cited by frames (or lists of ids), as a table: id, title, publisher,
    published (as precise as known), url, kind."""
    from bri_analysis.analysis.citations import cited

    ids: list[str] = []
    for item in cited_by:
        ids += cited(item) if hasattr(item, "columns") else [i for i in item if isinstance(i, str)]
    frame = ds.sources[ds.sources["source_id"].isin(set(ids))]
    columns = ["source_id", "title", "publisher", "published", "published_precision", "url", "kind"]
    return frame[columns].sort_values("source_id").reset_index(drop=True)
