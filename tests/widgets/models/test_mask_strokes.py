"""Brush and eraser strokes: what a stroke message may hold, which pixels a stroke covers, the mask's PNG
as the official SDK reads it, and painted masks saved to the store and read back."""

from __future__ import annotations

import numpy as np
import pytest
from brush_paths import covered_by
from dtlpy.entities.annotation_definitions.segmentation import Segmentation as SdkSegmentation

import dlwidgets as dw
from dlwidgets.widgets.models import mask_strokes
from dlwidgets.widgets.models.annotation_edits import AnnotationEdits
from dlwidgets.widgets.models.mask_strokes import PaintedMask, Stroke, apply_stroke, empty_mask

# The labels' colours, as the Annotator reads them from the ontology.
COLORS = {"car": "#ff0000", "person": "#00ff00", "indoor": "#0000ff"}


def stroke(tool: str, radius: float, *points: tuple[float, float]) -> Stroke:
    flat = [v for p in points for v in p]
    return Stroke.from_message({"type": "stroke", "tool": tool, "radius": radius, "points": flat})


def sdk_pixels(url: str) -> np.ndarray:
    """The mask as the official SDK decodes a stored ``binary`` annotation."""
    return SdkSegmentation.from_json({"label": "car", "coordinates": url}).geo > 0


@pytest.mark.parametrize(
    ("message", "named"),
    [
        ({"tool": "pencil", "radius": 3, "points": [1, 2]}, "'pencil'"),
        ({"tool": "brush", "radius": 0, "points": [1, 2]}, "got 0"),
        ({"tool": "brush", "radius": True, "points": [1, 2]}, "got True"),
        ({"tool": "brush", "radius": 5, "points": [1, 2, 3]}, "[1, 2, 3]"),
        ({"tool": "brush", "radius": 5, "points": []}, "got []"),
        ({"tool": "eraser", "radius": 5, "points": [1, "2"]}, "[1, '2']"),
        ({"tool": "eraser", "radius": 5, "points": [1, float("nan")]}, "nan"),
        ({"tool": "brush", "radius": 5, "points": "1,2"}, "'1,2'"),
    ],
)
def test_a_bad_stroke_message_is_refused_naming_its_value(message: dict, named: str) -> None:
    with pytest.raises(ValueError, match="stroke's") as error:
        Stroke.from_message(message)
    assert named in str(error.value)


def test_a_stroke_covers_the_pixels_within_its_radius_of_its_path() -> None:
    path = [(3.2, 4.0), (20.7, 9.5), (25.0, 28.3), (24.0, 29.0)]
    painted = empty_mask(40, 32, (255, 0, 0)).painted(stroke("brush", 3.5, *path))
    assert (painted.pixels == covered_by(path, 3.5, 40, 32)).all()
    dot = empty_mask(40, 32, (255, 0, 0)).painted(stroke("brush", 2, (10.5, 10.5)))
    assert (dot.pixels == covered_by([(10.5, 10.5)], 2, 40, 32)).all()


@pytest.mark.parametrize("seed", range(6))
def test_random_paths_cover_what_they_should(seed: int) -> None:
    # Any path: long and short segments, horizontal, vertical, repeated points, beyond the image's edges.
    rng = np.random.default_rng(seed)
    points = [tuple(p) for p in np.round(rng.uniform(-10, 70, (12, 2)), 1).tolist()]
    points[3] = points[2]
    points[5] = (points[4][0] + 9, points[4][1])
    points[7] = (points[6][0], points[6][1] - 7)
    radius = float(rng.uniform(0.6, 9))
    painted = empty_mask(60, 50, (1, 1, 1)).painted(stroke("brush", radius, *points))
    assert (painted.pixels == covered_by(points, radius, 60, 50)).all()


