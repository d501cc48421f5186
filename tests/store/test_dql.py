"""DQL compilation: each operator, the error messages, and SQLite against a plain Python evaluator."""

from __future__ import annotations

import itertools
import json
import random
import re
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlwidgets.exceptions import BadRequest
from dlwidgets.store import dql
from dlwidgets.store.dql import ANNOTATIONS, DATASETS, ITEMS, Resource, compile_filter, compile_sort
from dlwidgets.store.schema import STATEMENTS

# ---------------------------------------------------------------------------------------------------------
# A real workspace schema in memory, and rows for it.


def _db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    for statement in STATEMENTS:
        db.execute(statement)
    return db


def _item(
    id: str,
    filename: str,
    *,
    dataset_id: str = "d1",
    type: str = "file",
    hidden: bool = False,
    mimetype: str = "image/jpeg",
    size: int = 1,
    width: int | None = None,
    height: int | None = None,
    annotations_count: int = 0,
    annotated: bool = False,
    created_at: str = "2024-01-01T00:00:00.000Z",
    metadata: Any = None,
) -> dict[str, Any]:
    directory, _, name = filename.rpartition("/")
    return {
        "id": id,
        "dataset_id": dataset_id,
        "filename": filename,
        "name": name,
        "dir": directory or "/",
        "type": type,
        "hidden": hidden,
        "mimetype": mimetype,
        "size": size,
        "width": width,
        "height": height,
        "annotations_count": annotations_count,
        "annotated": annotated,
        "created_at": created_at,
        "metadata": {} if metadata is None else metadata,
    }


