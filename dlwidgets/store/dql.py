"""DQL, the platform's Mongo-like query filter, compiled to parameterised SQLite.

Holds `Resource` (how one resource's DQL fields map onto its table), the `ITEMS`, `ANNOTATIONS`,
`DATASETS` and `TASKS` mappings, `compile_filter` (filter document -> WHERE expression plus parameters) and
`compile_sort` (sort document -> ORDER BY body). Filters are never evaluated in Python: SQLite does the work.

Semantics worth knowing:

- Column names in the SQL come only from a `Resource` mapping (checked to be plain identifiers), never
  from the request; JSON paths are strict literals built from validated path segments, so a field name
  cannot inject SQL.
- Columns are not qualified by table name, so the SQL works whether or not the caller aliases the table.
- The returned expression never needs parentheses: appending `AND ...` to it is safe.
- A missing JSON key and a JSON `null` are the same thing (SQLite's `json_extract` yields NULL for both), so
  `$exists: true` does not match an explicit `null`, and `{field: None}` matches both.
- `$ne` and `$nin` match rows where the field is missing or NULL, as in MongoDB.
- Booleans bind as 1/0, so in JSON fields `true` equals `1` and `false` equals `0`.
- On JSON fields, `$gt`/`$gte`/`$lt`/`$lte` only match values of the same kind (number, string or boolean)
  as the operand, as in MongoDB; plain columns have a fixed type and are compared directly.
- Arrays are not searched element-wise (a JSON array compares as its JSON text), except the fields a
  `Resource` names in `array_fields` (an item's `metadata.system.refs`): a condition on a field below one
  (`metadata.system.refs.id`) matches when some element matches, `$ne`/`$nin` when none does, as in
  MongoDB; the array itself compared with `[]` matches when it is empty, missing or null, and with
  `$in`/`$eq` (`$nin`/`$ne`) when some (no) element is one of the values. `{array: {"$match": {...}}}`
  matches when one element meets every condition of the object, whose nested objects without operators
  are paths below the element (dtlpy's `FiltersOperations.MATCH`). A value there that is not an array has
  no elements.
- A `Resource` may also read fields from a JSON column at the same path (`doc_fields`, a task's
  `creator`) or compute them from other tables (`computed`, a task's `status` from its items' statuses);
  computed expressions are constants of the code, never built from a request.
- JSON keys are matched as `json.dumps` writes them (non-ASCII escaped); see `_json_path`.
- `$and: []` matches everything and `$or: []` matches nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from dlwidgets.exceptions import BadRequest

from .progress import TASK_STATUS

__all__ = [
    "ANNOTATIONS", "DATASETS", "ITEMS", "TASKS", "Resource",
    "compile_filter", "compile_query", "compile_sort",
]  # fmt: skip

# Column names are emitted bare (a double-quoted name that is not a column would silently be a string).
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Resource:
    """How one resource's DQL fields map onto its SQL table."""

    table: str
    columns: Mapping[str, str]
    json_columns: Mapping[str, str]
    glob_fields: frozenset[str] = frozenset()
    bool_fields: frozenset[str] = frozenset()
    array_fields: frozenset[str] = frozenset()
    # Fields kept at the same path in a JSON column (``doc``): field -> that column.
    doc_fields: Mapping[str, str] = dataclass_field(default_factory=dict)
    # Fields computed from other tables: field -> a constant SQL expression over the row in scope.
    computed: Mapping[str, str] = dataclass_field(default_factory=dict)

    def array_of(self, field: str) -> tuple[str, list[str]] | None:
        """``(array field, path below it)`` when ``field`` is, or lies below, one of ``array_fields``."""
        for array in self.array_fields:
            if field == array or field.startswith(array + "."):
                rest = field[len(array) + 1 :]
                return array, rest.split(".") if rest else []
        return None

    def __post_init__(self) -> None:
        for name in (
            self.table,
            *self.columns.values(),
            *self.json_columns.values(),
            *self.doc_fields.values(),
        ):
            if not _IDENTIFIER.fullmatch(name):
                raise ValueError(f"{name!r} is not a plain SQL identifier")


