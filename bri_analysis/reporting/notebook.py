"""Small helpers the report notebooks share: set-up, safe prose, tables and citations.

Everything a notebook prints from the data goes through here, so text from the data is
HTML-escaped before it reaches a report (a party name cannot inject markup).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from bri_analysis.reporting.format import MISSING

if TYPE_CHECKING:
    import pandas as pd
    from IPython.display import HTML, Markdown

    from bri_analysis.dataset.load import Dataset

MAX_SOURCES_IN_NOTE = 4
DATE_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}


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
    """Text from the data made safe for Markdown/HTML output."""
    text = html.escape(str(value), quote=True)
    # Markdown would otherwise read these as emphasis, links or tables.
    for char in "*_[]`|":
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


def table(frame: pd.DataFrame, *, caption: str | None = None, max_rows: int = 60) -> HTML:
    """An HTML table with every cell escaped (pandas escapes by default; kept explicit)."""
    from IPython.display import HTML

    shown = dates_as_text(frame.head(max_rows))
    body = shown.to_html(index=False, escape=True, na_rep=MISSING, border=0, classes="bri-table")
    head = f"<p><strong>{html.escape(caption)}</strong></p>" if caption else ""
    more = (
        f"<p><em>{len(frame) - max_rows} more rows not shown.</em></p>"
        if len(frame) > max_rows
        else ""
    )
    return HTML(head + body + more)


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
        year = f", {row['published'].year}" if not _missing(row["published"]) else ""
        parts.append(f"{row['publisher']}{year} [{sid}]")
    extra = len(ids) - MAX_SOURCES_IN_NOTE
    more = f"; and {extra} more (see the sources table)" if extra > 0 else ""
    label = prefix if len(ids) == 1 else f"{prefix}s"
    return f"{label}: " + "; ".join(parts) + more


def sources_table(ds: Dataset, source_ids: Iterable[str]) -> pd.DataFrame:
    """The cited sources as a table (id, title, publisher, published, url, kind)."""
    ids = list(dict.fromkeys(source_ids))
    frame = ds.sources[ds.sources["source_id"].isin(ids)]
    frame = frame[["source_id", "title", "publisher", "published", "url", "kind"]].copy()
    frame["published"] = frame["published"].dt.strftime("%Y-%m-%d").fillna("")
    return frame.sort_values("source_id").reset_index(drop=True)


def _missing(value: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
