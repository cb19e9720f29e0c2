"""Reading a notebook's parameters cell and typing -p values, without a kernel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bri_analysis.build import catalog as rc
from bri_analysis.build import inspection


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("True", True),
        ("false", False),
        ("None", None),
        ("12", 12),
        ("-1.5", -1.5),
        ("2019-04-22", "2019-04-22"),
        ('["a", "b"]', ["a", "b"]),
        ("Kazakhstan", "Kazakhstan"),
        ("", ""),
    ],
)
def test_parse_value_types_like_papermill(text: str, value: object) -> None:
    assert inspection.parse_value(text) == value
    assert type(inspection.parse_value(text)) is type(value)


def test_parse_parameters_names_each_bad_option() -> None:
    assert inspection.parse_parameters(["a=1", "b = x"]) == {"a": 1, "b": " x"}
    with pytest.raises(rc.CatalogError) as err:
        inspection.parse_parameters(["novalue", "1x=2", "c=[1,"])
    assert [p.split(":")[0] for p in err.value.problems] == [
        "-p 'novalue'",
        "-p '1x=2'",
        "-p 'c=[1,'",
    ]


def test_parameter_checks_read_the_parameters_cell() -> None:
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {"tags": ["parameters"]}, "source": "x = 1"},
            {
                "cell_type": "code",
                "metadata": {"tags": ["parameters"]},
                "source": [
                    'as_of: str = "2019-04-22"\n',
                    "region: str | None = None\n",
                    "share: float = 0.5\n",
                    "top: int = 10\n",
                    "channels: list[str] | None = None\n",
                    "scheme: Literal['continent', 'un_region'] = 'continent'\n",
                    "legacy = 3\n",
                ],
            },
        ]
    }
    declared = inspection.declared_parameters(Path("nb.ipynb"), nb)
    assert list(declared) == ["as_of", "region", "share", "top", "channels", "scheme", "legacy"]
    good = {"region": None, "share": 1, "top": 3, "channels": ["a"], "scheme": "un_region"}
    assert inspection.parameter_problems("r", {**good, "legacy": "anything"}, declared) == []
    bad = {"top": True, "share": "half", "channels": "a", "scheme": "world", "regoin": "Asia"}
    problems = inspection.parameter_problems("r", bad, declared)
    assert len(problems) == 5
    assert "r: parameter 'top' expects int, got True" in problems
    assert any(
        "unknown parameter 'regoin'; the notebook declares as_of, channels" in p for p in problems
    )


def test_notebook_without_parameters_cell_is_an_error() -> None:
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": "x = 1"}]}
    with pytest.raises(rc.CatalogError, match="no code cell tagged 'parameters'"):
        inspection.declared_parameters(Path("nb.ipynb"), nb)


def test_parameter_docs_reads_annotation_default_and_comment(tmp_path: Path) -> None:
    source = (
        'as_of: str = "2019-04-22"  # the day described\n'
        "years: Optional[list] = [\n    2013,\n    2019,\n]  # first and last year\n"
        "plain = 3\n"
    )
    cell = {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": source}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": [cell]}))
    docs = inspection.parameter_docs(path)
    assert [(d.name, d.annotation, d.default, d.comment) for d in docs] == [
        ("as_of", "str", "'2019-04-22'", "the day described"),
        ("years", "Optional[list]", "[2013, 2019]", "first and last year"),
        ("plain", "", "3", ""),
    ]