ITEMS = Resource(
    table="items",
    columns={
        "id": "id",
        "datasetId": "dataset_id",
        "filename": "filename",
        "dir": "dir",
        "name": "name",
        "type": "type",
        "hidden": "hidden",
        "annotated": "annotated",
        "annotationsCount": "annotations_count",
        "createdAt": "created_at",
        "updatedAt": "updated_at",
        "creator": "creator",
        "metadata.system.mimetype": "mimetype",
        "metadata.system.size": "size",
        "metadata.system.width": "width",
        "metadata.system.height": "height",
    },
    json_columns={"metadata": "metadata"},
    glob_fields=frozenset({"filename", "dir"}),
    bool_fields=frozenset({"hidden", "annotated"}),
    array_fields=frozenset({"metadata.system.refs"}),
)

ANNOTATIONS = Resource(
    table="annotations",
    columns={
        "id": "id",
        "annotationId": "id",
        "itemId": "item_id",
        "datasetId": "dataset_id",
        "type": "type",
        "label": "label",
        "source": "source",
        "creator": "creator",
        "createdAt": "created_at",
        "updatedAt": "updated_at",
    },
    json_columns={"metadata": "metadata"},
)

DATASETS = Resource(
    table="datasets",
    columns={
        "id": "id",
        "name": "name",
        "creator": "creator",
        "createdAt": "created_at",
        "updatedAt": "updated_at",
        "projects": "project_id",
    },
    json_columns={"metadata": "metadata"},
)

TASKS = Resource(
    table="tasks",
    columns={"id": "id", "name": "name", "datasetId": "dataset_id", "projectId": "project_id"},
    json_columns={"metadata": "doc"},
    doc_fields={
        name: "doc" for name in ("creator", "recipeId", "dueDate", "assignmentIds", "spec.type", "createdAt")
    },
    computed={"status": TASK_STATUS},
    array_fields=frozenset({"assignmentIds"}),
)

_COMPARISONS = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}
_OPERATORS = ("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists")
_LOGICAL = ("$and", "$or")
_SORT_DIRECTIONS: dict[str, str] = {
    "ascending": "ASC",
    "asc": "ASC",
    "1": "ASC",
    "descending": "DESC",
    "desc": "DESC",
    "-1": "DESC",
}
_MAX_DEPTH = 32
# Longer `$in`/`$nin` lists travel as one JSON array parameter, so they never hit SQLite's variable limit.
_MAX_INLINE_VALUES = 200
_INT64 = (-(2**63), 2**63 - 1)
_GROUP = 50
_MAX_PARAMS = 32766  # SQLite's default SQLITE_MAX_VARIABLE_NUMBER


def compile_filter(filter_doc: Mapping[str, Any] | None, resource: Resource) -> tuple[str, list[Any]]:
    """SQL boolean expression (parameterised, '?' placeholders) and its parameters; '1' for an empty filter.

    Raises `BadRequest` naming the offending field, operator or value for anything unsupported.
    """
    if filter_doc is None:
        return "1", []
    params: list[Any] = []
    sql = _Compiler(resource, params).document(filter_doc, "filter", 0)
    if len(params) > _MAX_PARAMS:
        raise BadRequest(
            f"filter has {len(params)} values, over the limit of {_MAX_PARAMS}; "
            "put long lists of plain values in one $in"
        )
    return sql, params


# A join's side: (this resource's column, the other resource's table and column), by resource table.
_JOINS = {"items": ("id", "annotations", "item_id"), "annotations": ("item_id", "items", "id")}


def compile_query(query: Mapping[str, Any], resource: Resource) -> tuple[str, list[Any]]:
    """The WHERE of a query body: its ``filter``, and its ``join`` (``Filters.add_join``) if any.

    A join filters items by their annotations' fields (an item matches when one of its annotations matches
    the join's filter) or annotations by their item's fields. Its ``on`` names the other resource.
    """
    where, params = compile_filter(query.get("filter"), resource)
    join = query.get("join")
    if not join:
        return where, params
    if not isinstance(join, Mapping) or resource.table not in _JOINS:
        raise BadRequest(
            f"join {_show(join)} is not supported on {resource.table}; items join annotations and back, "
            'as {"on": {"resource": "annotations"}, "filter": {...}}'
        )
    local, table, column = _JOINS[resource.table]
    on = join.get("on") or {"resource": table}
    if not isinstance(on, Mapping) or on.get("resource") != table:
        raise BadRequest(f"join 'on' of a {resource.table} query names resource {_show(on)}; use {table!r}")
    other = ITEMS if table == "items" else ANNOTATIONS
    # Unqualified columns inside the subquery are the other table's; the subquery does not refer out.
    inner, inner_params = compile_filter(join.get("filter"), other)
    return f"({where} AND {local} IN (SELECT {column} FROM {table} WHERE {inner}))", params + inner_params


