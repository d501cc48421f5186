"""``Filters``: build the platform's DQL query JSON, as the SDK's ``dl.Filters`` does.

The store evaluates the same JSON (translated to SQL), so a filter means the same thing locally and on
the platform.
"""

from __future__ import annotations

import copy
from enum import Enum
from typing import Any

from .choices import member


class FiltersResource(str, Enum):
    """What a query lists."""

    ITEM = "items"
    ANNOTATION = "annotations"
    DATASET = "datasets"
    TASK = "tasks"


class FiltersOperations(str, Enum):
    """Comparison operators, valued as DQL writes them (without the ``$``), with dtlpy's names."""

    OR = "or"
    AND = "and"
    IN = "in"
    NOT_EQUAL = "ne"
    EQUAL = "eq"
    GREATER_THAN = "gt"
    LESS_THAN = "lt"
    EXISTS = "exists"
    MATCH = "match"
    NIN = "nin"
    GREATER_THAN_OR_EQUAL = "gte"
    LESS_THAN_OR_EQUAL = "lte"
    # Earlier dlwidgets names of the same operators.
    NOT_IN = "nin"
    GREATER_OR_EQUAL = "gte"
    LESS_OR_EQUAL = "lte"


class FiltersKnownFields(str, Enum):
    """Item fields every dataset has, with dtlpy's names."""

    DIR = "dir"
    ANNOTATED = "annotated"
    FILENAME = "filename"
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"
    LABEL = "label"
    NAME = "name"
    HIDDEN = "hidden"
    TYPE = "type"


class FiltersMethod(str, Enum):
    """How a condition joins the others."""

    AND = "and"
    OR = "or"


class FiltersOrderByDirection(str, Enum):
    ASCENDING = "ascending"
    DESCENDING = "descending"


ANNOTATION_TYPES = [
    "box", "cube", "cube_3d", "class", "comparison", "ellipse", "point", "segment", "polyline", "pose",
    "binary", "subtitle", "text_mark", "gis", "ref_semantic_3d", "polyline_3d", "text", "ref_image",
]  # fmt: skip


