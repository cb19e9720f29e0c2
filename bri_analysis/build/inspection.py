"""What a notebook declares, read without a kernel: its parameters cell and their types.

papermill only warns about a parameter the notebook does not declare; the builder refuses
it (and a value that does not fit the declared annotation) before any kernel starts. The
notebook is read as plain JSON: nbformat costs a second and a half to import.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bri_analysis.build.catalog import CatalogError


def read_notebook(path: Path) -> dict[str, Any]:
    """A notebook's JSON (plain ``json``: nbformat costs a second and a half to import)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CatalogError([f"{path}: not a notebook ({exc})"]) from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise CatalogError([f"{path}: not a notebook (no cells)"])
    return nb


def declared_parameters(path: Path, nb: Mapping[str, Any]) -> dict[str, ast.expr | None]:
    """Names assigned in the cell tagged ``parameters``, with their annotations (or None)."""
    cell = next(
        (
            c
            for c in nb["cells"]
            if c.get("cell_type") == "code"
            and "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )
    if cell is None:
        raise CatalogError([f"{path}: no code cell tagged 'parameters'"])
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise CatalogError([f"{path}: parameters cell line {exc.lineno}: {exc.msg}"]) from None
    declared: dict[str, ast.expr | None] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            declared[node.target.id] = node.annotation
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    declared.setdefault(target.id, None)
    return declared


def parameter_problems(
    label: str, values: Mapping[str, Any], declared: Mapping[str, ast.expr | None]
) -> list[str]:
    """Names not declared in the notebook and values that do not fit the annotation."""
    problems = []
    valid = ", ".join(sorted(declared)) or "(none)"
    for name, value in values.items():
        if name not in declared:
            problems.append(f"{label}: unknown parameter {name!r}; the notebook declares {valid}")
        elif not _conforms(value, declared[name]):
            expected = ast.unparse(declared[name])  # type: ignore[arg-type]
            problems.append(f"{label}: parameter {name!r} expects {expected}, got {value!r}")
    return problems


def parse_parameters(items: Sequence[str]) -> dict[str, Any]:
    """``-p KEY=VALUE`` options to a dict, values typed by ``parse_value``."""
    values: dict[str, Any] = {}
    problems = []
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            problems.append(f"-p {item!r}: expected KEY=VALUE with KEY a Python name")
            continue
        try:
            values[key] = parse_value(text)
        except ValueError as exc:
            problems.append(f"-p {item!r}: {exc}")
    if problems:
        raise CatalogError(problems)
    return values


def parse_value(text: str) -> Any:
    """Type a command-line value the way papermill's ``-p`` does, plus JSON lists and objects.

    ``True``/``true``, ``False``/``false``, ``None``/``null`` -> bool/None; integers and
    floats -> numbers; ``[...]`` and ``{...}`` -> JSON; anything else (e.g. a date
    ``2019-04-22``) stays a string.
    """
    words = {"True": True, "true": True, "False": False, "false": False}
    if text in words:
        return words[text]
    if text in ("None", "null"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    if text and text[0] in "[{":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON: {exc}") from None
    return text


_SIMPLE_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list": (list,),
    "dict": (dict,),
    "tuple": (list, tuple),
    "None": (type(None),),
}
_TYPING_ALIASES = {"List": "list", "Dict": "dict", "Tuple": "tuple"}


def _conforms(value: Any, node: ast.expr | None) -> bool:
    """Whether ``value`` fits a parameter annotation; annotations it cannot read pass."""
    if node is None:
        return True
    if isinstance(node, ast.Constant):
        if node.value is None:
            return value is None
        if isinstance(node.value, str):  # a string annotation: "int | None"
            try:
                return _conforms(value, ast.parse(node.value, mode="eval").body)
            except SyntaxError:
                return True
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _conforms(value, node.left) or _conforms(value, node.right)
    if isinstance(node, ast.Name | ast.Attribute):
        name = node.id if isinstance(node, ast.Name) else node.attr
        if name in ("int", "float") and isinstance(value, bool):
            return False
        types = _SIMPLE_TYPES.get(_TYPING_ALIASES.get(name, name))
        return isinstance(value, types) if types else True
    if isinstance(node, ast.Subscript):
        base = (
            node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
        )
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base == "Optional":
            return value is None or _conforms(value, args[0])
        if base == "Union":
            return any(_conforms(value, a) for a in args)
        if base == "Literal":
            try:
                return value in [ast.literal_eval(a) for a in args]
            except ValueError:
                return True
        if base in ("list", "List", "Sequence"):
            return isinstance(value, list) and all(_conforms(v, args[0]) for v in value)
        if base in ("dict", "Dict", "Mapping"):
            return isinstance(value, dict)
        if base in ("tuple", "Tuple"):
            return isinstance(value, list | tuple)
    return True


@dataclass(frozen=True)
class ParameterDoc:
    """One parameter as the notebook declares it: the source text of each part."""

    name: str
    annotation: str  # "" when the assignment has none
    default: str
    comment: str  # the comment on the assignment's line, without "#"


def parameter_docs(path: Path) -> list[ParameterDoc]:
    """Every parameter of a notebook with its annotation, default and line comment, in order.

    What ``bri-analysis params`` prints; ``papermill --help-notebook`` shows the same
    names, annotations and comments (it reads them with its own parser).
    """
    nb = read_notebook(path)
    declared_parameters(path, nb)  # the same errors as the builder for a missing cell
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    comments = {
        tok.start[0]: tok.string.lstrip("#").strip()
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    }
    docs = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names, annotation = [node.target.id], ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            annotation = ""
        else:
            continue
        default = "" if node.value is None else ast.unparse(node.value)
        comment = comments.get(node.end_lineno or node.lineno, "")
        docs += [ParameterDoc(name, annotation, default, comment) for name in names]
    return docs
