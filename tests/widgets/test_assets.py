"""The ES modules and stylesheets as the anywidgets send them: js/min/'s copy of each widget's file of js/,
esbuild's minified bundle of it and the files it imports, or for a file importing nothing the file less its
comments if shorter (``npm run minify``, js/minify.mjs)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dlwidgets.widgets.assets import asset
from dlwidgets.widgets.item_grid import ItemGrid

REPO = Path(__file__).resolve().parent.parent.parent
# The widgets' modules: the files of js/ with a copy in js/min/ (the files they import are in theirs), each
# with the files it is made from.
MADE_FROM: dict[str, list[str]] = {
    name: list(sources)
    for name, sources in json.loads((REPO / "js" / "min" / "sources.json").read_text()).items()
    if name.endswith(".js")
}
JS = sorted(REPO / "js" / name for name in MADE_FROM)
ESBUILD = REPO / "node_modules" / "esbuild"


def _needs_esbuild() -> None:
    if not ESBUILD.exists():
        if os.environ.get("CI"):
            pytest.fail("CI is set but esbuild is not installed: run `npm ci` in the repository first")
        pytest.skip("esbuild is not installed: `npm ci` here installs it (needs node and npm)")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("path", JS, ids=[p.name for p in JS])
def test_a_module_sent_is_its_copy_in_js_min_and_runs(path: Path, tmp_path: Path) -> None:
    source = "".join((REPO / "js" / name).read_text() for name in MADE_FROM[path.name])
    sent = asset(path.name)
    assert sent == (REPO / "js" / "min" / path.name).read_text()
    assert len(sent) < 0.8 * len(source)
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the module's syntax is not checked")
    module = tmp_path / f"{path.stem}.mjs"
    module.write_text(sent)
    result = subprocess.run([node, "--check", module], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_copies_are_what_minify_makes_of_their_files() -> None:
    _needs_esbuild()
    result = subprocess.run(
        ["node", "js/minify.mjs", "--check"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# Prints what js/minify.mjs makes of the files named in argv: esbuild's copy or the file less its comments.
_SENT = """
const { sent, stripJs } = await import(process.argv[1]);
const texts = JSON.parse(process.argv[2]);
console.log(JSON.stringify([...Object.entries(texts).map(([name, text]) => sent(name, text).text),
    stripJs("const help = `\\n  // shown as text\\n    indented`;\\n  // a comment\\n  show(help);\\n")]));
"""


def test_a_file_shorter_without_its_comments_than_esbuilds_copy_is_sent_so() -> None:
    """esbuild's copy of a module ends in an export statement: a module written short by hand (the stub each
    widget sends) is shorter without its comments. Template literals spanning lines keep their lines."""
    _needs_esbuild()
    texts = {
        "stub.js": "// the stub\nexport default async()=>1\n",
        "module.js": "export function render({ el }) {\n  const t = 'x';\n  el.title = t + t + t;\n}\n",
        "widget.css": "/* the widget */\n.dlw-widget {\n  color: red;\n}\n",
    }
    run = [
        "node",
        "--input-type=module",
        "-e",
        _SENT,
        (REPO / "js" / "minify.mjs").as_uri(),
        json.dumps(texts),
    ]
    result = subprocess.run(run, cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    stub, module, css, template = json.loads(result.stdout)
    assert stub == "export default async()=>1\n"
    assert module.startswith("function") and "export{" in module and "title" in module  # esbuild's
    assert css == ".dlw-widget{color:red}\n"
    assert template == "const help = `\n  // shown as text\n    indented`;\nshow(help);\n"


def test_a_stylesheet_sent_has_no_comments() -> None:
    sent = asset("item_grid.css")
    assert "/*" not in sent and ".dlw-item-grid" in sent


def test_a_module_is_sent_once_per_kernel_however_many_widgets_run_it() -> None:
    grids = [ItemGrid(lambda *_: None, lambda *_: None) for _ in range(3)]
    states = [grid.get_state() for grid in grids]
    assert {state["_esm"] for state in states} == {asset("widget_stub.js")}
    assert not any("_css" in state for state in states)
    module = grids[0]._shared_module
    assert {state["_shared_module"] for state in states} == {f"IPY_MODEL_{module.model_id}"}
    assert (module.esm, module.css) == (asset("item_grid.js"), asset("item_grid.css"))
    assert module.loader.get_state()["_esm"] == asset("shared_module.js")  # the page's loader, once
    grids[0].close()  # closing one widget leaves the module to the others, and to the next one made
    assert module.comm is not None
    assert ItemGrid(lambda *_: None, lambda *_: None)._shared_module is module
    module.close()  # closed anyway (Widget.close_all()): the next widget gets a new one
    made = ItemGrid(lambda *_: None, lambda *_: None)
    assert made._shared_module is not module and made._shared_module.esm == module.esm
    for grid in [*grids, made]:
        grid.close()


# Runs the stub as anywidget does (its default export, called): once the page's loader appears, and on a page
# that never gets one.
_STUB_RUN = """
globalThis.self = globalThis;
const { default: stub } = await import(process.argv[1]);
const loader = { render() {} };
setTimeout(() => (globalThis.dlwidgets2 = loader), 50);
const late = await stub();
delete globalThis.dlwidgets2;
const started = Date.now();
const missing = await stub().then(() => "resolved", (error) => error.message);
console.log(JSON.stringify([late === loader, missing, (Date.now() - started) / 1000]));
"""


def test_a_widgets_own_module_waits_for_the_pages_loader_and_says_when_there_is_none(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    module = tmp_path / "stub.mjs"
    module.write_text(asset("widget_stub.js"))
    run = [node, "--input-type=module", "-e", _STUB_RUN, module.as_uri()]
    result = subprocess.run(run, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    found_late, missing, waited = json.loads(result.stdout)
    assert found_late, "the loader made after the widget's module is the widget's definition"
    assert missing == "dlwidgets: the page has no loader"
    assert 3 < waited < 10, f"gave up after {waited} s"


def test_a_widgets_own_module_is_a_few_bytes_whatever_its_real_module() -> None:
    """Each anywidget's ``_esm`` goes to the page with every widget made (and into a saved notebook once
    per widget): the loading itself is the kernel's ``Loader``, sent once."""
    grid = ItemGrid(lambda *_: None, lambda *_: None)
    own = len(json.dumps(grid.get_state()["_esm"]).encode())
    assert own < 180, f"{own} bytes of _esm per widget"
    assert grid._shared_module.loader is ItemGrid(lambda *_: None, lambda *_: None)._shared_module.loader
