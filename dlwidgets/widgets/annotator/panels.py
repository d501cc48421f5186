"""``SidePanel``: the Annotator's side, one anywidget (``js/annotator_panel.js``) whatever the size of the
ontology or the item: a header (the item, its folder, size, place and annotation count), one label list
(searched in the browser, hotkeys 1-9, the recently used on top, a count per label, a toggle per label for
the item's classifications), the objects list (select, hover, hide, lock, delete) and the selected shape's
form (object id and attributes).

Rows travel as data and the browser draws only the rows in view, so the number of widget models stays the
same with 10 labels or 1,000 and with 0 annotations or 5,000. The labels are a synced trait (they change
with the ontology only); the objects list goes with the model's first state (``listed``, its rows in
a short form: no request and reply while the page opens), then as custom messages (``object_rows``): only
what each edit changed, and all its rows for a new item or when a view missed a change. The user's choices
come back as small messages (``PanelRequest``), each handed to one of the Annotator's callbacks.

The traits and messages are written down twice, alike: as the TypedDicts here and as JSDoc typedefs in
``js/annotator_panel.js``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import anywidget
import traitlets

from ...api import Attribute, Item
from ..assets import asset
from ..base import AnyWidgetChrome, Notice
from ..models.annotation_edits import AnnotationEdits
from ..models.gc_pause import cyclic_gc_paused
from .object_rows import ObjectRow, ObjectRows, ObjectsChanged, ObjectsList, ObjectsShown
from .opening import OpensWhenBuilt

# How many recently used labels the list shows on top.
RECENT_LABELS = 5
# The most objects that go with the model's state: a longer list's rows are made and sent once its view
# asks, after the image is drawn (at 1,000 rows, making them takes ~1 ms of the kernel's cell).
LISTED_ROWS = 500


class Header(TypedDict):
    """What is open: the item's name and folder, its size, its place among the items, its annotations."""

    name: str
    folder: str
    size: str
    position: str
    annotations: int


class LabelRow(TypedDict):
    """One label of the ontology: ``hotkey`` 1-9 for the first nine, 0 for the others."""

    name: str
    color: str
    hotkey: int


class AttributeField(TypedDict):
    """One input of the selected shape's form: the attribute's kind (its type) and its value now (None:
    not set)."""

    key: str
    title: str
    kind: str
    values: list[str]
    multi: bool
    min: float
    max: float
    step: float
    value: Any


class Selection(TypedDict):
    """The selected shape's form; ``known`` is False for a label outside the ontology."""

    key: int
    number: int
    shape: str
    label: str
    known: bool
    object_id: str
    fields: list[AttributeField]


class PickLabel(TypedDict):
    """Browser -> kernel: a label chosen from the list (for new shapes; relabels the selected one)."""

    type: Literal["label"]
    label: str


class Classify(TypedDict):
    """Browser -> kernel: the item classified with ``label`` (``on``) or not."""

    type: Literal["classify"]
    label: str
    on: bool


class SelectObject(TypedDict):
    """Browser -> kernel: an object of the list clicked (``key`` -1: none)."""

    type: Literal["select"]
    key: int


class HoverObject(TypedDict):
    """Browser -> kernel: the pointer over an object of the list (``key`` -1: over none)."""

    type: Literal["hover"]
    key: int


class ObjectAction(TypedDict):
    """Browser -> kernel: an object hidden or shown, locked or unlocked, or deleted."""

    type: Literal["object"]
    key: int
    action: Literal["hide", "show", "lock", "unlock", "delete"]


class SetAttribute(TypedDict):
    """Browser -> kernel: an attribute of the selected shape set (``value`` None: unset)."""

    type: Literal["attribute"]
    key: str
    value: Any


class SetObjectId(TypedDict):
    """Browser -> kernel: the selected shape's object id typed ("": none)."""

    type: Literal["object_id"]
    value: str


class ObjectsRequest(TypedDict):
    """Browser -> kernel: send every object (a view of a list too long for the model's state, or a page
    that missed a change)."""

    type: Literal["objects"]


PanelRequest = (
    PickLabel
    | Classify
    | SelectObject
    | HoverObject
    | ObjectAction
    | SetAttribute
    | SetObjectId
    | ObjectsRequest
)
# Kernel -> browser: the objects list, and the widget base's status (shown briefly in the panel).
PanelReply = ObjectsShown | ObjectsChanged | Notice
OBJECT_ACTIONS = ("hide", "show", "lock", "unlock", "delete")


@dataclass
class PanelCallbacks:
    """What the Annotator does with each choice made in the panel."""

    on_label: Callable[[str], None]
    on_classification: Callable[[str, bool], None]
    on_select: Callable[[int | None], None]
    on_hover: Callable[[int | None], None]
    on_object: Callable[[int, str], None]
    on_attribute: Callable[[str, Any], None]
    on_object_id: Callable[[str | None], None]


