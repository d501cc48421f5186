"""A dlwidgets widget's messages from the page are handled on the kernel's main shell, in the order sent,
even where the page sends them over kernel subshells (JupyterLab 4.4+, Notebook 7, ipykernel 7).

ipykernel routes a comm message to the subshell of the message that last published on that comm. Here
the form's "go" button was last sent to while a click was handled ("prime" changes its text), its text
field from the cell. With the main shell busy (a click that sleeps), the user types then clicks "go":
the click must wait for the main shell and find the typed text, not run at once on a subshell thread.
"""

from __future__ import annotations

import pytest

from .page import OpenNotebook

CELL = """\
import threading, time
import ipywidgets as w
from dlwidgets.widgets.base import WidgetBase

def shell():
    return get_ipython().kernel.get_parent()["header"].get("subshell_id")

class Form(WidgetBase):
    def __init__(self):
        self.field = w.Text()
        self.field.add_class("e2e-field")
        self.primes = 0
        self.go = self.button("go", self.submit)
        buttons = [self.go, self.button("prime", self.prime), self.button("busy", self.busy)]
        for button in buttons:
            button.add_class(f"e2e-{button.description}")
        super().__init__([self.field, *buttons])

    def prime(self):
        self.primes += 1
        self.go.description = f"go {self.primes}"  # published while a page message is handled
        dump("primed.json", {"subshell": shell(), "count": self.primes})

    def busy(self):
        dump("busy.json", True)
        time.sleep(4)

    def submit(self):
        dump("submitted.json", {"value": self.field.value, "thread": threading.current_thread().name})

form = Form()
form
"""


def test_a_click_after_typing_is_handled_on_the_main_shell_after_the_typed_text(
    open_notebook: OpenNotebook,
) -> None:
    notebook = open_notebook([CELL])
    notebook.run_all()
    notebook.wait_widget(".e2e-busy")
    notebook.wait_ready()

    # Until the page sends the form's messages over a subshell (it makes one on the first message).
    for count in range(1, 6):
        notebook.output(".e2e-prime").click()
        if notebook.wait_file("primed.json", until=lambda primed, n=count: primed["count"] == n)["subshell"]:
            break
    else:
        pytest.fail("the page never sent a click over a kernel subshell: nothing to test here")

    notebook.output(".e2e-busy").click()
    notebook.wait_file("busy.json")  # the main shell sleeps now
    notebook.output(".e2e-field input").fill("typed")
    notebook.output(".e2e-go").click()
    assert notebook.wait_file("submitted.json", timeout=30) == {"value": "typed", "thread": "MainThread"}
