"""``/datasets/{id}/directories`` and ``/datasets/{id}/mimetypes``: the values the Browser's folder tree and
type filter offer, each with its number of items.

Both are one ``GROUP BY`` over a covering index (``items_by_dir``, ``items_by_mimetype``), so they read
the index alone and stay fast on datasets of 100,000 items and more. They count every item of the
dataset, hidden ones included (the store never hides an item).
"""

from __future__ import annotations

from typing import Any

from ..routing import Request, router
from ..workspace import Workspace
from .datasets import require_dataset


@router.route("GET", "/datasets/{dataset_id}/directories")
def list_directories(ws: Workspace, req: Request, dataset_id: str) -> list[dict[str, Any]]:
    """``[{"dir": "/images", "itemsCount": 600}, ...]``: each folder holding items directly, by path."""
    require_dataset(ws, dataset_id)
    rows = ws.db.execute(
        "SELECT dir, COUNT(*) FROM items WHERE dataset_id = ? GROUP BY dir ORDER BY dir", (dataset_id,)
    )
    return [{"dir": directory, "itemsCount": count} for directory, count in rows]


@router.route("GET", "/datasets/{dataset_id}/mimetypes")
def list_mimetypes(ws: Workspace, req: Request, dataset_id: str) -> list[dict[str, Any]]:
    """``[{"mimetype": "image/jpeg", "itemsCount": 990}, ...]``, by mimetype."""
    require_dataset(ws, dataset_id)
    rows = ws.db.execute(
        "SELECT mimetype, COUNT(*) FROM items WHERE dataset_id = ? GROUP BY mimetype ORDER BY mimetype",
        (dataset_id,),
    )
    return [{"mimetype": mimetype, "itemsCount": count} for mimetype, count in rows]