def compile_sort(sort: Mapping[str, str | int] | None, resource: Resource) -> str:
    """ORDER BY body: 'ascending'/'descending' (also 'asc'/'desc', 1/-1) per field, then the id column.

    The id column ascending is the tie-break (and the whole order when `sort` is empty). NULLs sort first
    ascending and last descending, as in MongoDB.
    """
    id_column = resource.columns.get("id", "id")
    if sort is None:
        return f"{id_column} ASC"
    if not isinstance(sort, Mapping):
        raise BadRequest(
            f"sort must be an object of field -> direction, got {_show(sort)}; "
            'e.g. {"filename": "ascending", "id": "descending"}'
        )
    terms: list[str] = []
    for field, direction in sort.items():
        expr = _field_sql(field, resource)
        key = direction.strip().lower() if isinstance(direction, str) else direction
        if isinstance(key, int) and not isinstance(key, bool):
            key = str(key)
        order = _SORT_DIRECTIONS.get(key) if isinstance(key, str) else None
        if order is None:
            raise BadRequest(
                f"unknown sort direction {_show(direction)} for field {_show(field)}; "
                'use "ascending", "descending", "asc", "desc", 1 or -1'
            )
        terms.append(f"{expr} {order}")
        if expr == id_column:
            # Ids are unique: nothing after them can change the order.
            return ", ".join(terms)
    terms.append(f"{id_column} ASC")
    return ", ".join(terms)