def _insert(db: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        db.execute(
            "INSERT INTO items (id, dataset_id, filename, name, dir, type, hidden, mimetype, size, width,"
            " height, blob, annotations_count, annotated, creator, created_at, updated_at, updated_by,"
            " metadata)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'blob', ?, ?, 'me@x', ?, ?, 'me@x', ?)",
            (
                row["id"],
                row["dataset_id"],
                row["filename"],
                row["name"],
                row["dir"],
                row["type"],
                int(row["hidden"]),
                row["mimetype"],
                row["size"],
                row["width"],
                row["height"],
                row["annotations_count"],
                int(row["annotated"]),
                row["created_at"],
                row["created_at"],
                json.dumps(row["metadata"]),
            ),
        )


def _select(db: sqlite3.Connection, filter_doc: Any, resource: Resource = ITEMS) -> list[str]:
    where, params = compile_filter(filter_doc, resource)
    return [r[0] for r in db.execute(f"SELECT id FROM {resource.table} WHERE {where} ORDER BY id", params)]


ROWS = [
    _item("01", "/images/a.jpg", width=10, height=5, metadata={"user": {"score": 5, "tag": "x", "ok": True}}),
    _item("02", "/images/deep/b.png", mimetype="image/png", size=3, metadata={"user": {"score": 2.5}}),
    _item("03", "/images/deep/er/c.jpg", hidden=True, annotated=True, annotations_count=2),
    _item("04", "/other/IMAGES/d.jpg", width=3, metadata={"user": {"score": "high", "ok": False}}),
    _item("05", "/odd/what?[1].jpg", dataset_id="d2", size=7, metadata={"user": {"score": None}}),
    _item("06", "/a.txt", type="dir", mimetype="text/plain", metadata={"user": "not an object"}),
]


ALL = [row["id"] for row in ROWS]


@pytest.fixture
def db() -> Iterator[sqlite3.Connection]:
    connection = _db()
    _insert(connection, ROWS)
    yield connection
    connection.close()


# ---------------------------------------------------------------------------------------------------------
# Operators


def test_empty_filter_matches_everything(db: sqlite3.Connection) -> None:
    assert compile_filter(None, ITEMS) == ("1", [])
    assert compile_filter({}, ITEMS) == ("1", [])
    assert _select(db, {}) == ALL


def test_equality_and_eq(db: sqlite3.Connection) -> None:
    assert _select(db, {"filename": "/images/a.jpg"}) == ["01"]
    assert _select(db, {"filename": {"$eq": "/images/a.jpg"}}) == ["01"]
    assert _select(db, {"metadata.system.mimetype": "image/png"}) == ["02"]
    assert _select(db, {"datasetId": "d2", "metadata.system.size": 7}) == ["05"]
    assert _select(db, {"datasetId": "d2", "metadata.system.size": 1}) == []


def test_several_keys_are_anded(db: sqlite3.Connection) -> None:
    assert _select(db, {"type": "file", "hidden": False}) == ["01", "02", "04", "05"]
    assert _select(db, {"dir": "/images", "metadata.system.size": 1}) == ["01"]


def test_booleans_bind_as_integers(db: sqlite3.Connection) -> None:
    _, params = compile_filter({"hidden": False}, ITEMS)
    assert params == [0]
    assert _select(db, {"hidden": True}) == ["03"]
    assert _select(db, {"annotated": {"$ne": False}}) == ["03"]
    assert _select(db, {"metadata.user.ok": True}) == ["01"]
    assert _select(db, {"metadata.user.ok": False}) == ["04"]
    with pytest.raises(BadRequest, match='"yes"'):
        compile_filter({"hidden": "yes"}, ITEMS)


def test_ne_and_nin_match_missing_values(db: sqlite3.Connection) -> None:
    assert _select(db, {"metadata.system.width": {"$ne": 10}}) == ["02", "03", "04", "05", "06"]
    assert _select(db, {"metadata.user.tag": {"$ne": "x"}}) == ["02", "03", "04", "05", "06"]
    assert _select(db, {"metadata.system.width": {"$nin": [10, 3]}}) == ["02", "03", "05", "06"]
    assert _select(db, {"metadata.system.width": {"$nin": [None, 3]}}) == ["01"]
    assert _select(db, {"metadata.system.width": {"$ne": None}}) == ["01", "04"]


def test_in_and_nin(db: sqlite3.Connection) -> None:
    assert _select(db, {"id": {"$in": ["01", "03", "zz"]}}) == ["01", "03"]
    assert _select(db, {"id": ["02", "04"]}) == ["02", "04"]
    assert _select(db, {"metadata.system.width": {"$in": [None, 3]}}) == ["02", "03", "04", "05", "06"]
    assert _select(db, {"id": {"$in": []}}) == []
    assert _select(db, {"id": {"$nin": []}}) == ALL
    assert _select(db, {"id": {"$nin": ["01", "02", "03"]}}) == ["04", "05", "06"]


def test_long_in_lists_do_not_hit_the_variable_limit(db: sqlite3.Connection) -> None:
    ids = [f"{i:02d}" for i in range(40_000)]
    _, params = compile_filter({"id": {"$in": ids}}, ITEMS)
    assert len(params) == 1
    assert _select(db, {"id": {"$in": ids}}) == ALL
    assert _select(db, {"id": {"$nin": ids[2:]}}) == ["01"]
    assert _select(db, {"metadata.system.size": {"$in": list(range(3, 3 + dql._MAX_INLINE_VALUES + 1))}}) == [
        "02",
        "05",
    ]


def test_long_or_lists_stay_within_sqlite_expression_depth(db: sqlite3.Connection) -> None:
    assert _select(db, {"$or": [{"id": f"{i:02d}"} for i in range(3000)]}) == ALL
    assert _select(db, {"filename": {"$in": [f"/{i}/*" for i in range(3000)]}}) == []
    assert _select(db, {"filename": {"$nin": [f"/x{i}/*" for i in range(3000)]}}) == ALL
    assert "over the limit" in _message({"$or": [{"id": str(i)} for i in range(40_000)]})


def test_comparisons(db: sqlite3.Connection) -> None:
    assert _select(db, {"id": {"$gt": "04"}}) == ["05", "06"]
    assert _select(db, {"id": {"$gte": "04"}}) == ["04", "05", "06"]
    assert _select(db, {"id": {"$lt": "02"}}) == ["01"]
    assert _select(db, {"id": {"$lte": "02"}}) == ["01", "02"]
    assert _select(db, {"metadata.system.size": {"$gt": 1, "$lt": 7}}) == ["02"]
    assert _select(db, {"metadata.system.width": {"$lt": 100}}) == ["01", "04"]  # NULL never compares


def test_json_comparisons_only_match_the_same_kind(db: sqlite3.Connection) -> None:
    # "high" would compare greater than any number in SQLite; in DQL it is not a number at all.
    assert _select(db, {"metadata.user.score": {"$gt": 1}}) == ["01", "02"]
    assert _select(db, {"metadata.user.score": {"$lt": 100}}) == ["01", "02"]
    assert _select(db, {"metadata.user.score": {"$gte": "a"}}) == ["04"]
    assert _select(db, {"metadata.user.ok": {"$gte": False}}) == ["01", "04"]


def test_exists(db: sqlite3.Connection) -> None:
    assert _select(db, {"metadata.system.width": {"$exists": True}}) == ["01", "04"]
    assert _select(db, {"metadata.system.width": {"$exists": False}}) == ["02", "03", "05", "06"]
    # A JSON null counts as missing.
    assert _select(db, {"metadata.user.score": {"$exists": True}}) == ["01", "02", "04"]
    assert _select(db, {"metadata.user.score": None}) == ["03", "05", "06"]
    with pytest.raises(BadRequest, match='"yes"'):
        compile_filter({"metadata.system.width": {"$exists": "yes"}}, ITEMS)


def test_equality_to_null(db: sqlite3.Connection) -> None:
    assert _select(db, {"metadata.system.height": None}) == ["02", "03", "04", "05", "06"]
    assert _select(db, {"metadata.system.height": {"$eq": None}}) == ["02", "03", "04", "05", "06"]


def test_and_or_nest(db: sqlite3.Connection) -> None:
    doc = {
        "$or": [
            {"id": "01"},
            {"$and": [{"hidden": True}, {"$or": [{"metadata.system.size": 1}, {"metadata.system.size": 2}]}]},
        ]
    }
    assert _select(db, doc) == ["01", "03"]
    assert _select(db, {"$and": []}) == ALL
    assert _select(db, {"$or": []}) == []
    assert _select(db, {"$or": [{}]}) == ALL
    assert _select(db, {"$and": [{"type": "file"}], "$or": [{"id": "06"}, {"id": "05"}]}) == ["05"]


def test_compiled_expression_is_safe_to_extend(db: sqlite3.Connection) -> None:
    for doc in (
        {"$or": [{"id": "01"}, {"id": "02"}]},
        {"metadata.system.width": {"$nin": [10]}},
        {"dir": {"$ne": "/x*"}},
    ):
        where, params = compile_filter(doc, ITEMS)
        assert db.execute(f"SELECT id FROM items WHERE {where} AND 0", params).fetchall() == []
        assert db.execute(f"SELECT id FROM items WHERE NOT {where} AND {where}", params * 2).fetchall() == []


def test_where_works_with_an_aliased_table(db: sqlite3.Connection) -> None:
    where, params = compile_filter({"filename": "/images/**", "metadata.user.score": {"$gt": 3}}, ITEMS)
    order = compile_sort({"metadata.system.size": "desc"}, ITEMS)
    sql = f"SELECT i.id FROM items i WHERE {where} ORDER BY {order}"
    assert db.execute(sql, params).fetchall() == [("01",)]


# ---------------------------------------------------------------------------------------------------------
# Globs


def test_glob_matches_any_depth(db: sqlite3.Connection) -> None:
    assert _select(db, {"filename": "/images/**"}) == ["01", "02", "03"]
    assert _select(db, {"filename": "/images/*"}) == ["01", "02", "03"]
    assert _select(db, {"filename": "*.jpg"}) == ["01", "03", "04", "05"]
    assert _select(db, {"filename": "/images/*/*.png"}) == ["02"]
    assert _select(db, {"dir": "/images*"}) == ["01", "02", "03"]
    assert _select(db, {"dir": {"$eq": "*deep*"}}) == ["02", "03"]


def test_glob_is_case_sensitive(db: sqlite3.Connection) -> None:
    assert _select(db, {"filename": "*/IMAGES/*"}) == ["04"]
    assert _select(db, {"filename": "/IMAGES/**"}) == []


def test_glob_special_characters_are_literal(db: sqlite3.Connection) -> None:
    assert _select(db, {"filename": "/odd/what?[1]*"}) == ["05"]
    assert _select(db, {"filename": "/odd/what?[2]*"}) == []
    assert _select(db, {"filename": "/odd/what??1]*"}) == []
    assert _select(db, {"filename": "*]*"}) == ["05"]
    assert _select(db, {"filename": "/odd/what?[1].jpg"}) == ["05"]  # no '*': plain equality


def test_glob_with_ne_in_and_nin(db: sqlite3.Connection) -> None:
    assert _select(db, {"filename": {"$ne": "/images/**"}}) == ["04", "05", "06"]
    assert _select(db, {"filename": {"$in": ["/images/deep/**", "/a.txt"]}}) == ["02", "03", "06"]
    assert _select(db, {"filename": ["/other/*", "/odd/*"]}) == ["04", "05"]
    assert _select(db, {"filename": {"$nin": ["/images/**", "/a.txt"]}}) == ["04", "05"]


def test_negated_globs_match_null(db: sqlite3.Connection) -> None:
    described = Resource(
        table="items",
        columns={"id": "id", "description": "description"},
        json_columns={"metadata": "metadata"},
        glob_fields=frozenset({"description", "metadata.user.tag"}),
    )
    db.execute("UPDATE items SET description = 'seen ' || id WHERE id < '03'")
    assert _select(db, {"description": "seen*"}, described) == ["01", "02"]
    assert _select(db, {"description": {"$ne": "*1"}}, described) == ["02", "03", "04", "05", "06"]
    assert _select(db, {"description": {"$nin": ["*1", None]}}, described) == ["02"]
    assert _select(db, {"description": {"$in": ["*2", None]}}, described) == ["02", "03", "04", "05", "06"]
    assert _select(db, {"metadata.user.tag": "*"}, described) == ["01"]
    assert _select(db, {"metadata.user.tag": {"$nin": ["x*"]}}, described) == ["02", "03", "04", "05", "06"]


def test_glob_only_on_glob_fields(db: sqlite3.Connection) -> None:
    assert _select(db, {"name": "*.jpg"}) == []
    assert _select(db, {"metadata.user.tag": "*"}) == []


# ---------------------------------------------------------------------------------------------------------
# JSON fields and injection


def test_json_fields(db: sqlite3.Connection) -> None:
    assert _select(db, {"metadata.user.tag": "x"}) == ["01"]
    assert _select(db, {"metadata.user.score": 2.5}) == ["02"]
    assert _select(db, {"metadata.user.score": {"$in": [5, "high"]}}) == ["01", "04"]
    assert _select(db, {"metadata.user.nope": {"$exists": True}}) == []
    assert _select(db, {"metadata.nope.deeper.still": None}) == ALL


def _refs(*refs: Any) -> dict[str, Any]:
    return {"system": {"refs": list(refs)}}


REF_ROWS = [
    _item("r1", "/a.jpg", metadata=_refs({"type": "task", "id": "t1"}, {"type": "assignment", "id": "a1"})),
    _item("r2", "/b.jpg", metadata=_refs({"type": "task", "id": "t2", "metadata": {"status": "done"}})),
    _item("r3", "/c.jpg", metadata=_refs()),
    _item("r4", "/d.jpg"),
    _item("r5", "/e.jpg", metadata=_refs("t1", 7, None, ["t1"], {"id": None})),  # odd elements
    _item("r6", "/f.jpg", metadata={"system": {"refs": {"id": "t1"}}}),  # not a list
]


@pytest.mark.parametrize(
    ("filter_doc", "expected"),
    [
        ({"metadata.system.refs.id": {"$in": ["t1"]}}, ["r1"]),
        ({"metadata.system.refs.id": "t2"}, ["r2"]),
        ({"metadata.system.refs.id": ["t2", "a1"]}, ["r1", "r2"]),
        ({"metadata.system.refs.id": {"$ne": "t1"}}, ["r2", "r3", "r4", "r5", "r6"]),
        ({"metadata.system.refs.id": {"$nin": ["t1", "t2"]}}, ["r3", "r4", "r5", "r6"]),
        ({"metadata.system.refs.id": {"$in": ["t1"], "$ne": "a1"}}, []),
        ({"metadata.system.refs.metadata.status": "done"}, ["r2"]),
        # $match: one element meets every condition, as dtlpy's create_qa_task asks for items done in a task
        (
            {
                "metadata.system.refs": {
                    "$match": {"id": "t2", "type": "task", "metadata": {"status": {"$exists": True}}}
                }
            },
            ["r2"],
        ),
        ({"metadata.system.refs": {"$match": {"id": "t1", "metadata": {"status": {"$exists": True}}}}}, []),
        ({"metadata.system.refs": {"$match": {"id": "t1", "type": "task"}}}, ["r1"]),
        ({"metadata.system.refs": {"$match": {"id": "a1", "type": "task"}}}, []),
        # The elements' own values: the odd element "t1" of r5
        ({"metadata.system.refs": {"$in": ["t1"]}}, ["r5"]),
        ({"metadata.system.refs.id": {"$gt": "t1"}}, ["r2"]),
        ({"metadata.system.refs.id": {"$exists": True}}, ["r1", "r2"]),
        ({"metadata.system.refs.id": None}, ["r5"]),
        ({"metadata.system.refs": []}, ["r3", "r4"]),
        ({"metadata.system.refs": {"$eq": []}}, ["r3", "r4"]),
        ({"metadata.system.refs": {"$ne": []}}, ["r1", "r2", "r5", "r6"]),
    ],
)
def test_list_fields_match_by_their_elements(filter_doc: Any, expected: list[str]) -> None:
    """Item refs are a list: a field below it matches when some element matches (``$ne``/``$nin`` when
    none does), and the list compared with ``[]`` means empty or missing, as the SDK's filters expect."""
    db = _db()
    _insert(db, REF_ROWS)
    assert _select(db, filter_doc) == expected


def test_a_list_field_compares_only_with_the_empty_list() -> None:
    message = _message({"metadata.system.refs": ["t1"]})
    assert "'metadata.system.refs'" not in message and '"metadata.system.refs"' in message
    assert "compares with []" in message and "metadata.system.refs.id" in message and "$match" in message


@pytest.mark.parametrize("match", [{}, [], {"$exists": True}, {"id": "t1", "$or": []}])
def test_a_match_needs_an_object_of_field_conditions(match: Any) -> None:
    assert "$match" in _message({"metadata.system.refs": {"$match": match}})


def test_mapped_columns_win_over_json_prefixes() -> None:
    where, _ = compile_filter({"metadata.system.size": 1}, ITEMS)
    assert where == "size = ?"
    where, _ = compile_filter({"metadata.system.objectId": "7"}, ANNOTATIONS)
    assert where == """json_extract(metadata, '$."system"."objectId"') = ?"""


def test_json_keys_with_odd_characters() -> None:
    db = _db()
    weird = {"it's": 1, "a b": 2, "x') OR 1=1 --": 3, "dot*star[": 4, "é": 5, "ü😀": 6}
    _insert(db, [_item("01", "/a", metadata={"user": weird}), _item("02", "/b")])
    for key, value in weird.items():
        assert _select(db, {f"metadata.user.{key}": value}) == ["01"]
        assert _select(db, {f"metadata.user.{key}": {"$ne": value}}) == ["02"]
    assert db.execute("SELECT COUNT(*) FROM items").fetchone() == (2,)


@pytest.mark.parametrize(
    ("field", "named"),
    [
        ("id; DROP TABLE items", '"id; DROP TABLE items"'),
        ("id = id OR 1", '"id = id OR 1"'),
        ('metadata.user.a"b', '"a\\"b"'),
        ('metadata.user."); DROP TABLE items; --', '"\\"); DROP TABLE items; --"'),
        ("metadata.user.back\\slash", '"back\\\\slash"'),
        ("metadata.user.", 'segment ""'),
        ("metadata..user", 'segment ""'),
        ("metadata.user.new\nline", '"new\\nline"'),
        ("metadata", '"metadata"'),
    ],
)
def test_field_names_cannot_inject_sql(db: sqlite3.Connection, field: str, named: str) -> None:
    assert named in _message({field: 1})
    with pytest.raises(BadRequest, match=re.escape(named)):
        compile_sort({field: "ascending"}, ITEMS)
    assert db.execute("SELECT COUNT(*) FROM items").fetchone() == (6,)


def test_quotes_in_json_keys_are_escaped_in_sort() -> None:
    db = _db()
    _insert(db, [_item(f"0{i}", f"/{i}", metadata={"user": {"it's": -i}}) for i in range(3)])
    order = compile_sort({"metadata.user.it's": "asc"}, ITEMS)
    assert [r[0] for r in db.execute(f"SELECT id FROM items ORDER BY {order}")] == ["02", "01", "00"]


def test_values_are_always_bound(db: sqlite3.Connection) -> None:
    evil = "x' OR '1'='1"
    where, _ = compile_filter({"name": evil, "filename": {"$in": [evil + "*"]}}, ITEMS)
    assert evil not in where
    assert _select(db, {"name": evil}) == []


def test_resource_columns_must_be_identifiers() -> None:
    with pytest.raises(ValueError, match="not a plain SQL identifier"):
        Resource(table="items", columns={"id": "id; DROP TABLE x"}, json_columns={})


@pytest.mark.parametrize(
    ("resource", "table"), [(ITEMS, "items"), (ANNOTATIONS, "annotations"), (DATASETS, "datasets")]
)
def test_resource_columns_exist_in_the_schema(resource: Resource, table: str) -> None:
    db = _db()
    columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    assert resource.table == table
    assert set(resource.columns.values()) <= columns
    assert set(resource.json_columns.values()) <= columns
    assert resource.glob_fields <= set(resource.columns)
    assert resource.bool_fields <= set(resource.columns)


def test_datasets_and_annotations() -> None:
    db = _db()
    db.execute(
        "INSERT INTO projects VALUES ('p1', 'P1', 'me', 't', 't', '{}'), ('p2', 'P2', 'me', 't', 't', '{}')"
    )
    db.execute(
        "INSERT INTO datasets (id, project_id, name, creator, created_at, updated_at, updated_by) VALUES"
        " ('d1', 'p1', 'A', 'me', 't', 't', 'me'), ('d2', 'p2', 'B', 'me', 't', 't', 'me')"
    )
    assert _select(db, {"projects": "p2"}, DATASETS) == ["d2"]
    assert _select(db, {"projects": {"$in": ["p1", "p2"]}}, DATASETS) == ["d1", "d2"]
    assert _select(db, {"$and": [{"name": "A"}]}, DATASETS) == ["d1"]
    _insert(db, [_item("i1", "/a.jpg")])
    db.execute(
        "INSERT INTO annotations (id, item_id, dataset_id, type, label, metadata, creator, created_at,"
        " updated_at, updated_by) VALUES"
        " ('a1', 'i1', 'd1', 'box', 'cat', '{\"system\": {\"objectId\": \"7\"}}', 'me', 't', 't', 'me'),"
        " ('a2', 'i1', 'd1', 'note', NULL, '{}', 'me', 't', 't', 'me')"
    )
    assert _select(db, {"annotationId": {"$in": ["a2"]}}, ANNOTATIONS) == ["a2"]
    assert _select(db, {"itemId": "i1", "type": {"$in": ["box", "point"]}}, ANNOTATIONS) == ["a1"]
    assert _select(db, {"metadata.system.objectId": "7"}, ANNOTATIONS) == ["a1"]
    assert _select(db, {"label": {"$ne": "cat"}}, ANNOTATIONS) == ["a2"]
    assert compile_sort({"annotationId": "descending"}, ANNOTATIONS) == "id DESC"


# ---------------------------------------------------------------------------------------------------------
# Errors


def _message(filter_doc: Any, resource: Resource = ITEMS) -> str:
    with pytest.raises(BadRequest) as caught:
        compile_filter(filter_doc, resource)
    assert caught.value.status_code == 400
    return caught.value.message


def test_unknown_field_lists_known_fields() -> None:
    message = _message({"$and": [{"colour": "red"}]})
    assert '"colour"' in message
    assert "filename" in message and "annotationsCount" in message and "metadata.<key>" in message
    assert _message({"projects": "p"}, ITEMS).startswith('unknown field "projects" for items')


def test_unknown_operator_lists_supported_operators() -> None:
    message = _message({"filename": {"$match": "a.*"}})
    assert '"$match"' in message and '"filename"' in message
    assert "$eq" in message and "$nin" in message and "$exists" in message
    message = _message({"$nor": [{"id": "1"}]})
    assert '"$nor"' in message and "$and" in message and "$or" in message


@pytest.mark.parametrize(
    ("filter_doc", "named"),
    [
        ({"id": {"$in": "abc"}}, '"abc"'),
        ({"id": {"$nin": 5}}, "got 5"),
        ({"id": {"color": "red"}}, '{"color": "red"}'),
        ({"id": {"$eq": "a", "plain": 1}}, '"plain"'),
        ({"id": {}}, "{}"),
        ({"id": {"$eq": ["a"]}}, '["a"]'),
        ({"id": [{"a": 1}]}, '{"a": 1}'),
        ({"id": {"$gt": None}}, "got null"),
        ({"id": {"$gt": [1]}}, "[1]"),
        ({"metadata.system.size": 2**70}, str(2**70)),
        ({"metadata.system.size": float("nan")}, "nan for field"),
        ({"$and": {"id": "1"}}, '{"id": "1"}'),
        ({"$or": ["id"]}, '"id"'),
        ({1: "a"}, "got 1"),
        ("id = 1", '"id = 1"'),
        ({"id": {"$exists": 1}}, "got 1"),
        ({"hidden": {"$in": [True, "no"]}}, '"no"'),
        ({"metadata.user.x": {"$lt": {"$gt": 1}}}, '{"$gt": 1}'),
    ],
)
def test_bad_values_are_named(filter_doc: Any, named: str) -> None:
    assert named in _message(filter_doc)


def test_deep_nesting_is_refused() -> None:
    doc: dict[str, Any] = {"id": "1"}
    for _ in range(100):
        doc = {"$and": [doc]}
    assert "nested deeper" in _message(doc)


# ---------------------------------------------------------------------------------------------------------
# Sort


def test_sort_directions_and_tie_break() -> None:
    assert compile_sort(None, ITEMS) == "id ASC"
    assert compile_sort({}, ITEMS) == "id ASC"
    assert compile_sort({"id": "ascending"}, ITEMS) == "id ASC"
    assert compile_sort({"filename": "descending"}, ITEMS) == "filename DESC, id ASC"
    assert (
        compile_sort({"metadata.system.size": "asc", "createdAt": "DESC"}, ITEMS)
        == "size ASC, created_at DESC, id ASC"
    )
    assert compile_sort({"metadata.system.size": 1, "dir": -1}, ITEMS) == "size ASC, dir DESC, id ASC"
    assert compile_sort({"id": "desc", "metadata.system.size": "asc"}, ITEMS) == "id DESC"
    assert (
        compile_sort({"metadata.user.score": "descending"}, ITEMS)
        == """json_extract(metadata, '$."user"."score"') DESC, id ASC"""
    )
    assert compile_sort({"projects": "asc"}, DATASETS) == "project_id ASC, id ASC"


def test_sort_errors_name_the_bad_value() -> None:
    with pytest.raises(BadRequest, match='"colour"'):
        compile_sort({"colour": "ascending"}, ITEMS)
    with pytest.raises(BadRequest, match=r'"upwards".*"ascending"'):
        compile_sort({"metadata.system.size": "upwards"}, ITEMS)
    with pytest.raises(BadRequest, match="2"):
        compile_sort({"metadata.system.size": 2}, ITEMS)
    with pytest.raises(BadRequest, match="sort must be an object"):
        compile_sort(["size"], ITEMS)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# Property test: SQLite against a straightforward Python evaluation of the same DQL.
#
# Rows and filters draw from the same small pools of odd strings, so equality and globs often hit.

SEGMENTS = ["a", "x", "ab", "b.c", "[x]", "a?b", "c d", "x*y", "\\", "]"]
NAMES = ["a.jpg", "b.png", "1.jpg", "[1].jpg", "?.txt", "x.txt", "x y", "a*b", "A.JPG", ".hidden"]
DATASET_IDS = ["d1", "d2", "d3"]
TYPES = ["file", "dir"]
MIMETYPES = ["image/jpeg", "image/png", "text/plain"]
TIMES = ["2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.500Z", "2024-06-30T12:00:00.000Z"]
SHORT_TEXT = st.text("ab", max_size=2)
NUMBERS = st.one_of(st.integers(-3, 6), st.sampled_from([0.5, -1.25, 2.0, 3.75]))
DIRS = st.lists(st.sampled_from(SEGMENTS), max_size=2).map(lambda parts: "/" + "/".join(parts))
FILENAMES = st.builds(lambda d, n: d.rstrip("/") + "/" + n, DIRS, st.sampled_from(NAMES))
USER_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "s": SHORT_TEXT,
    "n": NUMBERS,
    "b": st.booleans(),
    "m": st.one_of(st.text("ab1", max_size=2), st.integers(-2, 2), st.booleans(), st.none()),
    "it's": st.sampled_from(["q", "r"]),
}


