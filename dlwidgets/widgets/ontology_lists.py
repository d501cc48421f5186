"""``OntologyLists``: the back-end of ``js/ontology_lists.js``, the OntologyEditor's label and attribute
lists as one anywidget whatever the ontology's size.

The rows travel as data (``label_rows`` and ``attribute_rows`` make them from an ``OntologyDraft``): the
attributes in a synced list; the labels, which may be thousands, as custom messages: all of them when a
view asks (``LabelsShown``), then what each edit changed (``LabelsChanged``). The browser draws only the
label rows in view, filters them by name itself, and sends each edit as a small custom message
(``ListMessage``), which the editor applies to its draft and answers with the rows it changed. The traits
and messages are written down twice, alike: as the TypedDicts here and as JSDoc typedefs in
``js/ontology_lists.js``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypedDict

import traitlets

from .assets import asset
from .message_widget import MessageWidget
from .models.ontology_draft import OntologyDraft


class LabelRow(TypedDict):
    """One label as the list shows it (``LabelRow`` in the JS module)."""

    uid: int
    name: str
    tag: str
    depth: int
    parent: int  # the parent's uid; 0 for a top label
    index: int  # its place among its siblings
    color: str
    display: str
    hotkey: int  # the annotator's number key; 0 for none
    origin: str  # its tag as stored, which annotations carry; "" for a new label
    problems: list[str]


class AttributeRow(TypedDict):
    """One attribute as the list shows it (``AttributeRow`` in the JS module)."""

    uid: int
    title: str
    key: str
    description: str
    problems: list[str]


class Confirm(TypedDict, total=False):
    """The delete being asked about (``Confirm`` in the JS module); empty for none."""

    uid: int
    text: str


class LabelEdit(TypedDict):
    """Browser -> kernel: a label's name, colour or display name, as typed (sent when the field is left)."""

    type: Literal["edit"]
    uid: int
    field: Literal["name", "color", "display"]
    value: str


class LabelMove(TypedDict):
    """Browser -> kernel: move a label ``offset`` places among its siblings (buttons, Alt+arrows, drag)."""

    type: Literal["move"]
    uid: int
    offset: int


class LabelNest(TypedDict):
    """Browser -> kernel: move a label, its children with it, under the label ``parent`` (0: to the top),
    at ``index`` among its new siblings (-1: last) (a drag onto a label's right half, Alt+arrows)."""

    type: Literal["nest"]
    uid: int
    parent: int
    index: int


class LabelAdd(TypedDict):
    """Browser -> kernel: add the label the "new label" fields hold."""

    type: Literal["add"]
    tag: str
    color: str


class LabelDelete(TypedDict):
    """Browser -> kernel: delete a label; the kernel asks first (``confirm``)."""

    type: Literal["delete"]
    uid: int


class DeleteConfirm(TypedDict):
    type: Literal["confirm"]
    uid: int


class DeleteCancel(TypedDict):
    type: Literal["cancel"]
    uid: int


class AttributeEdit(TypedDict):
    """Browser -> kernel: open the attribute form on an attribute."""

    type: Literal["edit-attribute"]
    uid: int


class AttributeDelete(TypedDict):
    type: Literal["delete-attribute"]
    uid: int


class CountRequest(TypedDict):
    """Browser -> kernel: the list is shown and has no counts yet; the kernel counts, once."""

    type: Literal["count"]


class LabelsRequest(TypedDict):
    """Browser -> kernel: send every label row (a view just drawn, or one that missed a change)."""

    type: Literal["labels"]


class LabelsShown(TypedDict):
    """Kernel -> browser: every label row, in list order; ``revision`` numbers this state of the list."""

    type: Literal["labels"]
    revision: int
    rows: list[LabelRow]


class LabelsChanged(TypedDict):
    """Kernel -> browser: what one edit did to the list at revision ``base``: the rows added or changed,
    the uids removed and, when the order changed otherwise than by new rows at the end, every uid in
    order (else empty)."""

    type: Literal["labels-changed"]
    base: int
    revision: int
    rows: list[LabelRow]
    removed: list[int]
    order: list[int]