class Filters:
    """Conditions on a resource's fields; ``prepare()`` gives the query body."""

    def __init__(
        self,
        field: str | None = None,
        values: Any = None,
        operator: FiltersOperations | str | None = None,
        method: FiltersMethod | str | None = None,
        resource: FiltersResource | str = FiltersResource.ITEM,
        use_defaults: bool = True,
        page_size: int = 1000,
        recursive: bool = True,
    ) -> None:
        self.resource = FiltersResource(resource)
        self.use_defaults = use_defaults
        self.page_size = page_size
        self.page = 0
        self.recursive = recursive
        self.and_filters: list[dict[str, Any]] = []
        self.or_filters: list[dict[str, Any]] = []
        self.sort: dict[str, str] = {}
        self.join: dict[str, Any] | None = None
        # How ``add`` joins a condition given without ``method=``, as dtlpy's ``filters.method``.
        self.method: FiltersMethod | str = FiltersMethod.AND
        if field is not None:
            self.add(field=field, values=values, operator=operator, method=method)

    def __repr__(self) -> str:
        return f"Filters({self.prepare()!r})"

    def add(
        self,
        field: str,
        values: Any,
        operator: FiltersOperations | str | None = None,
        method: FiltersMethod | str | None = None,
    ) -> Filters:
        """Add a condition, joined by ``method`` (``filters.method`` unless given: AND by default); an item
        matches when it meets every AND condition and, if there are OR conditions, one of them. As in
        dtlpy, conditions add up (two on one field make a range), except that an AND condition on a field
        the defaults set (``type``, ``hidden``) replaces the earlier ones."""
        if not isinstance(field, str) or not field:
            raise ValueError(f"a filter needs a field name, got {field!r}")
        how = _method(method if method is not None else self.method)
        condition = {field: self._value(field, values, operator)}
        if how == FiltersMethod.AND:
            unique = field in {key for default in self._defaults() for key in default}
            self.and_filters = [c for c in self.and_filters if not (unique and field in c)] + [condition]
        else:
            self.or_filters.append(condition)
        return self

    def _value(self, field: str, values: Any, operator: FiltersOperations | str | None) -> Any:
        # A list without an operator travels as is, as the SDK sends it: the store reads it as $in, and a
        # list field (an item's metadata.system.refs) compared with [] as "empty".
        if (
            field == "filename"
            and self.recursive
            and isinstance(values, str)
            and "*" not in values
            and "." not in values.rsplit("/", 1)[-1]
        ):
            # The SDK's rule: a folder given as a filename means everything under it.
            values = values.rstrip("/") + "/**"
        if operator is None:
            return values
        # An enum member by its value: str() of a str-mixin Enum is its qualified name on Python 3.11+.
        op = FiltersOperations(operator.value if isinstance(operator, Enum) else str(operator).lstrip("$"))
        if op in (FiltersOperations.IN, FiltersOperations.NOT_IN) and not isinstance(values, list):
            values = [values]
        return {f"${op.value}": values}

    def add_join(
        self,
        field: str,
        values: Any,
        operator: FiltersOperations | str | None = None,
        method: FiltersMethod | str = FiltersMethod.AND,
    ) -> None:
        """A condition on the joined resource: items by their annotations' fields (an item matches when
        one of its annotations does), or annotations by their item's fields, as the SDK joins them."""
        if self.resource not in (FiltersResource.ITEM, FiltersResource.ANNOTATION):
            raise ValueError(f"only items and annotations filters join, not {self.resource.value!r} filters")
        if not isinstance(field, str) or not field:
            raise ValueError(f"a join needs a field name, got {field!r}")
        if self.join is None:
            other = (
                FiltersResource.ANNOTATION if self.resource == FiltersResource.ITEM else FiltersResource.ITEM
            )
            local, foreign = ("itemId", "id") if other == FiltersResource.ANNOTATION else ("id", "itemId")
            self.join = {"on": {"resource": other.value, "local": local, "forigen": foreign}, "filter": {}}
        key = f"${_method(method).value}"
        value = values if operator is None else self._value(field, values, operator)
        self.join["filter"].setdefault(key, []).append({field: value})

    def pop(self, field: str) -> None:
        """Remove every condition on ``field``."""
        self.and_filters = [c for c in self.and_filters if field not in c]
        self.or_filters = [c for c in self.or_filters if field not in c]

    def sort_by(
        self, field: str, value: FiltersOrderByDirection | str = FiltersOrderByDirection.ASCENDING
    ) -> None:
        """Order the results by ``field``; several calls sort by each field in turn, as in dtlpy."""
        try:
            direction = FiltersOrderByDirection(value)
        except ValueError:
            raise ValueError(
                f"sort direction {value!r} for field {field!r} is not one of "
                f"{[d.value for d in FiltersOrderByDirection]} (dw.FiltersOrderByDirection)"
            ) from None
        self.sort[field] = direction.value

    def _defaults(self) -> list[dict[str, Any]]:
        if not self.use_defaults:
            return []
        if self.resource == FiltersResource.ITEM:
            return [{"hidden": False}, {"type": "file"}]
        if self.resource == FiltersResource.ANNOTATION:
            return [{"type": {"$in": list(ANNOTATION_TYPES)}}]
        return []

    def prepare(self) -> dict[str, Any]:
        """The query body: ``filter``, ``sort``, ``page``, ``pageSize`` and ``resource``."""
        conditions = [c for c in self._defaults() if not any(k in c for f in self.and_filters for k in f)]
        document: dict[str, Any] = {}
        if conditions or self.and_filters:
            document["$and"] = copy.deepcopy(conditions + self.and_filters)
        if self.or_filters:
            document["$or"] = copy.deepcopy(self.or_filters)
        body: dict[str, Any] = {
            "filter": document,
            "page": self.page,
            "pageSize": self.page_size,
            "resource": self.resource.value,
        }
        body["sort"] = dict(self.sort) if self.sort else {"id": "ascending"}
        if self.join is not None:
            body["join"] = copy.deepcopy(self.join)
        return body


def _method(method: FiltersMethod | str) -> FiltersMethod:
    return member(FiltersMethod, method, "filter method")