class _Compiler:
    """One compilation: appends to `params` while returning SQL text."""

    def __init__(self, resource: Resource, params: list[Any]) -> None:
        self.resource = resource
        self.params = params

    def document(self, doc: Any, where: str, depth: int) -> str:
        """A filter document: its keys ANDed."""
        if not isinstance(doc, Mapping):
            raise BadRequest(
                f"{where} must be a JSON object of field conditions, got {_show(doc)}; "
                'e.g. {"$and": [{"dir": "/images"}]}'
            )
        if depth > _MAX_DEPTH:
            raise BadRequest(f"filter is nested deeper than {_MAX_DEPTH} levels of $and/$or")
        parts: list[str] = []
        for key, value in doc.items():
            if not isinstance(key, str):
                raise BadRequest(f"filter keys must be strings, got {_show(key)} in {where}")
            if key in _LOGICAL:
                parts.append(self.logical(key, value, f"{where}.{key}", depth + 1))
            elif key.startswith("$"):
                raise BadRequest(
                    f"unknown operator {_show(key)} in {where}; only $and and $or may stand in place of a "
                    f"field, and a field's operators are {', '.join(_OPERATORS)}"
                )
            else:
                parts.append(self.condition(key, value))
        return _join(parts, "AND")

    def logical(self, op: str, value: Any, where: str, depth: int) -> str:
        if not isinstance(value, list):
            raise BadRequest(
                f"{op} needs a list of filter objects, got {_show(value)}; "
                f'e.g. {{"{op}": [{{"dir": "/a"}}, {{"dir": "/b"}}]}}'
            )
        parts = [self.document(sub, f"{where}[{i}]", depth) for i, sub in enumerate(value)]
        if not parts:
            return "1" if op == "$and" else "0"
        return _join(parts, "AND" if op == "$and" else "OR")

    def field_sql(self, field: str) -> str:
        return _field_sql(field, self.resource)

    def json_type(self, field: str) -> str:
        return _json_type(field, self.resource)

    def condition(self, field: str, value: Any) -> str:
        """`{field: value}` or `{field: {"$op": value, ...}}`."""
        array = self.resource.array_of(field)
        if array is not None:
            return self.array_condition(field, *array, value)
        expr = self.field_sql(field)
        is_json = field not in self.resource.columns and field not in self.resource.computed
        if isinstance(value, Mapping):
            if not value or not all(isinstance(k, str) and k.startswith("$") for k in value):
                raise BadRequest(
                    f"field {_show(field)} got an object {_show(value)} where a value or an operator object "
                    f"is expected; supported operators: {', '.join(_OPERATORS)}"
                )
            parts = [self.operator(field, expr, is_json, op, operand) for op, operand in value.items()]
            return _join(parts, "AND")
        if isinstance(value, (list, tuple)):
            return self.membership(field, expr, value, negate=False)
        return self.equality(field, expr, self.scalar(field, value, "value"), negate=False)

    def operator(self, field: str, expr: str, is_json: bool, op: str, operand: Any) -> str:
        if op == "$eq" or op == "$ne":
            if isinstance(operand, (list, tuple, Mapping)):
                raise BadRequest(
                    f"{op} on field {_show(field)} needs a single value, got {_show(operand)}; "
                    "use $in/$nin for a list"
                )
            return self.equality(field, expr, self.scalar(field, operand, op), negate=op == "$ne")
        if op == "$in" or op == "$nin":
            if not isinstance(operand, (list, tuple)):
                raise BadRequest(
                    f"{op} on field {_show(field)} needs a list of values, got {_show(operand)}; "
                    f'e.g. {{"{field}": {{"{op}": ["a", "b"]}}}}'
                )
            return self.membership(field, expr, operand, negate=op == "$nin")
        if op in _COMPARISONS:
            return self.comparison(field, expr, is_json, op, operand)
        if op == "$exists":
            if not isinstance(operand, bool):
                raise BadRequest(f"$exists on field {_show(field)} needs true or false, got {_show(operand)}")
            return f"{expr} IS NOT NULL" if operand else f"{expr} IS NULL"
        raise BadRequest(
            f"unknown operator {_show(op)} on field {_show(field)}; "
            f"supported operators: {', '.join(_OPERATORS)}"
        )

    def scalar(self, field: str, value: Any, what: str) -> Any:
        """Validates one value to compare a field with; returns what to bind."""
        if value is None:
            return None
        if isinstance(value, bool):
            return int(value)
        if field in self.resource.bool_fields:
            if isinstance(value, int) and value in (0, 1):
                return value
            raise BadRequest(
                f"field {_show(field)} is a boolean; {what} must be true or false, got {_show(value)}"
            )
        if isinstance(value, str):
            return value
        if isinstance(value, int):
            if not _INT64[0] <= value <= _INT64[1]:
                raise BadRequest(
                    f"{what} {value} for field {_show(field)} is out of the 64-bit integer range"
                )
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise BadRequest(f"{what} {value} for field {_show(field)} is not a finite number")
            return value
        raise BadRequest(
            f"unsupported {what} {_show(value)} for field {_show(field)}; "
            "expected a string, number, boolean or null"
        )

    def bind(self, value: Any) -> str:
        self.params.append(value)
        return "?"

    def is_glob(self, field: str, value: Any) -> bool:
        return field in self.resource.glob_fields and isinstance(value, str) and "*" in value

    def equality(self, field: str, expr: str, value: Any, *, negate: bool) -> str:
        if value is None:
            return f"{expr} IS NOT NULL" if negate else f"{expr} IS NULL"
        if self.is_glob(field, value):
            match = f"{expr} GLOB {self.bind(_glob(value))}"
            return f"({expr} IS NULL OR NOT {match})" if negate else match
        return f"{expr} IS NOT {self.bind(value)}" if negate else f"{expr} = {self.bind(value)}"

    def membership(self, field: str, expr: str, values: Sequence[Any], *, negate: bool) -> str:
        """`$in` (or `$nin` when `negate`): NULL in the list stands for a missing field."""
        bound = [self.scalar(field, v, "list element") for v in values]
        has_null = any(v is None for v in bound)
        globs = [v for v in bound if self.is_glob(field, v)]
        plain = list(dict.fromkeys(v for v in bound if v is not None and not self.is_glob(field, v)))
        # Each test below is 0 or 1 (never NULL) on a non-NULL value, so NOT is exact.
        tests: list[str] = []
        if len(plain) == 1:
            tests.append(f"{expr} = {self.bind(plain[0])}")
        elif len(plain) > _MAX_INLINE_VALUES:
            tests.append(f"{expr} IN (SELECT value FROM json_each({self.bind(json.dumps(plain))}))")
        elif plain:
            tests.append(f"{expr} IN ({', '.join(self.bind(v) for v in plain)})")
        tests.extend(f"{expr} GLOB {self.bind(_glob(g))}" for g in globs)
        if not tests:
            if has_null:
                return f"{expr} IS NOT NULL" if negate else f"{expr} IS NULL"
            return "1" if negate else "0"
        match = _join(tests, "OR")
        if negate:
            if has_null:
                return f"({expr} IS NOT NULL AND NOT {match})"
            return f"({expr} IS NULL OR NOT {match})"
        if has_null:
            return f"({expr} IS NULL OR {match})"
        return match

    def comparison(self, field: str, expr: str, is_json: bool, op: str, operand: Any) -> str:
        if operand is None or isinstance(operand, (list, tuple, Mapping)):
            raise BadRequest(
                f"{op} on field {_show(field)} needs a number, string or boolean, got {_show(operand)}"
            )
        kind = "text" if isinstance(operand, str) else "bool" if isinstance(operand, bool) else "number"
        value = self.scalar(field, operand, op)
        test = f"{expr} {_COMPARISONS[op]} {self.bind(value)}"
        if not is_json:
            return test
        types = {"text": "'text'", "bool": "'true', 'false'", "number": "'integer', 'real'"}[kind]
        return f"({self.json_type(field)} IN ({types}) AND {test})"

    def array_condition(self, field: str, array: str, below: list[str], value: Any) -> str:
        """A condition on an array field (compared with `[]`, or on its elements' values with `$in`,
        `$eq`...; `$match` for one element matching a whole document) or on a field of its elements."""
        column, segments = _resolve(array, self.resource)
        path = _json_path(segments or [])
        if isinstance(value, Mapping) and list(value) == ["$match"]:
            return self.element_match(field, column, path, below, value["$match"])
        if not below:
            operators = value if isinstance(value, Mapping) else {"$eq": value}
            if list(operators.values()) == [[]] and list(operators) in (["$eq"], ["$ne"]):
                kind, length = f"json_type({column}, {path})", f"json_array_length({column}, {path})"
                empty = f"(COALESCE({kind}, 'null') = 'null' OR ({kind} = 'array' AND {length} = 0))"
                return empty if "$eq" in operators else f"NOT {empty}"
            if not isinstance(value, Mapping) or not set(value) <= {"$eq", "$ne", "$in", "$nin"}:
                raise BadRequest(
                    f"field {_show(field)} is a list; it compares with [] ({{{_show(field)}: []}} for none, "
                    f"$ne [] for some), its elements' values with $in/$nin/$eq/$ne, a field of its elements "
                    f"such as {array}.id, or one element with $match {{...}}; got {_show(value)}"
                )
        element = _ElementCompiler(self.resource, self.params, column, below)
        negated = {"$ne": "$eq", "$nin": "$in"}
        if isinstance(value, Mapping) and value:
            tests = list(value.items())
        else:
            tests = [("$in" if isinstance(value, (list, tuple)) else "$eq", value)]
        parts = []
        for op, operand in tests:
            where = element.condition(field, {negated.get(op, op): operand})
            is_array = f"json_type({column}, {path}) = 'array'"
            match = f"EXISTS (SELECT 1 FROM json_each({column}, {path}) WHERE {is_array} AND {where})"
            parts.append(f"NOT {match}" if op in negated else match)
        return _join(parts, "AND")

    def element_match(self, field: str, column: str, path: str, below: list[str], doc: Any) -> str:
        """`{array: {"$match": {...}}}`: some element of the array meets every condition of ``doc``, whose
        nested objects are paths (``{"metadata": {"status": {"$exists": true}}}``)."""
        if not isinstance(doc, Mapping) or not doc:
            raise BadRequest(
                f"$match on field {_show(field)} needs an object of conditions, got {_show(doc)}"
            )
        wheres = []
        for keys, condition in _match_conditions(doc, [], field):
            element = _ElementCompiler(self.resource, self.params, column, below + keys)
            operators = condition if isinstance(condition, Mapping) else {"$eq": condition}
            wheres.append(element.condition(f"{field}.{'.'.join(keys)}", operators))
        is_array = f"json_type({column}, {path}) = 'array'"
        return (
            f"EXISTS (SELECT 1 FROM json_each({column}, {path}) WHERE {is_array} AND {_join(wheres, 'AND')})"
        )


