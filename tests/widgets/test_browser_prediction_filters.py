"""The Browser's prediction filters: items with a model's annotations (``metadata.user.model``), and
those with one not reviewed yet (still ``metadata.system.automated``); accepting the last one takes the
item out of the second."""

from __future__ import annotations

import dlwidgets as dw
from dlwidgets.widgets.browser import Browser

DETR = {"name": "detr", "confidence": 0.8, "model_id": "m-1"}


def box(x: int) -> dw.Box:
    return dw.Box(top=1, left=x, bottom=10, right=x + 10, label="car")


def names(browser: Browser) -> list[str]:
    return sorted(card["name"] for card in browser.grid.cards)


def test_has_predictions_and_has_unreviewed_predictions(dataset: dw.Dataset, make_jpeg) -> None:
    items = {}
    for name in ("predicted", "reviewed", "human", "empty"):
        item = dataset.items.upload(local_path=make_jpeg(64, 48), remote_path="/", remote_name=f"{name}.jpg")
        assert isinstance(item, dw.Item)
        items[name] = item
    (pending,) = items["predicted"].annotations.upload([box(1)], model_info=DETR)
    items["predicted"].annotations.upload([box(20)])
    (reviewed,) = items["reviewed"].annotations.upload([box(1)], model_info=DETR)
    reviewed.accept()
    items["reviewed"].annotations.upload([box(20)])  # a person's box: automated, without model info
    items["human"].annotations.upload([box(1)])
    browser = Browser(dataset.client)
    browser.dataset = dataset
    column = browser.filter_column
    assert len(names(browser)) == 4
    column.prediction_filter.value = "predictions"
    assert names(browser) == ["predicted.jpg", "reviewed.jpg"]
    column.prediction_filter.value = "unreviewed"
    assert names(browser) == ["predicted.jpg"]
    pending.accept()
    browser.refresh()
    assert names(browser) == []
    column.clear()
    assert column.prediction_filter.value == "" and len(names(browser)) == 4
    browser.close()
