"""Accept in one bulk update (``items.update`` with annotations' filters: the platform's query route)
every prediction of confidence 0.5 or more on the item whose id is in ``item_id.txt``."""

from pathlib import Path

import dtlpy as dl

item = dl.items.get(item_id=Path("item_id.txt").read_text().strip())
filters = dl.Filters(resource=dl.FiltersResource.ANNOTATION)
filters.add(field="itemId", values=item.id)
filters.add(field="metadata.user.model", values=True, operator=dl.FiltersOperations.EXISTS)
filters.add(
    field="metadata.user.model.confidence", values=0.5, operator=dl.FiltersOperations.GREATER_THAN_OR_EQUAL
)
item.dataset.items.update(filters=filters, system_update_values={"automated": False}, system_metadata=True)

result = {
    "accepted": sum(1 for a in item.annotations.list() if a.metadata["system"].get("automated") is False)
}
