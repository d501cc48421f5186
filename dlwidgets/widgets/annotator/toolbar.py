"""The Annotator's toolbar as ``ControlBar`` specs: the tools (their keys in the tooltips), the brush
size, zoom, label text and opacity on the first row; undo, redo, save and its state, discard, the item
(previous, counter, next, number), save & next and autosave on the second. The Annotator maps each id to
what it does (``Annotator._build_controls``).

Readouts that change as one works (the zoom, the save state) have fixed widths, and the rows wrap, never
scroll sideways: nothing the toolbar shows moves the canvas below it mid-drag."""

from __future__ import annotations

from .. import control_bar as cb
from .mask_painting import DEFAULT_SIZE, MAX_SIZE

# (value, text, tooltip): the vector tools' keys are in their tooltips only, as with them in the text the
# row of tools grows wide enough to reflow the canvas beside the panel.
TOOL_CHOICES = (
    ("box", "Box (B)", "Box (B)"),
    ("point", "Point (P)", "Point (P)"),
    ("polygon", "Polygon", "Polygon (G)"),
    ("polyline", "Polyline", "Polyline (L)"),
    ("ellipse", "Ellipse", "Ellipse (O)"),
    ("select", "Select (V)", "Select (V)"),
    ("brush", "Brush (M)", "Brush (M)"),
    ("eraser", "Eraser (E)", "Eraser (E)"),
)
BRUSH_SIZE_TIP = "brush and eraser size in image pixels (- and = step it)"

# How each save state reads in the toolbar, and its tone.
SAVE_STATES = {
    "saved": ("saved", ""),
    "unsaved": ("● unsaved", "error"),
    "saving": ("saving…", "muted"),
    "failed": ("✖ save failed", "error"),
}


def toolbar_controls(items: int) -> list[cb.Control]:
    """The toolbar of an Annotator over ``items`` items, with its state on opening at the first item (the
    kernel's toolbars share the specs, so each sends only what differs from it: the zoom, mostly)."""
    return [
        cb.toggles("tool", TOOL_CHOICES, css_class="dlw-tools", value="box"),
        cb.button("zoom_out", icon="search-minus", tooltip="Zoom out"),
        cb.text("zoom", tooltip="zoom", width="48px", css_class="dlw-zoom"),
        cb.button("zoom_in", icon="search-plus", tooltip="Zoom in"),
        cb.button("fit", "Fit", "expand", "Fit the image"),
        cb.button("actual_size", "1:1", tooltip="Zoom to 100%: one image pixel per pixel"),
        cb.checkbox("label_text", "label text", width="90px", value=True),
        cb.slider("opacity", "opacity", 0.1, 1.0, 0.05, width="170px", value=1.0),
        cb.button("shortcuts", icon="keyboard-o", tooltip="Keyboard shortcuts (?)"),
        # Shown with the brush and the eraser only; hidden, it keeps its room at the row's end (the tools'
        # keys switch tools with the pointer over the canvas, which must not move).
        cb.number(
            "brush_size",
            "brush px",
            1,
            MAX_SIZE,
            tooltip=BRUSH_SIZE_TIP,
            width="130px",
            keep_space=True,
            css_class="dlw-brush-size",
            value=DEFAULT_SIZE,
            hidden=True,
        ),
        cb.row_break("second_row"),
        cb.button("undo", "Undo", "undo", "Ctrl+Z", disabled=True),
        cb.button("redo", "Redo", "repeat", "Ctrl+Shift+Z", disabled=True),
        cb.button("save", "Save", "save", "Ctrl+S"),
        cb.text("save_state", width="110px", css_class="dlw-dirty", value=SAVE_STATES["saved"][0]),
        cb.button("discard", "Discard", "undo", "Discard the unsaved edits", disabled=True),
        cb.button("previous", icon="chevron-left", tooltip="Previous item ([)"),
        cb.text("counter", css_class="dlw-counter", value=f"1 of {items}"),
        cb.button("next", icon="chevron-right", tooltip="Next item (])"),
        cb.number("item", "item", 1, max(items, 1), width="130px", css_class="dlw-item-number", value=1),
        cb.button("save_next", "Save & next", "forward", "Save, then the next item"),
        cb.checkbox("autosave", "autosave", width="90px", value=True),
    ]