class SidePanel(OpensWhenBuilt, AnyWidgetChrome, anywidget.AnyWidget):
    """The Annotator's side panel; the Annotator writes its traits (``show_*``) and gets the user's
    choices through ``PanelCallbacks``. A failing choice is shown by ``attempt`` (the Annotator's). Its
    model opens once ``built``, with the first item's header, labels and counts."""

    _esm = asset("annotator_panel.js")
    _css = asset("annotator_panel.css")
    # Dict traits hold TypedDicts; Any because traitlets types a Dict trait's value dict[Any, Any]. The
    # header and the labels go to the page shorter: the header's values in its order, and the labels'
    # names and colours (the page gives the first nine the hotkeys 1-9, as ``show_ontology`` does).
    header: traitlets.Dict[str, Any] = traitlets.Dict().tag(
        sync=True, to_json=lambda header, _panel: [header.get(k) for k in Header.__annotations__]
    )
    labels: traitlets.List[Any] = traitlets.List().tag(  # LabelRow
        sync=True, to_json=lambda rows, _panel: [[r["name"] for r in rows], [r["color"] for r in rows]]
    )
    label = traitlets.Unicode("").tag(sync=True)
    recent = traitlets.List(traitlets.Unicode()).tag(sync=True)
    classifications = traitlets.List(traitlets.Unicode()).tag(sync=True)
    selected = traitlets.Int(-1).tag(sync=True)
    hidden = traitlets.List(traitlets.Int()).tag(sync=True)
    locked = traitlets.List(traitlets.Int()).tag(sync=True)
    selection: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)  # Selection, or {}
    # The objects list as the page's model gets it with a state it asks for whole (its opening, a page
    # reloaded): read then (``_listed``), never set; None above LISTED_ROWS. Changes go as messages; the
    # page writes its list as it is back into its model's ``listed`` (not sent here), which a notebook
    # saved with its widgets' state keeps.
    listed = traitlets.Any(None).tag(sync=True, to_json=lambda _value, panel: panel._listed())
    # Names the model in the page, which keeps its objects list for the views made later (a stage's too).
    key = traitlets.Unicode("").tag(sync=True)
    # The objects list (a new item's) or its change, held while the panel's changes are (``hold_sync``)
    # to go with them.
    _held_objects: ObjectsShown | ObjectsChanged | None = None
    # Left out of the model's first state while they hold their defaults (js/annotator_panel.js DEFAULTS;
    # ``listed`` None: too long for the state, the page asks).
    _own_defaults: tuple[str, ...] = (
        *("label", "recent", "classifications", "selected", "hidden", "locked", "selection"),
        "listed",
    )

    def __init__(self, callbacks: PanelCallbacks, attempt: Callable[[Callable[[], Any]], Any]) -> None:
        super().__init__(key=uuid.uuid4().hex[:12])
        self._callbacks = callbacks
        self._attempt = attempt
        self._attributes: list[Attribute] = []
        self._colors: dict[str, str] = {}
        self._objects = ObjectRows()
        # Until the page's model has the objects list (opened with it, see ``open``, or asked for), none is
        # kept up to date.
        self._is_viewed = False
        self._is_new_item = True
        self.on_msg(self._on_message)

    @property
    def objects(self) -> list[ObjectRow]:
        """The objects list's rows, as the browser shows them."""
        return self._objects.rows()

    @property
    def counts(self) -> dict[str, int]:
        """How many shapes of the item have each label."""
        return dict(self._objects.counts)

    # -- kernel -> browser ----------------------------------------------------------------------------
    def show_item(self, item: Item, index: int, total: int) -> None:
        self._objects.clear()
        self._is_new_item = True
        width, height = item.width, item.height
        size = f"{width} x {height} px" if width and height else (item.mimetype or "")
        self.header = dict(
            Header(
                name=item.name or item.id,
                folder=item.dir or "/",
                size=size,
                position=f"{index + 1} of {total}",
                annotations=self.header.get("annotations", 0),
            )
        )

    def show_ontology(
        self, labels: list[str], colors: dict[str, str], attributes: list[Attribute], label: str | None
    ) -> None:
        """The labels of the item's ontology, ``label`` picked; the first nine get the hotkeys 1-9."""
        self._attributes, self._colors = attributes, colors
        rows = [
            LabelRow(name=t, color=colors.get(t, ""), hotkey=n + 1 if n < 9 else 0)
            for n, t in enumerate(labels)
        ]
        with self.hold_sync():
            self.labels = rows
            self.recent = [t for t in self.recent if t in colors]
            self.label = label or ""

    def show_label(self, label: str) -> None:
        """``label`` is the one for new shapes, and the most recently used."""
        with self.hold_sync():
            self.label = label
            self.recent = [label, *(t for t in self.recent if t != label)][:RECENT_LABELS]

    def show_edits(self, edits: AnnotationEdits | None) -> None:
        """The item's objects, the labels' counts, its classifications and the header's count."""
        shapes = edits.shapes() if edits else []
        with cyclic_gc_paused():  # a row per annotation: thousands of small objects, no cycles
            changed = self._objects.update(shapes, tell=self._is_viewed)
        if self._is_viewed and self._is_new_item:
            self._tell(self._objects.shown())
        elif self._is_viewed and changed is not None:
            # A page that has the list as it was applies the change; any other asks for the whole list.
            self._tell(changed)
        self._is_new_item = False
        keys = {key for key, _ in shapes}
        with self.hold_sync():
            self.classifications = sorted(s["label"] for _, s in shapes if s["type"] == "class")
            self.header = {**self.header, "annotations": len(shapes)}
            self.hidden = [k for k in self.hidden if k in keys]
            self.locked = [k for k in self.locked if k in keys]

    def show_selection(self, edits: AnnotationEdits | None, selected: int | None) -> None:
        """The selected shape's form (``{}``: nothing selected)."""
        if edits is None or selected is None or selected not in edits:
            with self.hold_sync():
                self.selected, self.selection = -1, {}
            return
        shape = edits.shape(selected)
        label = shape.get("label") or ""
        system = shape.get("metadata", {}).get("system", {})
        values = system.get("attributes", {})
        fields = [_field(a, values.get(a.key)) for a in self._attributes if a.applies_to(label)]
        number = edits.keys().index(selected) + 1
        with self.hold_sync():
            self.selected = selected
            self.selection = dict(
                Selection(
                    key=selected,
                    number=number,
                    shape=shape["type"],
                    label=label,
                    known=label in self._colors,
                    object_id=system.get("objectId") or "",
                    fields=fields,
                )
            )

    def _tell(self, message: ObjectsShown | ObjectsChanged) -> None:
        """Send the objects list (whole, or a change); while the panel's changes are held (``hold_sync``),
        with them (``send_state``), after any list held before it."""
        if not self._holding_sync:
            self.send(message)
            return
        if self._held_objects is not None:
            self.send(self._held_objects)
        self._held_objects = message

    def send_state(self, key: Any = None) -> None:
        """Send the traits named by ``key``; when the objects list (or a change of it) is held, in its
        message: the page sets them and shows the list together (one message an edit or a show, not two)."""
        held, self._held_objects = self._held_objects, None
        if held is None or key is None:
            super().send_state(key)
        if held is not None:
            state = self.get_state(key=key) if key is not None else {}
            self.send({**held, "state": state} if state else held)

    def open(self) -> None:
        """Open the model (once ``built``): with the objects list in its state when it is no longer than
        LISTED_ROWS, and then the page's model keeps it, from the changes sent from now on; a longer one
        is made and sent when its view asks."""
        if self._is_built and self.comm is None:
            self._is_viewed = len(self._objects) <= LISTED_ROWS
        super().open()

    def _listed(self) -> ObjectsList | None:
        """The objects list for a whole state (the model's opening, or a page that reads it later): while
        the page's model keeps one (``_is_viewed``) and it is no longer than LISTED_ROWS; else None, and
        the view asks for it."""
        if not self._is_viewed or len(self._objects) > LISTED_ROWS:
            return None
        return self._objects.listed()

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """The page's changes of the traits, but not its ``listed``: that is the page's own copy of the
        list (for a saved notebook), never the kernel's, nor echoed back to the page whole."""
        super().set_state({name: value for name, value in sync_data.items() if name != "listed"})

    def set_hidden(self, keys: Iterable[int]) -> None:
        self.hidden = sorted(keys)

    def set_locked(self, keys: Iterable[int]) -> None:
        self.locked = sorted(keys)

    # -- browser -> kernel ----------------------------------------------------------------------------
    def _on_message(self, _widget: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        """A ``PanelRequest``; a message of another shape is ignored, as it comes from outside."""
        self._attempt(lambda: self._handle(content))

    def _handle(self, content: dict[str, Any]) -> None:
        c = self._callbacks
        kind = content.get("type")
        key = content.get("key")
        if kind == "label" and isinstance(content.get("label"), str):
            c.on_label(content["label"])
        elif kind == "classify" and isinstance(content.get("label"), str):
            c.on_classification(content["label"], bool(content.get("on")))
        elif kind == "select" and isinstance(key, int):
            c.on_select(key if key >= 0 else None)
        elif kind == "hover" and isinstance(key, int):
            c.on_hover(key if key >= 0 else None)
        elif kind == "object" and isinstance(key, int) and content.get("action") in OBJECT_ACTIONS:
            c.on_object(key, content["action"])
        elif kind == "attribute" and isinstance(content.get("key"), str):
            c.on_attribute(content["key"], content.get("value"))
        elif kind == "object_id" and isinstance(content.get("value"), str):
            c.on_object_id(content["value"] or None)
        elif kind == "objects":
            self._is_viewed = True
            self.send(self._objects.shown())


def _field(attribute: Attribute, value: Any) -> AttributeField:
    rng = attribute.range or {}
    return AttributeField(
        key=attribute.key,
        title=attribute.title or attribute.key,
        kind=attribute.type,
        values=list(attribute.values or []),
        multi=bool(attribute.multi),
        min=float(rng.get("min", 0)),
        max=float(rng.get("max", 100)),
        step=float(rng.get("step", 1)),
        value=value,
    )