class _ElementCompiler(_Compiler):
    """Conditions on a field of each element of a JSON array, inside `EXISTS (... json_each ...)`: the
    field is read from the row's JSON column at the element's path, so elements that are not objects
    give NULL rather than an error."""

    def __init__(self, resource: Resource, params: list[Any], column: str, below: list[str]) -> None:
        super().__init__(resource, params)
        self.column = column
        self.suffix = _path_keys(below)

    def _at(self, function: str) -> str:
        return f"{function}({self.column}, fullkey || {_sql_string(self.suffix)})"

    def field_sql(self, field: str) -> str:
        return self._at("json_extract")

    def json_type(self, field: str) -> str:
        return self._at("json_type")

    def condition(self, field: str, value: Any) -> str:
        expr = self.field_sql(field)
        parts = [self.operator(field, expr, True, op, operand) for op, operand in value.items()]
        return _join(parts, "AND")


def _resolve(field: Any, resource: Resource) -> tuple[str, list[str] | None]:
    """(column, None) for a mapped field, (json column, path segments) for a JSON field."""
    if not isinstance(field, str):
        raise BadRequest(f"field names must be strings, got {_show(field)}")
    column = resource.columns.get(field) or resource.computed.get(field)
    if column is not None:
        return column, None
    if field in resource.doc_fields:
        return resource.doc_fields[field], field.split(".")
    prefixes = sorted((p for p in resource.json_columns if field.startswith(p + ".")), key=len, reverse=True)
    if not prefixes:
        known = [
            *sorted({*resource.columns, *resource.computed, *resource.doc_fields}),
            *(f"{p}.<key>..." for p in sorted(resource.json_columns)),
        ]
        raise BadRequest(
            f"unknown field {_show(field)} for {resource.table}; known fields: {', '.join(known)}"
        )
    prefix = prefixes[0]
    segments = field[len(prefix) + 1 :].split(".")
    for segment in segments:
        if not segment or '"' in segment or "\\" in segment or any(ord(ch) < 0x20 for ch in segment):
            raise BadRequest(
                f"field {_show(field)} has an unsupported path segment {_show(segment)}; segments of "
                f"{prefix}.<key>... must be non-empty and hold no quote, backslash or control character"
            )
    return resource.json_columns[prefix], segments


