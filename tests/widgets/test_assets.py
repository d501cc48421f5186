"""The ES modules and stylesheets as the anywidgets send them: without comments and indentation, and
otherwise the very code of js/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dlwidgets.widgets.assets import asset, strip_js
from dlwidgets.widgets.item_grid import ItemGrid

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


def test_a_module_is_sent_once_per_kernel_however_many_widgets_run_it() -> None:
    grids = [ItemGrid(lambda *_: None, lambda *_: None) for _ in range(3)]
    states = [grid.get_state() for grid in grids]
    assert {state["_esm"] for state in states} == {asset("shared_module.js")}
    assert not any("_css" in state for state in states)
    module = grids[0]._shared_module
    assert {state["_shared_module"] for state in states} == {f"IPY_MODEL_{module.model_id}"}
    assert (module.esm, module.css) == (asset("item_grid.js"), asset("item_grid.css"))
    grids[0].close()  # closing one widget leaves the module to the others, and to the next one made
    assert module.comm is not None
    assert ItemGrid(lambda *_: None, lambda *_: None)._shared_module is module
    module.close()  # closed anyway (Widget.close_all()): the next widget gets a new one
    made = ItemGrid(lambda *_: None, lambda *_: None)
    assert made._shared_module is not module and made._shared_module.esm == module.esm
    for grid in [*grids, made]:
        grid.close()