@st.composite
def item_tables(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for index in range(draw(st.integers(3, 20))):
        directory = draw(DIRS)
        dataset_id = draw(st.sampled_from(DATASET_IDS))
        filename = directory.rstrip("/") + "/" + draw(st.sampled_from(NAMES))
        if (dataset_id, filename) in seen:
            continue
        seen.add((dataset_id, filename))
        user = {key: draw(values) for key, values in USER_VALUES.items() if draw(st.integers(0, 3))}
        name = filename.rpartition("/")[2]
        size = draw(st.integers(0, 5))
        width = draw(st.none() | st.integers(0, 3))
        count = draw(st.integers(0, 3))
        # Columns of no special interest are derived from the others, to keep generation fast.
        row = _item(
            f"{index:04d}",
            filename,
            dataset_id=dataset_id,
            type=TYPES[index % 3 == 2],
            hidden=draw(st.booleans()),
            mimetype=MIMETYPES[0] if name.lower().endswith(".jpg") else MIMETYPES[1 + (size % 2)],
            size=size,
            width=width,
            height=None if width is None else (width + size) % 4,
            annotations_count=count,
            annotated=count > 0,
            created_at=TIMES[(index + size) % 3],
            metadata=draw(
                st.sampled_from([{"user": user}, {"user": user}, {"user": user}, {}, {"user": "flat"}])
            ),
        )
        row["dir"] = directory
        rows.append(row)
    return rows


def _column(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row[name]


def _user(key: str) -> Callable[[dict[str, Any]], Any]:
    def get(row: dict[str, Any]) -> Any:
        user = row["metadata"].get("user")
        return user.get(key) if isinstance(user, dict) else None

    return get


GLOBS = st.builds(
    lambda before, star, after: before + star + after,
    st.sampled_from(["", "/", "/a", "/a/", "/x", "/[x]", "/[x]/", "/c d/", "/a?", "/?", "/[", "/\\", "/x*y"]),
    st.sampled_from(["*", "**", "*/*", "*a*"]),
    st.sampled_from(["", ".jpg", "b.png", "]", "?.txt", "/a.jpg", "[1].jpg", "y/x y", "c", "?", "x]"]),
)
STRINGS = st.text("ab/.[]? *", max_size=4)
MIXED = st.one_of(st.text("ab1", max_size=2), st.integers(-2, 2), st.booleans(), NUMBERS)

# DQL field -> (the row's value, the values a filter compares it with)
FIELDS: dict[str, tuple[Callable[[dict[str, Any]], Any], st.SearchStrategy[Any]]] = {
    "id": (_column("id"), st.sampled_from([f"{i:04d}" for i in range(0, 27, 2)])),
    "datasetId": (_column("dataset_id"), st.sampled_from([*DATASET_IDS, "D1"])),
    "filename": (_column("filename"), st.one_of(GLOBS, GLOBS, FILENAMES, STRINGS)),
    "dir": (_column("dir"), st.one_of(GLOBS, GLOBS, DIRS, STRINGS)),
    "name": (_column("name"), st.one_of(st.sampled_from(NAMES), STRINGS)),
    "type": (_column("type"), st.sampled_from([*TYPES, "File"])),
    "hidden": (_column("hidden"), st.booleans()),
    "annotated": (_column("annotated"), st.booleans()),
    "annotationsCount": (_column("annotations_count"), st.integers(-1, 4)),
    "createdAt": (_column("created_at"), st.sampled_from([*TIMES, "2024"])),
    "metadata.system.mimetype": (_column("mimetype"), st.sampled_from([*MIMETYPES, "image/*"])),
    "metadata.system.size": (_column("size"), st.integers(-1, 6)),
    "metadata.system.width": (_column("width"), st.integers(-1, 4)),
    "metadata.system.height": (_column("height"), st.integers(-1, 4)),
    "metadata.user.s": (_user("s"), SHORT_TEXT),
    "metadata.user.n": (_user("n"), NUMBERS),
    "metadata.user.b": (_user("b"), st.booleans()),
    "metadata.user.m": (_user("m"), MIXED),
    "metadata.user.it's": (_user("it's"), st.sampled_from(["q", "r", "s"])),
    "metadata.user.absent": (_user("absent"), MIXED),
}
GLOB_FIELDS = {"filename", "dir"}
EMPHASISED = [
    "filename",
    "dir",
    "metadata.system.width",
    "metadata.user.m",
    "metadata.user.m",
    "metadata.user.n",
]
OPERATORS = ["$eq", "$ne", "$in", "$nin", "$gt", "$gte", "$lt", "$lte", "$exists"]


@st.composite
def _operators(draw: st.DrawFn, value: st.SearchStrategy[Any]) -> dict[str, Any]:
    nullable = st.one_of(value, st.none())
    out: dict[str, Any] = {}
    for op in draw(st.lists(st.sampled_from(OPERATORS), min_size=1, max_size=2)):
        if op in ("$eq", "$ne"):
            out[op] = draw(nullable)
        elif op in ("$in", "$nin"):
            out[op] = draw(st.lists(nullable, max_size=3))
        elif op == "$exists":
            out[op] = draw(st.booleans())
        else:
            out[op] = draw(value)
    return out


CONDITIONS = st.one_of(
    [
        st.tuples(
            st.just(field),
            st.one_of(
                value,
                st.none(),
                st.lists(st.one_of(value, st.none()), max_size=3),
                _operators(value),
                _operators(value),
            ),
        )
        # The fields where SQL and Python are easiest to get apart come up twice as often.
        for field, (_, value) in [*FIELDS.items(), *((f, FIELDS[f]) for f in EMPHASISED)]
    ]
)
LEAVES = st.lists(CONDITIONS, min_size=1, max_size=3).map(dict)


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    logical = st.builds(
        lambda op, subs: {op: subs}, st.sampled_from(["$and", "$or"]), st.lists(children, max_size=3)
    )
    return st.one_of(logical, st.builds(lambda a, b: {**a, **b}, logical, LEAVES))


DOCUMENTS = st.recursive(LEAVES, _extend, max_leaves=6)


def _glob_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in re.split(r"\*+", pattern)), re.DOTALL)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "str" if isinstance(value, str) else "other"


