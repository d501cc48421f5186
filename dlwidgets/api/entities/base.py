"""The base of every entity: a pydantic model whose JSON by alias is the platform's JSON.

Fields a server sends that we do not model are kept (``extra="allow"``) and sent back unchanged, and
only fields that were set are written out, so ``Entity.from_json(d).to_json() == d``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr
from pydantic.alias_generators import to_camel

if TYPE_CHECKING:
    from ..client import Client

E = TypeVar("E", bound="Entity")


class Entity(BaseModel):
    """A platform entity that remembers the client it came from, for the tutorial's ``entity.repo.call()``."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=to_camel)
    _client: Client | None = PrivateAttr(default=None)

    @classmethod
    def from_json(cls: type[E], data: dict[str, Any], client: Client | None = None) -> E:
        entity = cls.model_validate(data)
        entity._client = client
        return entity

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    @property
    def client(self) -> Client:
        """The client this entity was fetched with; entities built by hand use the default client."""
        if self._client is None:
            from .. import default

            self._client = default.client()
        return self._client

    def print(self) -> None:
        """Print the entity as a one-row table."""
        print(format_table([self]))


class EntityList(list[E]):
    """A list of entities that prints as a table."""

    def print(self) -> None:
        print(format_table(self))


def format_table(entities: Iterable[Entity], columns: Sequence[str] | None = None) -> str:
    """A plain-text table of entities, one row each, with the columns their class lists in ``TABLE``."""
    rows = list(entities)
    if not rows:
        return "(no entries)"
    columns = columns or tuple(getattr(type(rows[0]), "TABLE", ("id",)))
    cells = [[_cell(getattr(e, c, None)) for c in columns] for e in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 48 else text[:45] + "..."
