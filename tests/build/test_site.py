"""index.html and the report pages."""

from __future__ import annotations

from tests.helpers import CATALOG, Project, StandInExecutor


def test_index_lists_every_report_and_escapes_text(project: Project) -> None:
    project.catalog.write_text(CATALOG.replace('title = "Goodbye"', 'title = "<script>x</script>"'))
    (project.notebooks / "other.ipynb").unlink()
    project.build("hello", executor=StandInExecutor())
    index = (project.out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;x&lt;/script&gt;" in index and "<script>x" not in index
    assert '<a href="hello.html">Hello</a>' in index
    assert "greeting = &#x27;bye&#x27;" in index
    assert "failed: notebook not found" not in index  # other was not selected
    assert '<tr id="other"><td>Other<br><code>other</code></td>' in index
    assert ">not built<" in index