def _equals(field: str, value: Any, operand: Any) -> bool:
    if operand is None:
        return value is None
    if value is None:
        return False
    if field in GLOB_FIELDS and isinstance(operand, str) and "*" in operand:
        return isinstance(value, str) and _glob_regex(operand).fullmatch(value) is not None
    return bool(value == operand)


def _holds(op: str, field: str, value: Any, operand: Any) -> bool:
    if op == "$eq":
        return _equals(field, value, operand)
    if op == "$ne":
        return not _equals(field, value, operand)
    if op == "$in":
        return any(_equals(field, value, x) for x in operand)
    if op == "$nin":
        return not any(_equals(field, value, x) for x in operand)
    if op == "$exists":
        return (value is not None) == operand
    # Comparisons never match a missing value, nor a value of another kind.
    if value is None or _kind(value) != _kind(operand):
        return False
    return {
        "$gt": value > operand,
        "$gte": value >= operand,
        "$lt": value < operand,
        "$lte": value <= operand,
    }[op]


def _matches(doc: dict[str, Any], row: dict[str, Any]) -> bool:
    for key, condition in doc.items():
        if key == "$and":
            ok = all(_matches(sub, row) for sub in condition)
        elif key == "$or":
            ok = any(_matches(sub, row) for sub in condition)
        else:
            value = FIELDS[key][0](row)
            if isinstance(condition, dict):
                ok = all(_holds(op, key, value, operand) for op, operand in condition.items())
            elif isinstance(condition, list):
                ok = _holds("$in", key, value, condition)
            else:
                ok = _holds("$eq", key, value, condition)
        if not ok:
            return False
    return True