def test_the_eraser_clears_what_it_covers_and_the_mask_before_is_kept() -> None:
    filled = PaintedMask(np.ones((30, 50), dtype=bool), (0, 128, 255))
    erased = filled.painted(stroke("eraser", 4, (10, 10), (40, 12)))
    assert (erased.pixels == ~covered_by([(10, 10), (40, 12)], 4, 50, 30)).all()
    assert filled.pixels.all()  # undo goes back to it
    assert filled.painted(stroke("eraser", 4, (-50, -50))) is filled  # outside the image: no change


def test_the_png_is_what_the_official_sdk_reads_after_strokes_across_many_bands() -> None:
    # Rows are compressed in bands; strokes across several of them, and back, are all in the PNG.
    mask = empty_mask(1200, 900, (12, 200, 34))
    assert len(mask.bands) > 3
    mask = mask.painted(stroke("brush", 30, (100, 50), (1100, 850), (600, 880)))
    mask = mask.painted(stroke("eraser", 12, (0, 450), (1200, 460)))
    mask = mask.painted(stroke("brush", 1, (599.5, 455.5)))
    assert 0 < mask.pixels.sum() < mask.pixels.size
    assert (sdk_pixels(mask.url) == mask.pixels).all()
    sdk = SdkSegmentation.from_json({"label": "car", "coordinates": mask.url})
    assert sdk.geo.shape == (900, 1200)
    assert tuple(sdk._color[:3]) == (12, 200, 34)


def test_a_mask_from_the_store_is_painted_further_in_its_own_colour() -> None:
    geo = np.zeros((60, 80), dtype=bool)
    geo[10:20, 10:30] = True
    url = dw.Segmentation(geo=geo, label="car", color=(1, 2, 3)).to_coordinates()
    painted = mask_strokes.mask_of(url, (255, 255, 255)).painted(stroke("brush", 2, (60, 40)))
    assert painted.color == (1, 2, 3)
    assert (sdk_pixels(painted.url) == (geo | covered_by([(60, 40)], 2, 80, 60))).all()


def test_strokes_paint_the_labels_mask_undo_by_stroke_and_save_through_the_store(image_item: dw.Item) -> None:
    edits = AnnotationEdits(image_item, 640, 400)
    edits.load()
    car = apply_stroke(edits, stroke("brush", 10, (100, 100), (200, 120)), "car", COLORS)
    assert car is not None and edits.shape(car)["type"] == "binary"
    assert apply_stroke(edits, stroke("brush", 6, (150, 300)), "car", COLORS) == car  # the same mask
    person = apply_stroke(edits, stroke("brush", 8, (400, 50)), "person", COLORS)
    assert person not in (None, car)
    # The eraser works on the selected mask (here the car's, with "person" the label of new shapes).
    assert apply_stroke(edits, stroke("eraser", 5, (150, 110)), "person", COLORS, selected=car) == car
    assert apply_stroke(edits, stroke("eraser", 5, (600, 390)), "indoor", COLORS) is None
    expected = covered_by([(100, 100), (200, 120)], 10, 640, 400) | covered_by([(150, 300)], 6, 640, 400)
    expected &= ~covered_by([(150, 110)], 5, 640, 400)
    edits.set_attribute(car, "occluded", True)
    edits.set_object_id(car, "7")
    edits.save()

    by_label = {a.label: a for a in image_item.annotations.list()}
    assert set(by_label) == {"car", "person"}
    assert by_label["car"].type == "binary"
    assert ((by_label["car"].annotation_definition.geo > 0) == expected).all()
    assert (sdk_pixels(by_label["car"].coordinates) == expected).all()
    assert by_label["car"].attributes == {"occluded": True} and by_label["car"].object_id == "7"

    edits.undo()  # the object id
    edits.undo()  # the attribute
    edits.undo()  # the eraser stroke, as one step
    assert sdk_pixels(edits.shape(car)["coordinates"])[110, 150]
    edits.undo()  # the person's mask
    assert person not in edits
    edits.save()
    assert [a.label for a in image_item.annotations.list()] == ["car"]
