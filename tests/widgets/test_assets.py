"""The ES modules and stylesheets as the anywidgets send them: without comments and indentation, and
otherwise the very code of js/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dlwidgets.widgets.assets import asset, strip_js

JS = sorted((Path(__file__).resolve().parent.parent.parent / "js").glob("*.js"))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("path", JS, ids=[p.name for p in JS])
def test_a_module_sent_is_its_code_without_comments(path: Path, tmp_path: Path) -> None:
    source = path.read_text()
    code = [line for line in source.splitlines() if not re.match(r"\s*(//|/\*|\*)", line)]
    sent = asset(path.name)
    assert _squeezed(sent) == _squeezed("\n".join(code))
    assert len(sent) < 0.8 * len(source)
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the module's syntax is not checked")
    module = tmp_path / f"{path.stem}.mjs"
    module.write_text(sent)
    result = subprocess.run([node, "--check", module], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_a_template_literal_spanning_lines_is_kept_as_written() -> None:
    text = "const help = `\n  // shown as text\n    indented`;\n  // a comment\n  show(help);\n"
    assert strip_js(text) == "const help = `\n  // shown as text\n    indented`;\nshow(help);\n"


def test_a_stylesheet_sent_has_no_comments() -> None:
    sent = asset("item_grid.css")
    assert "/*" not in sent and ".dlw-item-grid" in sent
