"""Two kernels edit one ontology: one adds labels while the other saves from a copy read before each add,
by ``ontology.update()`` or from the OntologyEditor's draft. No label is lost without a conflict shown."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import dlwidgets as dw
from dlwidgets.widgets.models.ontology_draft import OntologyDraft

ROUNDS = 200

# Kernel B: adds the label named on each line of its input, and answers when it is stored.
ADDER = """
import sys
import dlwidgets as dw

project = dw.connect(home=sys.argv[1]).projects.get(project_name="widgets")
ontology = project.datasets.get(dataset_name="street").ontology()
print("ready", flush=True)
for line in sys.stdin:
    ontology.add_label(label_name=line.strip(), color="#123456")
    print("added", flush=True)
"""


class Adder:
    """Kernel B, in its own process on the same workspace."""

    def __init__(self, home: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", ADDER, str(home)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._answer() == "ready"

    def _answer(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def add(self, tag: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(tag + "\n")
        self.process.stdin.flush()
        assert self._answer() == "added"

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(30)


@pytest.fixture
def adder(dataset: dw.Dataset, workspace_home: Path) -> Iterator[Adder]:
    kernel_b = Adder(workspace_home)
    yield kernel_b
    kernel_b.close()


def test_no_label_is_lost_without_a_conflict(dataset: dw.Dataset, adder: Adder) -> None:
    added: list[str] = []
    conflicts = {"update": 0, "editor": 0}
    for n in range(ROUNDS):
        copy = dataset.ontology()  # kernel A reads the ontology...
        draft = OntologyDraft(copy)
        adder.add(f"b{n}")  # ...kernel B adds a label...
        added.append(f"b{n}")
        colour = f"#{n:06x}"
        try:  # ...and kernel A saves from what it read.
            if n % 2 == 0:
                for node in copy.roots:
                    if node["value"]["tag"] == "person":
                        node["value"]["color"] = colour
                copy.roots.append({"value": {"tag": f"a{n}", "color": "#00ff00"}, "children": []})
                copy.update()
            else:
                draft.recolor("person", colour)
                if f"a{n - 2}" in draft.tags():
                    draft.delete_label(f"a{n - 2}")
                draft.add_label(f"a{n}")
                draft.save()
        except dw.exceptions.Conflict as conflict:
            conflicts["update" if n % 2 == 0 else "editor"] += 1
            assert f"'b{n}'" in conflict.message  # the conflict names what changed
        stored = dataset.ontology().tags()
        lost = [tag for tag in added if tag not in stored]
        assert not lost, f"round {n}: {lost} lost, conflicts so far {conflicts}"
    # A whole-ontology update from a stale copy is always refused; the editor sends its changes and so
    # saves, the other kernel's labels kept.
    assert conflicts == {"update": ROUNDS // 2, "editor": 0}
    final = dataset.ontology()
    assert [tag for tag in final.tags() if tag.startswith("a")] == [f"a{ROUNDS - 1}"]
    person = next(label for label in final.labels if label.tag == "person")
    assert person.color == f"#{ROUNDS - 1:06x}"


def test_a_stale_update_is_refused_and_names_what_changed(dataset: dw.Dataset) -> None:
    copy = dataset.ontology()
    dog = dataset.ontology().add_label(label_name="dog")
    copy.roots = [node for node in copy.roots if node["value"]["tag"] != "indoor"]
    with pytest.raises(dw.exceptions.Conflict) as refused:
        copy.update()
    assert "saving your copy would undo that: label 'dog' was added." in refused.value.message
    assert dataset.ontology().tags() == ["car", "person", "indoor", "dog"]
    copy.roots.append({"value": {"tag": "dog", "color": dog.color, "displayLabel": "Dog"}, "children": []})
    assert copy.update().tags() == ["car", "person", "dog"]  # a stale copy that keeps the change saves
    fresh = dataset.ontology()  # read again, any change saves
    fresh.roots = [node for node in fresh.roots if node["value"]["tag"] != "dog"]
    assert fresh.update().tags() == ["car", "person"]


def test_update_label_changes_only_a_stored_label(dataset: dw.Dataset) -> None:
    ontology = dataset.ontology()
    assert ontology.update_label(label_name="person", color=(0, 0, 255)).color == "#0000ff"
    assert ontology.update_label(label_name="person", display_label="Walker").color == "#0000ff"
    with pytest.raises(dw.exceptions.NotFound, match="'horse' is not in the ontology"):
        ontology.update_label(label_name="horse", color="#000000")
    assert ontology.update_label(label_name="horse", color="#000000", upsert=True).tag == "horse"


def test_the_editor_merges_onto_what_others_saved(dataset: dw.Dataset) -> None:
    draft = OntologyDraft(dataset.ontology())
    other = OntologyDraft(dataset.ontology())
    other.delete_label("indoor")
    other.recolor("car", "#111111")
    other.attributes[0].title = "Hidden?"
    other.save()
    draft.rename("person", "pedestrian")
    draft.add_label("car.wheel")
    draft.save()
    ontology = dataset.ontology()
    assert ontology.tags() == ["car", "car.wheel", "pedestrian"]
    assert ontology.labels[0].color == "#111111"
    assert ontology.attributes[0].title == "Hidden?"


def test_an_edit_of_what_another_changed_is_a_conflict_and_the_draft_is_kept(dataset: dw.Dataset) -> None:
    from dlwidgets.widgets.ontology_editor import OntologyEditor

    editor = OntologyEditor(dataset)
    dataset.ontology().update_label(label_name="person", color="#222222")
    editor.draft.recolor("person", "#333333")
    editor.draft.delete_label("indoor")
    assert not editor.save()
    assert "label 'person' was changed by you and by someone else" in editor.status
    assert editor.draft.label("person").color == "#333333" and "indoor" not in editor.draft.tags()
    ontology = dataset.ontology()
    assert ontology.tags() == ["car", "person", "indoor"] and ontology.labels[1].color == "#222222"
    editor.draft.recolor("person", "#00ff00")  # their colour wins once the user leaves it alone
    assert editor.save()
    ontology = dataset.ontology()
    assert ontology.tags() == ["car", "person"] and ontology.labels[1].color == "#222222"
    editor.close()
