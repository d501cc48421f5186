"""How many widget models each widget makes on the demo dataset (the README's table): each made first in
a fresh kernel (with the kernel's shared Layout, Style and module models it is the first to need), and
made again after it (what each further one costs).

    .venv/bin/python benchmarks/widget_models.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

WIDGETS = {
    "Login": "dw.Login()",
    "Browser": "_browser(demo)",
    "OntologyEditor": "dw.OntologyEditor(demo)",
    "Dropzone": "dw.Dropzone(demo)",
    "Annotator": "dw.Annotator(item)",
    "PromptComposer": "dw.PromptComposer(demo)",
    "TaskCreator": "dw.TaskCreator(demo)",
    "MyWork": "dw.MyWork()",
    "Studio": "_studio(demo)",
}

# Run in a fresh interpreter: the demo workspace, then the widget twice; prints the models each made.
COUNT = """
import json, sys
import dlwidgets as dw
from dlwidgets.demo import create_demo
from dlwidgets.widgets.base import live_models

demo = create_demo(dw.connect(home=sys.argv[1]))
item = demo.items.list().items[0]

def _browser(dataset):
    browser = dw.Browser()
    browser.dataset = dataset
    return browser

def _studio(dataset):
    studio = dw.Studio()
    studio.browser.dataset = dataset
    return studio

made = []
for _ in range(2):
    before = live_models()
    widget = MAKE
    made.append(live_models() - before)
print(json.dumps(made))
"""


def count(make: str) -> list[int]:
    with tempfile.TemporaryDirectory(prefix="dlwidgets-widget-models-") as home:
        done = subprocess.run(
            [sys.executable, "-c", COUNT.replace("MAKE", make), home],
            capture_output=True, text=True, check=True, timeout=300, cwd=home,
        )  # fmt: skip
    counts: list[int] = json.loads(done.stdout.strip().splitlines()[-1])
    return counts


def main() -> int:
    print(f"{'widget':<16} {'first in a kernel':>18} {'each further one':>17}")
    for name, make in WIDGETS.items():
        first, again = count(make)
        print(f"{name:<16} {first:>18} {again:>17}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
