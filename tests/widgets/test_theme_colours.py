"""Every widget follows JupyterLab's theme, light or dark: colours come from its ``--jp-*`` variables, with
the browser's system colours (Canvas, CanvasText, GrayText, ...) where they are not defined. A fixed
colour (``#fff``, ``white``, ``rgb(...)``) in a stylesheet or in the HTML a widget writes would stay light
in the dark theme. Drawing on the image (label colours, handles) is not theming and is not checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXED = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:white|black)\b(?!-)|\brgba?\(|\bhsla?\(")
WIDGETS = "dlwidgets/widgets"
WRITERS = ("browser", "base.py", "studio.py", "ontology_editor.py", "prompt_composer.py", "task_creator.py")
HTML_WRITERS = [f"{WIDGETS}/{name}" for name in (*WRITERS, "login.py", "dropzone.py")]


@pytest.mark.parametrize("sheet", sorted(p.name for p in (REPO / "js").glob("*.css")))
def test_stylesheets_hold_no_fixed_colour(sheet: str) -> None:
    text = re.sub(r"/\*.*?\*/", "", (REPO / "js" / sheet).read_text(), flags=re.S)
    assert FIXED.findall(text) == []


def test_the_html_widgets_write_holds_no_fixed_colour() -> None:
    paths = [REPO / path for path in HTML_WRITERS]
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*.py")))]
    assert len(files) >= len(HTML_WRITERS)
    found = []
    for file in files:
        for number, line in enumerate(file.read_text().splitlines(), 1):
            styled = re.findall(r"(?:style=|color:|background:|border=)[^\"]*", line)
            found += [f"{file.name}:{number}: {s}" for s in styled if FIXED.search(s)]
    assert found == []