class AttributeNew(TypedDict):
    """Browser -> kernel: open the attribute form on a new attribute."""

    type: Literal["new-attribute"]


ListMessage = (
    LabelEdit
    | LabelMove
    | LabelNest
    | LabelAdd
    | LabelDelete
    | DeleteConfirm
    | DeleteCancel
    | AttributeEdit
    | AttributeDelete
    | AttributeNew
    | CountRequest
    | LabelsRequest
)


def label_rows(draft: OntologyDraft, problems: Mapping[int, list[str]]) -> list[LabelRow]:
    """Every label of ``draft``, depth first, with its problems (by the label's ``uid``)."""
    hotkeys = draft.hotkeys()
    rows: list[LabelRow] = []
    parents: list[int] = []  # the uids of the labels above the one walked, by depth
    places: dict[int, int] = {}  # parent uid: children seen so far
    for tag, label, depth in draft.walk():
        del parents[depth:]
        parent = parents[-1] if parents else 0
        index = places.get(parent, 0)
        places[parent] = index + 1
        parents.append(label.uid)
        rows.append(
            LabelRow(
                uid=label.uid,
                name=label.name,
                tag=tag,
                depth=depth,
                parent=parent,
                index=index,
                color=label.color,
                display=label.display_label,
                hotkey=hotkeys.get(tag, 0),
                origin=label.origin or "",
                problems=list(problems.get(label.uid, [])),
            )
        )
    return rows


def attribute_rows(draft: OntologyDraft, problems: Mapping[int, list[str]]) -> list[AttributeRow]:
    return [
        AttributeRow(
            uid=a.uid,
            title=a.title or a.key,
            key=a.key,
            description=a.describe(),
            problems=list(problems.get(a.uid, [])),
        )
        for a in draft.attributes
    ]


class OntologyLists(MessageWidget):
    """The label list (searchable, virtually scrolled, edited in place) and the attribute list.

    ``counts`` holds how many annotations use each stored tag (None until counted, which the list
    asks for once it is shown); ``confirm`` is the
    delete being asked about (``{"uid", "text"}``, empty for none); ``new_label`` and
    ``new_color`` are what the "new label" fields hold (synced as typed; cleared once the label is added).
    """

    _esm = asset("ontology_lists.js")
    _css = asset("ontology_lists.css")
    attributes = traitlets.List(traitlets.Dict()).tag(sync=True)
    counts = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)
    confirm = traitlets.Dict().tag(sync=True)
    new_label = traitlets.Unicode("").tag(sync=True)
    new_color = traitlets.Unicode("#1f77b4").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._labels: list[LabelRow] = []
        self._revision = 0
        # Until a view asks for the labels, none is there to keep up to date.
        self._is_viewed = False

    @property
    def labels(self) -> list[LabelRow]:
        """The label rows, in list order, as the browser has them."""
        return list(self._labels)

    def show_labels(self, rows: list[LabelRow]) -> None:
        """Take ``rows`` as the label list now; a view gets what changed."""
        old = {row["uid"]: row for row in self._labels}
        uids = [row["uid"] for row in rows]
        kept = set(uids)
        changed = [row for row in rows if old.get(row["uid"]) != row]
        removed = [uid for uid in old if uid not in kept]
        appended = [uid for uid in old if uid in kept] + [uid for uid in uids if uid not in old]
        self._labels = rows
        if not (changed or removed) and appended == uids:
            return
        self._revision += 1
        if self._is_viewed:
            self.send(
                LabelsChanged(
                    type="labels-changed",
                    base=self._revision - 1,
                    revision=self._revision,
                    rows=changed,
                    removed=removed,
                    order=uids if appended != uids else [],
                )
            )

    def _receive(self, widget: Any, content: Any, buffers: list[bytes]) -> None:
        if isinstance(content, dict) and content.get("type") == "labels":
            self._is_viewed = True
            self.send(LabelsShown(type="labels", revision=self._revision, rows=self._labels))
        else:
            super()._receive(widget, content, buffers)
