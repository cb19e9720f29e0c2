"""Read one CSV table as strings, reporting file-level problems with line numbers.

Reading is strict and never guesses: the file must be UTF-8 (a byte-order mark is
accepted), have exactly the declared header, and every record the header's width.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from bri_analysis.dataset.schemas import Table
from bri_analysis.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

LINE_COLUMN = "_line"  # 1-based line in the file where each record starts


def read_table(path: Path, table: Table) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read ``path`` as ``table``: a frame of stripped strings (``None`` for empty cells)
    with a ``_line`` column, or ``None`` plus the problems that stop reading."""
    import pandas as pd

    name = path.name
    if not path.is_file():
        return None, [Problem(name, None, None, "file is missing")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        return None, [Problem(name, line, None, f"not valid UTF-8 (byte 0x{byte}); save as UTF-8")]
    if not text.strip():
        return None, [Problem(name, None, None, "file is empty; expected a header row")]

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        records, lines = [], []
        start = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        return None, [Problem(name, reader.line_num, None, f"malformed CSV: {exc}")]

    problems = _header_problems(name, header, table)
    width = len(header)
    for record, line in zip(records, lines, strict=True):
        if len(record) != width:
            problems.append(
                Problem(name, line, None, f"has {len(record)} fields, the header has {width}")
            )
    if problems:
        return None, problems

    frame = pd.DataFrame(records, columns=header, dtype=object)
    frame = frame.apply(lambda col: col.str.strip())
    frame = frame[table.column_names].where(frame != "", None).astype(object)
    frame[LINE_COLUMN] = lines
    return frame, []


def _header_problems(name: str, header: list[str], table: Table) -> list[Problem]:
    expected = table.column_names
    problems = []
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(Problem(name, 1, ", ".join(missing), "header lacks required column(s)"))
    if extra:
        problems.append(
            Problem(name, 1, ", ".join(extra), f"unexpected column(s); expected {expected}")
        )
    if duplicated:
        problems.append(Problem(name, 1, ", ".join(duplicated), "column named twice in header"))
    return problems
