"""The annotator's first paint: the item's workspace thumbnail with its boxes and points, as the HTML of a
core ipywidgets ``HTML`` model (``preview_html``), shown in the stage's place until the stage has drawn its
own first image.

Why: a core widget's view is made as soon as the page has the display (no module to import), while the
stage, an anywidget, waits for its module and then for its image's decoding (at 1 MP ~50 ms later, half the
fastest peer's whole time); the page decodes the small thumbnail, inlined as a ``data:`` URL, in about a
millisecond. The preview is laid out as the stage's canvas is: a box of the canvas's aspect ratio as wide
as the stage, the image's rectangle in it where the viewport puts it, the thumbnail and an SVG of the shapes
in image pixels (so that the page can move that rectangle if the canvas is resized before the stage draws),
outlined in their labels' colours with the stage's 2 canvas px. It is inert (``pointer-events: none``) and
sits over the stage's place (js/annotator_stage.css). The stage's page view hides it when it first draws
and empties its model in that page (a second view, or a notebook saved then, shows nothing of it: no
message to the kernel, whose reply would cost more bytes than the goal allows at 1 MP); the kernel drops the
model at the first gesture or item change, or with the annotator.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence

from ..models.annotation_edits import Shape, box_edges
from ..models.viewport import Viewport
from .canvas_drawing import POINT_RADIUS, UNKNOWN_COLOR

# The side panel's width beside the stage (js/annotator_panel.css): the preview's row keeps its place.
PANEL_WIDTH = 260


def preview_html(
    thumbnail: bytes,
    viewport: Viewport,
    shapes: Sequence[tuple[int, Shape]],
    colors: Mapping[str, str],
    fixed_width: bool,
) -> str:
    """The preview's HTML: ``thumbnail`` (a JPEG) where ``viewport`` fits the image on the canvas, and the
    outline of every box and point, in a row laid out as the annotator's stage and side panel
    (``fixed_width``: the canvas keeps its own width, as ``width=`` gives it)."""
    width, height = viewport.canvas_width, viewport.canvas_height
    image_width, image_height, scale = viewport.image_width, viewport.image_height, viewport.scale
    place = (
        f"left:{_share(viewport.offset_x, width)};top:{_share(viewport.offset_y, height)};"
        f"width:{_share(image_width * scale, width)};height:{_share(image_height * scale, height)}"
    )
    size = f"width:{width}px" if fixed_width else "flex:1 1 480px;min-width:0"
    fill = "position:absolute;width:100%;height:100%"
    paths = "".join(
        f'<path stroke="{color}" d="{d}"/>' for color, d in outline_paths(shapes, colors, scale).items()
    )
    return (
        '<div style="display:flex;flex-wrap:wrap">'
        f'<div class="dlw-preview-canvas" style="position:relative;{size};aspect-ratio:{width}/{height}">'
        f'<div class="dlw-preview-image" style="position:absolute;{place}">'
        f'<img src="data:image/jpeg;base64,{base64.b64encode(thumbnail).decode()}" alt="" style="{fill}">'
        f'<svg viewBox="0 0 {image_width} {image_height}" preserveAspectRatio="none" fill="none" '
        f'stroke-width="{2 / scale:.3g}" style="{fill};overflow:visible">{paths}</svg></div></div>'
        f'<div style="flex:0 0 {PANEL_WIDTH}px"></div></div>'
    )


def outline_paths(
    shapes: Sequence[tuple[int, Shape]], colors: Mapping[str, str], scale: float
) -> dict[str, str]:
    """SVG path data per label colour, in whole image pixels: each box (not turned) as ``M x y h w v h h -w
    z``, each point as a square about as big as the stage's dot at ``scale``. Other shapes are left to the
    stage (a polygon's outline would cost as many bytes as its vertices)."""
    paths: dict[str, list[str]] = {}
    r = max(1, round(POINT_RADIUS / scale))
    for _key, shape in shapes:
        kind = shape["type"]
        if kind == "box" and len(shape["coordinates"]) == 2:
            x0, y0, x1, y1 = (round(v) for v in box_edges(shape))
            d = f"M{x0} {y0}h{x1 - x0}v{y1 - y0}h{x0 - x1}z"
        elif kind == "point":
            x, y = round(shape["coordinates"]["x"]), round(shape["coordinates"]["y"])
            d = f"M{x - r} {y - r}h{2 * r}v{2 * r}h{-2 * r}z"
        else:
            continue
        paths.setdefault(colors.get(shape.get("label") or "", UNKNOWN_COLOR), []).append(d)
    return {color: "".join(ds) for color, ds in paths.items()}


def _share(value: float, whole: int) -> str:
    """``value`` as a percentage of ``whole``, for CSS: at most 3 decimals, no trailing zeros."""
    return f"{100 * value / whole:.3f}".rstrip("0").rstrip(".") + "%"