def _random_rows(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """A fixed table drawn from the same pools as `item_tables`."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    kinds: dict[str, Callable[[], Any]] = {
        "s": lambda: rng.choice(["", "a", "b", "ab", "ba"]),
        "n": lambda: rng.choice([-3, 0, 1, 2, 6, 0.5, -1.25, 2.0, 3.75]),
        "b": lambda: rng.random() < 0.5,
        "m": lambda: rng.choice(["", "a", "1", "ab", -2, 0, 1, 2, True, False, None]),
        "it's": lambda: rng.choice(["q", "r"]),
    }
    for index in range(count):
        directory = "/" + "/".join(rng.choices(SEGMENTS, k=rng.randint(0, 2)))
        dataset_id = rng.choice(DATASET_IDS)
        filename = directory.rstrip("/") + "/" + rng.choice(NAMES)
        if (dataset_id, filename) in seen:
            continue
        seen.add((dataset_id, filename))
        user = {key: make() for key, make in kinds.items() if rng.random() < 0.75}
        width = rng.choice([None, 0, 1, 2, 3])
        row = _item(
            f"{index:04d}",
            filename,
            dataset_id=dataset_id,
            type=rng.choice(TYPES),
            hidden=rng.random() < 0.5,
            mimetype=rng.choice(MIMETYPES),
            size=rng.randint(0, 5),
            width=width,
            height=rng.choice([None, 0, 1, 2, 3]),
            annotations_count=rng.randint(0, 3),
            annotated=rng.random() < 0.5,
            created_at=rng.choice(TIMES),
            metadata=rng.choice([{"user": user}, {"user": user}, {"user": user}, {}, {"user": "flat"}]),
        )
        row["dir"] = directory
        rows.append(row)
    return rows


_EXTRA_VALUES: dict[str, list[Any]] = {
    "str": ["", "a", "zz", "A.JPG", "2024", "*"],
    "int": [-1, 0, 1, 2, 3, 6],
    "number": [-1.25, 0, 0.5, 1, 2, 2.0, 3.75, 6],
    "bool": [True, False],
    "mixed": ["", "a", "1", "b", -2, 0, 1, 2, 2.5, True, False],
}
_KINDS = {
    "hidden": "bool",
    "annotated": "bool",
    "metadata.user.b": "bool",
    "annotationsCount": "int",
    "metadata.system.size": "int",
    "metadata.system.width": "int",
    "metadata.system.height": "int",
    "metadata.user.n": "number",
    "metadata.user.m": "mixed",
    "metadata.user.absent": "mixed",
}
_PATTERNS = [
    before + star + after
    for before, star, after in itertools.product(
        ["", "/", "/a", "/x", "/[x]", "/a?", "/?", "/[", "/\\", "/x*y"],
        ["*", "**", "*/*"],
        ["", ".jpg", "]", "?.txt", "[1].jpg", "x]", "b"],
    )
]


def test_every_operator_on_every_field_agrees_with_python() -> None:
    """Each field with each operator and each value of a pool, on one fixed table, exhaustively."""
    rng = random.Random(20240601)
    rows = _random_rows(rng, 80)
    db = _db()
    _insert(db, rows)
    checked = 0
    for field, (get, _) in FIELDS.items():
        kind = _KINDS.get(field, "str")
        existing = sorted({v for row in rows if (v := get(row)) is not None}, key=repr)[:8]
        pool = [*existing, *_EXTRA_VALUES[kind]]
        if field in GLOB_FIELDS:
            pool += _PATTERNS
        conditions: list[Any] = [None, [], [None], *pool, [pool[0], None], pool[:3]]
        for op in OPERATORS:
            if op == "$exists":
                conditions += [{op: True}, {op: False}]
            elif op in ("$in", "$nin"):
                conditions += [
                    {op: []},
                    {op: [None]},
                    *({op: [v, w]} for v, w in zip(pool, [*pool[1:], None], strict=True)),
                ]
            else:
                conditions += [{op: v} for v in pool if v is not None or op in ("$eq", "$ne")]
                conditions += [{op: None}] if op in ("$eq", "$ne") else []
        for condition in conditions:
            doc = {field: condition}
            expected = sorted(row["id"] for row in rows if _matches(doc, row))
            assert _select(db, doc) == expected, doc
            checked += 1
    assert checked > 2000


def _parts(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The document and every condition and sub-document in it, so that no part is masked by the rest."""
    yield doc
    for key, condition in doc.items():
        if key in ("$and", "$or"):
            if len(doc) > 1:
                yield {key: condition}
            for sub in condition:
                yield from _parts(sub)
        elif len(doc) > 1:
            yield {key: condition}


@settings(max_examples=300, deadline=None)
@given(rows=item_tables(), docs=st.lists(DOCUMENTS, min_size=1, max_size=2))
def test_sql_agrees_with_python_evaluation(rows: list[dict[str, Any]], docs: list[dict[str, Any]]) -> None:
    db = _db()
    _insert(db, rows)
    for part in (part for doc in docs for part in _parts(doc)):
        expected = sorted(row["id"] for row in rows if _matches(part, row))
        assert _select(db, part) == expected, part
    db.close()


SORTABLE = [field for field in FIELDS if field not in ("metadata.user.m", "metadata.user.absent")]
DIRECTIONS = ["ascending", "descending", "asc", "desc", 1, -1]


@settings(max_examples=150, deadline=None)
@given(
    rows=item_tables(),
    sort=st.lists(st.tuples(st.sampled_from(SORTABLE), st.sampled_from(DIRECTIONS)), max_size=3),
)
def test_sort_agrees_with_python_sort(rows: list[dict[str, Any]], sort: list[tuple[str, Any]]) -> None:
    spec = dict(sort)
    db = _db()
    _insert(db, rows)
    got = [r[0] for r in db.execute(f"SELECT id FROM items ORDER BY {compile_sort(spec, ITEMS)}")]
    expected = sorted(rows, key=lambda row: row["id"])
    for field, direction in reversed(spec.items()):
        get = FIELDS[field][0]
        # NULL (a missing value) sorts first ascending, last descending.
        expected.sort(
            key=lambda row, get=get: (get(row) is not None, get(row)),
            reverse=direction in ("descending", "desc", -1),
        )
    assert got == [row["id"] for row in expected]
    db.close()


# ---------------------------------------------------------------------------------------------------------
# Joins: items by their annotations' fields, annotations by their item's fields

LABELS = ["cat", "dog", None]


def _annotations(rows: list[dict[str, Any]], picks: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
    """One annotation per pick ``(item index, label index, type index)``, on the rows given."""
    return [
        {
            "id": f"a{n:04d}",
            "item_id": rows[i % len(rows)]["id"],
            "dataset_id": rows[i % len(rows)]["dataset_id"],
            "type": ("box", "point")[t % 2],
            "label": LABELS[label % len(LABELS)],
        }
        for n, (i, label, t) in enumerate(picks)
    ]


def _insert_annotations(db: sqlite3.Connection, annotations: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT INTO annotations (id, item_id, dataset_id, type, label, creator, created_at, updated_at,"
        " updated_by) VALUES (?, ?, ?, ?, ?, 'me@x', 't', 't', 'me@x')",
        [(a["id"], a["item_id"], a["dataset_id"], a["type"], a["label"]) for a in annotations],
    )


def _query(db: sqlite3.Connection, query: dict[str, Any], resource: Resource) -> list[str]:
    where, params = dql.compile_query(query, resource)
    return [r[0] for r in db.execute(f"SELECT id FROM {resource.table} WHERE {where} ORDER BY id", params)]


PICKS = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 2), st.integers(0, 1)), max_size=25)


