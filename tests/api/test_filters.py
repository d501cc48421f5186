"""``Filters`` takes an operator as the SDK's enum member or as its text, with or without the ``$``."""

from __future__ import annotations

import pytest

import dlwidgets as dw


@pytest.mark.parametrize(
    ("operator", "values", "expected"),
    [
        (dw.FiltersOperations.GREATER_THAN, "0a", {"$gt": "0a"}),
        (dw.FiltersOperations.IN, "/a", {"$in": ["/a"]}),
        (dw.FiltersOperations.NOT_IN, ["/a", "/b"], {"$nin": ["/a", "/b"]}),
        (dw.FiltersOperations.EXISTS, True, {"$exists": True}),
        ("gt", 3, {"$gt": 3}),
        ("$lte", 3, {"$lte": 3}),
    ],
)
def test_operators_as_enum_members_or_text(
    operator: dw.FiltersOperations | str, values: object, expected: dict[str, object]
) -> None:
    filters = dw.Filters(field="dir", values=values, operator=operator)
    assert filters.prepare()["filter"]["$and"][-1] == {"dir": expected}