# dtlpy's module-level constants (``dl.FILTERS_OPERATIONS_IN`` ...), the same enum members.
FILTERS_KNOWN_FIELDS_DIR = FiltersKnownFields.DIR
FILTERS_KNOWN_FIELDS_ANNOTATED = FiltersKnownFields.ANNOTATED
FILTERS_KNOWN_FIELDS_FILENAME = FiltersKnownFields.FILENAME
FILTERS_KNOWN_FIELDS_CREATED_AT = FiltersKnownFields.CREATED_AT
FILTERS_KNOWN_FIELDS_UPDATED_AT = FiltersKnownFields.UPDATED_AT
FILTERS_KNOWN_FIELDS_LABEL = FiltersKnownFields.LABEL
FILTERS_KNOWN_FIELDS_NAME = FiltersKnownFields.NAME
FILTERS_KNOWN_FIELDS_HIDDEN = FiltersKnownFields.HIDDEN
FILTERS_KNOWN_FIELDS_TYPE = FiltersKnownFields.TYPE
FILTERS_RESOURCE_ITEM = FiltersResource.ITEM
FILTERS_RESOURCE_ANNOTATION = FiltersResource.ANNOTATION
FILTERS_RESOURCE_DATASET = FiltersResource.DATASET
FILTERS_RESOURCE_TASK = FiltersResource.TASK
FILTERS_OPERATIONS_OR = FiltersOperations.OR
FILTERS_OPERATIONS_AND = FiltersOperations.AND
FILTERS_OPERATIONS_IN = FiltersOperations.IN
FILTERS_OPERATIONS_NOT_EQUAL = FiltersOperations.NOT_EQUAL
FILTERS_OPERATIONS_EQUAL = FiltersOperations.EQUAL
FILTERS_OPERATIONS_GREATER_THAN = FiltersOperations.GREATER_THAN
FILTERS_OPERATIONS_LESS_THAN = FiltersOperations.LESS_THAN
FILTERS_OPERATIONS_EXISTS = FiltersOperations.EXISTS
FILTERS_METHOD_OR = FiltersMethod.OR
FILTERS_METHOD_AND = FiltersMethod.AND
FILTERS_ORDERBY_DIRECTION_DESCENDING = FiltersOrderByDirection.DESCENDING
FILTERS_ORDERBY_DIRECTION_ASCENDING = FiltersOrderByDirection.ASCENDING

__all__ = [
    "FILTERS_KNOWN_FIELDS_ANNOTATED",
    "FILTERS_KNOWN_FIELDS_CREATED_AT",
    "FILTERS_KNOWN_FIELDS_DIR",
    "FILTERS_KNOWN_FIELDS_FILENAME",
    "FILTERS_KNOWN_FIELDS_HIDDEN",
    "FILTERS_KNOWN_FIELDS_LABEL",
    "FILTERS_KNOWN_FIELDS_NAME",
    "FILTERS_KNOWN_FIELDS_TYPE",
    "FILTERS_KNOWN_FIELDS_UPDATED_AT",
    "FILTERS_METHOD_AND",
    "FILTERS_METHOD_OR",
    "FILTERS_OPERATIONS_AND",
    "FILTERS_OPERATIONS_EQUAL",
    "FILTERS_OPERATIONS_EXISTS",
    "FILTERS_OPERATIONS_GREATER_THAN",
    "FILTERS_OPERATIONS_IN",
    "FILTERS_OPERATIONS_LESS_THAN",
    "FILTERS_OPERATIONS_NOT_EQUAL",
    "FILTERS_OPERATIONS_OR",
    "FILTERS_ORDERBY_DIRECTION_ASCENDING",
    "FILTERS_ORDERBY_DIRECTION_DESCENDING",
    "FILTERS_RESOURCE_ANNOTATION",
    "FILTERS_RESOURCE_DATASET",
    "FILTERS_RESOURCE_ITEM",
    "Filters",
    "FiltersKnownFields",
    "FiltersMethod",
    "FiltersOperations",
    "FiltersOrderByDirection",
    "FiltersResource",
]