@settings(max_examples=150, deadline=None)
@given(
    rows=item_tables(),
    picks=PICKS,
    doc=DOCUMENTS,
    labels=st.lists(st.sampled_from(LABELS), max_size=2),
)
def test_joins_agree_with_python_evaluation(
    rows: list[dict[str, Any]], picks: list[tuple[int, int, int]], doc: dict[str, Any], labels: list[Any]
) -> None:
    annotations = _annotations(rows, picks)
    db = _db()
    _insert(db, rows)
    _insert_annotations(db, annotations)
    by_id = {row["id"]: row for row in rows}
    # Annotations whose item matches an items filter.
    joined = {"filter": {"type": "box"}, "join": {"on": {"resource": "items"}, "filter": doc}}
    expected = [a["id"] for a in annotations if a["type"] == "box" and _matches(doc, by_id[a["item_id"]])]
    assert _query(db, joined, ANNOTATIONS) == expected, joined
    # Items matching a filter that have an annotation of one of these labels: each item once.
    joined = {"filter": doc, "join": {"filter": {"$and": [{"label": {"$in": labels}}]}}}
    labelled = {a["item_id"] for a in annotations if a["label"] in labels and a["label"] is not None}
    labelled |= {a["item_id"] for a in annotations if None in labels and a["label"] is None}
    expected = sorted(row["id"] for row in rows if row["id"] in labelled and _matches(doc, row))
    assert _query(db, joined, ITEMS) == expected, joined
    db.close()


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"join": {"on": {"resource": "datasets"}, "filter": {}}}, "'annotations'"),
        ({"join": ["label"]}, "not supported on items"),
        ({"join": {"filter": {"nope": 1}}}, '"nope"'),
    ],
)
def test_a_bad_join_is_refused_naming_it(query: dict[str, Any], named: str) -> None:
    with pytest.raises(BadRequest) as raised:
        dql.compile_query(query, ITEMS)
    assert named in raised.value.message


def test_an_empty_join_is_no_join() -> None:
    assert dql.compile_query({"filter": {"dir": "/a"}, "join": {}}, ITEMS) == dql.compile_filter(
        {"dir": "/a"}, ITEMS
    )