def _json_path(segments: list[str]) -> str:
    """A SQL string literal holding the JSON path of validated segments.

    Non-ASCII characters are written as `\\uXXXX`, as `json.dumps` stores them: SQLite before 3.45 compares
    path keys with the stored key text as is, and later versions decode the escapes on both sides.
    """
    return _sql_string("$" + _path_keys(segments))


def _match_conditions(doc: Mapping[str, Any], keys: list[str], field: str) -> list[tuple[list[str], Any]]:
    """A `$match` document's (path below the element, condition) pairs; a nested object without
    operators is a path."""
    pairs: list[tuple[list[str], Any]] = []
    for key, value in doc.items():
        if not isinstance(key, str) or not key or key.startswith("$"):
            raise BadRequest(f"$match on field {_show(field)} has key {_show(key)}; use field names")
        path = [*keys, *key.split(".")]
        if isinstance(value, Mapping) and value and not any(str(k).startswith("$") for k in value):
            pairs.extend(_match_conditions(value, path, field))
        else:
            pairs.append((path, value))
    return pairs


def _path_keys(segments: list[str]) -> str:
    """The keys part of a JSON path: ``."a"."b"``."""
    return "".join(f'."{json.dumps(segment)[1:-1]}"' for segment in segments)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _field_sql(field: Any, resource: Resource) -> str:
    """The SQL expression of a field's value."""
    column, segments = _resolve(field, resource)
    if segments is None:
        return column
    return f"json_extract({column}, {_json_path(segments)})"


def _json_type(field: str, resource: Resource) -> str:
    column, segments = _resolve(field, resource)
    assert segments is not None
    return f"json_type({column}, {_json_path(segments)})"


def _join(parts: list[str], op: str) -> str:
    """Parts combined with AND/OR, parenthesised so the result can be combined again.

    Long lists are grouped, since SQLite refuses an expression tree deeper than 1000 nodes and a flat chain of
    `OR`s is as deep as it is long.
    """
    if not parts:
        return "1" if op == "AND" else "0"
    if len(parts) == 1:
        return parts[0]
    if len(parts) > _GROUP:
        return _join([_join(parts[i : i + _GROUP], op) for i in range(0, len(parts), _GROUP)], op)
    return "(" + f" {op} ".join(parts) + ")"


def _glob(pattern: str) -> str:
    """A DQL glob as a SQLite GLOB pattern: any run of `*` matches anything, other characters are literal."""
    out: list[str] = []
    for ch in pattern:
        if ch == "*":
            if not out or out[-1] != "*":
                out.append("*")
        elif ch in "?[]":
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)


def _show(value: Any) -> str:
    """A value as JSON for error messages, shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
