"""``item.annotations``: build, upload, list, save changes to and delete the annotations of one item;
``dataset.annotations`` for a whole dataset's; ``dw.annotations`` for any annotation by id."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ...exceptions import PlatformError, from_status
from ..entities.annotation import (
    Annotation,
    AnnotationBuilder,
    AnnotationCollection,
    Definition,
    definition_json,
    mask_in_colour,
)
from ..entities.arrays import AnnotationArrays, box_definitions
from ..entities.item import metadata_diff
from ..entities.page import PagedEntities
from ..entities.prediction import add_model_info
from ..filters import Filters, FiltersOperations, FiltersResource
from .items import get_item, json_pages, paged_query
from .label_check import Colour, label_colours
from .owner import required

if TYPE_CHECKING:
    from ..client import Client
    from ..entities.dataset import Dataset
    from ..entities.item import Item

# Annotations travel in batches this big: one request each, so 10,000 boxes are ten calls.
UPLOAD_BATCH = 1000
# ... and at most this much JSON each over HTTP: half of dlwidgets serve's 8 MiB limit for JSON bodies.
UPLOAD_BATCH_BYTES = 4 << 20


@dataclass
class SavedAnnotations:
    """What ``item.annotations.save_changes`` stored: the item's annotation version after the save, the
    created annotations (with ids, in the order sent) and the updated ones as stored now."""

    version: int | None
    created: AnnotationCollection
    updated: AnnotationCollection


class AnnotationsById:
    """What needs no owner: get, update and delete annotations by id (``dw.annotations``)."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, annotation_id: str) -> Annotation:
        return Annotation.from_json(self.client.json("GET", f"/annotations/{annotation_id}"), self.client)

    def update(
        self, annotations: Annotation | Iterable[Annotation], system_metadata: bool = False
    ) -> AnnotationCollection:
        """Save each annotation's changes since it was fetched (only the fields that changed, as dtlpy's
        ``PUT /annotations/{id}``); returns them as stored now. With ``system_metadata``, changes under
        ``metadata.system`` (attributes, object id) are saved too."""
        updated = AnnotationCollection()
        for annotation in [annotations] if isinstance(annotations, Annotation) else annotations:
            if not isinstance(annotation, Annotation):
                raise TypeError(
                    f"annotations.update takes Annotation entities, got {type(annotation).__name__}"
                )
            annotation_id = annotation._stored_id("update")
            diff = metadata_diff(annotation._saved, annotation.to_json())
            if not diff:
                updated.append(annotation)
                continue
            body = self.client.json(
                "PUT",
                f"/annotations/{annotation_id}",
                json=diff,
                params={"system": "true"} if system_metadata else None,
            )
            fresh = Annotation.from_json(body, self.client)
            annotation._saved = fresh.to_json()
            updated.append(fresh)
        return updated

    def accept(self, annotations: Annotation | Iterable[Annotation]) -> AnnotationCollection:
        """Accept predictions: each becomes a human annotation as the platform marks one
        (``metadata.system.automated`` false, saved as system metadata), its ``metadata.user.model`` kept
        as provenance. Returns them as stored now."""
        chosen = [annotations] if isinstance(annotations, Annotation) else list(annotations)
        for annotation in chosen:
            if not isinstance(annotation, Annotation):
                raise TypeError(
                    f"annotations.accept takes Annotation entities, got {type(annotation).__name__}"
                )
            annotation.automated = False
        return self.update(chosen, system_metadata=True)

    def delete(
        self,
        annotation: Annotation | str | None = None,
        annotation_id: str | None = None,
        filters: Filters | None = None,
    ) -> bool:
        """Delete one annotation (entity or id), or those matching ``filters`` where the repository has
        an owner (``item.annotations``, ``dataset.annotations``)."""
        if isinstance(annotation, Annotation):
            annotation_id = annotation._stored_id("delete")
        if annotation_id is not None:
            self.client.request("DELETE", f"/annotations/{annotation_id}")
            return True
        if annotation not in (None, "all"):
            raise ValueError(f"annotation must be an Annotation, 'all' or None, got {annotation!r}")
        dataset_id, query = self._scope(filters)
        self.client.request("POST", f"/datasets/{dataset_id}/query", json={**query, "delete": True})
        return True

    def _scope(self, filters: Filters | None) -> tuple[str, dict[str, Any]]:
        """The dataset whose query route lists the annotations, and the query body for ``filters``."""
        raise ValueError(
            "dw.annotations reaches annotations by id only; to list or delete by filters use "
            "item.annotations or dataset.annotations"
        )


class DatasetAnnotations(AnnotationsById):
    """The annotations of every item of one dataset (``dataset.annotations``)."""

    def __init__(self, client: Client, dataset: Dataset) -> None:
        super().__init__(client)
        self.dataset = dataset

    def _scope(self, filters: Filters | None) -> tuple[str, dict[str, Any]]:
        if filters is None:  # as in dtlpy: never every annotation of a dataset by default
            raise ValueError(
                f"dataset {self.dataset.name!r}: annotations.delete needs filters=, annotation= or "
                "annotation_id="
            )
        return self.dataset.id, filters.prepare()

    def pages_json(self, filters: Filters) -> Iterator[list[dict[str, Any]]]:
        """The platform JSON of the annotations ``filters`` matches, a page at a time in id order (walked
        by ``id > last id``), without building entities: for bulk readers such as the converter."""
        return json_pages(self.client, f"/datasets/{self.dataset.id}/query", filters, by_id=True)

    def arrays(self, filters: Filters | None = None) -> AnnotationArrays:
        """The dataset's box annotations (those ``filters`` matches) as NumPy arrays: ``boxes`` N x 4,
        ``labels``, ``scores`` (NaN where no model made one), ``ids`` and ``item_ids``."""
        filters = _annotation_query(filters, "arrays")
        return AnnotationArrays.from_json(a for page in self.pages_json(filters) for a in page)

    def accept_predictions(self, filters: Filters | None = None, min_confidence: float = 0.0) -> int:
        """Accept, in one request, every prediction ``filters`` (annotations') matches whose confidence is
        at least ``min_confidence``: each becomes a human annotation as ``accept()`` makes one (``automated``
        false, the model info kept). Returns how many were accepted (0 from a platform that does not say)."""
        query = prediction_filters(min_confidence, _annotation_query(filters, "accept_predictions")).prepare()
        query.update(update={"metadata": {"system": {"automated": False}}}, systemSpace=True)
        body = self.client.json("POST", f"/datasets/{self.dataset.id}/query", json=query)
        updated = body.get("updated") if isinstance(body, dict) else None
        return updated if isinstance(updated, int) else 0

    def upload_arrays(
        self,
        item_ids: Any,
        boxes: Any,
        labels: Any,
        scores: Any = None,
        model_info: dict[str, Any] | None = None,
    ) -> AnnotationArrays:
        """``item.annotations.upload_arrays`` for the items of a whole batch: row ``i`` of ``boxes``,
        ``labels`` and ``scores`` goes on item ``item_ids[i]``, one request per item. Every row and item is
        checked before anything is stored. Returns the stored boxes as arrays, in the rows' order."""
        rows = box_definitions(boxes, labels, scores)
        targets = np.asarray(item_ids, dtype=str)
        if targets.shape != (len(rows),):
            raise ValueError(
                f"item_ids must hold one id per box ({len(rows)}), got an array of shape {targets.shape}"
            )
        wanted = sorted(set(targets.tolist()))
        found = {}
        if wanted:
            filters = Filters(resource=FiltersResource.ITEM, field="id", values=wanted, operator="in")
            found = {item.id: item for page in self.dataset.items.list(filters=filters) for item in page}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise ValueError(f"dataset {self.dataset.name!r} has no item with id {missing[0]!r} (item_ids)")
        by_item: dict[str, list[int]] = {}
        for index, item_id in enumerate(targets.tolist()):
            by_item.setdefault(item_id, []).append(index)
        stored = upload_to_items(
            self.dataset,
            [
                (found[i], [_row_json(*rows[r], model_info, found[i]) for r in indices])
                for i, indices in by_item.items()
            ],
        )
        placed: list[dict[str, Any]] = [{}] * len(rows)
        for indices, stored_json in zip(by_item.values(), stored, strict=True):
            for index, annotation in zip(indices, stored_json, strict=True):
                placed[index] = annotation
        return AnnotationArrays.from_json(placed)

    def list(
        self, filters: Filters | None = None, page_offset: int | None = None, page_size: int | None = None
    ) -> PagedEntities[Annotation]:
        """The dataset's annotations matching ``filters``, a page at a time, as dtlpy's pages."""
        filters = _annotation_query(filters, "list")
        return PagedEntities(
            self.client,
            f"/datasets/{self.dataset.id}/query",
            paged_query(filters, page_offset, page_size),
            lambda d: Annotation.from_json(d, self.client),
        )


class Annotations(AnnotationsById):
    """The annotations of one item."""

    def __init__(self, client: Client, item: Item | None = None) -> None:
        super().__init__(client)
        self._item = item

    @property
    def item(self) -> Item:
        return required(self._item, "annotations", "item")

    def builder(self) -> AnnotationBuilder:
        return AnnotationBuilder(self.item)

    def upload(
        self,
        annotations: AnnotationBuilder | Iterable[Annotation | Definition | dict[str, Any]],
        expected_version: int | None = None,
        model_info: dict[str, Any] | None = None,
    ) -> AnnotationCollection:
        """Store annotations on the item; returns them with ids. ``model_info`` (``{'confidence': 0-1,
        'name': ..., 'model_id': ...}``) marks every one of them a prediction of that model, as the
        builder's ``add(..., model_info=)`` does. With ``expected_version`` (from
        ``version()``, read when the item's annotations were loaded), ``Conflict`` if they changed since,
        and nothing is stored. It goes with the first batch only, so over HTTP a change made between two
        batches is not seen; a platform without annotation versions (``version()`` is None) ignores it.

        It travels in batches of ``UPLOAD_BATCH``, and an error names an annotation by its place in the
        whole upload. The embedded workspace stores all the batches in one transaction, or nothing. Over
        HTTP each batch is stored whole or not at all; a refused batch raises an error that says which
        annotations were stored before it."""
        annotations = list(annotations)
        colours = label_colours(self.client, self.item.dataset_id, annotations)
        payload = [self._to_json(a, colours) for a in annotations]
        if model_info is not None:
            payload = [add_model_info(a, model_info) for a in payload]
        return AnnotationCollection(
            Annotation.from_json(a, self.client) for a in self._post(payload, expected_version)
        )

    def _post(
        self, payload: list[dict[str, Any]], expected_version: int | None = None, answers: bool = True
    ) -> list[dict[str, Any]]:
        """``upload`` after the label check: the batches of ``payload`` in one transaction locally; the
        stored annotations' JSON (none read, and ``[]`` returned, without ``answers``)."""
        headers = {"x-annotations-version": str(expected_version)} if expected_version is not None else {}
        created: list[dict[str, Any]] = []
        with self.client.atomic():
            for start, end in self._batches(payload):
                try:
                    response = self.client.request(
                        "POST",
                        f"/items/{self.item.id}/annotations",
                        json=payload[start:end],
                        headers={**headers, "x-annotations-offset": str(start)},
                    )
                except PlatformError as e:
                    if start == 0 or self.client.is_local:
                        raise
                    raise from_status(
                        e.status_code,
                        f"{e.message}; annotations #0-#{start - 1} of {len(payload)} were stored, "
                        f"#{start}-#{len(payload) - 1} were not",
                    ) from None
                if answers:
                    created += response.json()
                headers = {}
        return created

    def _batches(self, payload: list[dict[str, Any]]) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of each request's slice: at most ``UPLOAD_BATCH`` annotations, and over HTTP
        at most ``UPLOAD_BATCH_BYTES`` of JSON, so big polygons stay under a server's body limit."""
        start, size = 0, 0
        for i, annotation in enumerate(payload):
            n = 0 if self.client.is_local else len(json.dumps(annotation))
            if i > start and (i - start >= UPLOAD_BATCH or size + n > UPLOAD_BATCH_BYTES):
                yield start, i
                start, size = i, 0
            size += n
        if start < len(payload):
            yield start, len(payload)

    def version(self) -> int | None:
        """The item's annotation version now (None on a platform that has none): read it before listing
        the annotations, and a save made with it is refused if they changed since."""
        return get_item(self.client, self.item.id).annotations_version

    def save_changes(
        self,
        created: Iterable[Annotation | Definition | dict[str, Any]] = (),
        updated: Iterable[dict[str, Any]] = (),
        deleted: Iterable[str] = (),
        expected_version: int | None = None,
    ) -> SavedAnnotations:
        """Create, update (each an ``{"id": ..., <fields to change>}``, as ``annotation.update()`` sends)
        and delete annotations in one request that is stored whole or not at all. With ``expected_version``
        (from ``version()``), ``Conflict`` if the item's annotations changed since, and nothing is stored.

        A platform without annotation versions (``version()`` is None) has no such request: there the
        changes go one call each, as the platform's own clients send them, and are not one transaction.

        New annotations given as shapes are checked and a new mask painted as ``upload`` does it; those
        given as the platform's JSON are stored as they are."""
        created, updated, deleted = list(created), list(updated), list(deleted)
        if expected_version is None and self.version() is None:
            return self._save_one_by_one(created, updated, deleted)
        shapes = [a for a in created if not isinstance(a, dict)]
        colours = label_colours(self.client, self.item.dataset_id, shapes)
        headers = {"x-annotations-version": str(expected_version)} if expected_version is not None else None
        body = self.client.json(
            "PATCH",
            f"/items/{self.item.id}/annotations",
            json={
                "created": [self._to_json(a, colours) for a in created],
                "updated": list(updated),
                "deleted": list(deleted),
            },
            headers=headers,
        )
        return SavedAnnotations(
            version=body["annotationsVersion"],
            created=AnnotationCollection(Annotation.from_json(a, self.client) for a in body["created"]),
            updated=AnnotationCollection(Annotation.from_json(a, self.client) for a in body["updated"]),
        )

    def _save_one_by_one(
        self,
        created: list[Annotation | Definition | dict[str, Any]],
        updated: list[dict[str, Any]],
        deleted: list[str],
    ) -> SavedAnnotations:
        """``save_changes`` on a platform that lacks the atomic request: deletes, updates, then creates."""
        for annotation_id in deleted:
            self.client.request("DELETE", f"/annotations/{annotation_id}")
        stored = AnnotationCollection(
            Annotation.from_json(
                self.client.json("PUT", f"/annotations/{patch['id']}", json=patch), self.client
            )
            for patch in updated
        )
        new = self.upload(created) if created else AnnotationCollection()
        return SavedAnnotations(version=None, created=new, updated=stored)

    def arrays(self, filters: Filters | None = None) -> AnnotationArrays:
        """The item's box annotations (those ``filters`` matches) as NumPy arrays: ``boxes`` N x 4 (left,
        top, right, bottom), ``labels``, ``scores`` (NaN where no model made one), ``ids``."""
        return AnnotationArrays.from_json(a.to_json() for a in self.list(filters))

    def upload_arrays(
        self, boxes: Any, labels: Any, scores: Any = None, model_info: dict[str, Any] | None = None
    ) -> AnnotationCollection:
        """Upload boxes from arrays: ``boxes`` N x 4 (left, top, right, bottom), ``labels`` N and, for a
        model's output, ``scores`` N (each box's confidence; NaN for none) with ``model_info`` (``name``,
        ``model_id``). A bad row is refused naming it, and nothing is stored."""
        rows = box_definitions(boxes, labels, scores)
        return self.upload(
            [_row_json(definition, score, model_info, self.item) for definition, score in rows]
        )

    def _to_json(
        self, annotation: Annotation | Definition | dict[str, Any], colours: dict[str, Colour] | None = None
    ) -> dict[str, Any]:
        """The JSON to store; a new mask (a definition, or an annotation not stored yet) is painted in its
        label's colour from ``colours`` (the ontology's) when it has one, as dtlpy paints it."""
        colour = (colours or {}).get(str(annotation.label)) if not isinstance(annotation, dict) else None
        if isinstance(annotation, Definition):
            data = definition_json(annotation, self.item, color=colour)
        elif isinstance(annotation, Annotation):
            data = annotation.to_json()
            if colour is not None and annotation.type == "binary" and annotation.id is None:
                data["coordinates"] = mask_in_colour(annotation.annotation_definition, colour)
        else:
            data = dict(annotation)
        data.update(itemId=self.item.id, datasetId=self.item.dataset_id)
        return data

    def _filters(self, filters: Filters | None) -> Filters:
        """``filters`` (all annotations by default) narrowed to the item's; ``filters`` is left as it was."""
        filters = copy.deepcopy(filters) if filters else Filters(resource=FiltersResource.ANNOTATION)
        filters.add(field="itemId", values=self.item.id)
        return filters

    def _query(self, filters: Filters | None) -> dict[str, Any]:
        return self._filters(filters).prepare()

    def pages_json(self, filters: Filters | None = None) -> Iterator[list[dict[str, Any]]]:
        """The platform JSON of the item's annotations (those ``filters`` matches), a page at a time in id
        order, without building entities or fetching the dataset: for readers of them all, such as the
        annotator."""
        path = f"/datasets/{self.item.dataset_id}/query"
        return json_pages(self.client, path, self._filters(filters), by_id=True)

    def list(self, filters: Filters | None = None) -> AnnotationCollection:
        """Every annotation on the item (all pages), oldest first."""
        pages = PagedEntities(
            self.client,
            f"/datasets/{self.item.dataset_id}/query",
            self._query(filters),
            lambda d: Annotation.from_json(d, self.client),
        )
        return AnnotationCollection(a for page in pages for a in page)

    def _scope(self, filters: Filters | None) -> tuple[str, dict[str, Any]]:
        return self.item.dataset_id, self._query(filters)


def prediction_conditions(min_confidence: float = 0.0) -> list[tuple[str, Any, FiltersOperations]]:
    """The conditions (field, value, operator) an annotation meets when it is a model's prediction not
    accepted yet (``metadata.user.model``, still ``automated``) with a confidence at least
    ``min_confidence`` (0: any, a prediction without a confidence too)."""
    if isinstance(min_confidence, bool) or not isinstance(min_confidence, (int, float)):
        raise ValueError(f"min_confidence must be a number from 0 to 1, got {min_confidence!r}")
    if not 0 <= min_confidence <= 1:
        raise ValueError(f"min_confidence must be a number from 0 to 1, got {min_confidence!r}")
    conditions: list[tuple[str, Any, FiltersOperations]] = [
        ("metadata.user.model", True, FiltersOperations.EXISTS),
        ("metadata.system.automated", False, FiltersOperations.NOT_EQUAL),
    ]
    if min_confidence > 0:
        conditions.append(
            ("metadata.user.model.confidence", float(min_confidence), FiltersOperations.GREATER_THAN_OR_EQUAL)
        )
    return conditions


def prediction_filters(min_confidence: float = 0.0, filters: Filters | None = None) -> Filters:
    """``filters`` (annotations'; all of them by default), narrowed to the predictions not accepted yet
    whose confidence is at least ``min_confidence``. ``filters`` itself is left as it was."""
    chosen = copy.deepcopy(filters) if filters else Filters(resource=FiltersResource.ANNOTATION)
    for field, value, operator in prediction_conditions(min_confidence):
        chosen.add(field=field, values=value, operator=operator)
    return chosen


def with_predictions(filters: Filters, min_confidence: float = 0.0) -> Filters:
    """``filters`` (items'), narrowed to the items with a prediction not accepted yet whose confidence is
    at least ``min_confidence`` (a join on their annotations). ``filters`` itself is left as it was."""
    chosen = copy.deepcopy(filters)
    for field, value, operator in prediction_conditions(min_confidence):
        chosen.add_join(field=field, values=value, operator=operator)
    return chosen


def _annotation_query(filters: Filters | None, method: str) -> Filters:
    """``filters``, or all annotations; a query of items is refused, saying what is needed."""
    filters = filters or Filters(resource=FiltersResource.ANNOTATION)
    if filters.resource != FiltersResource.ANNOTATION:
        raise ValueError(
            f"dataset.annotations.{method} needs Filters(resource=dw.FiltersResource.ANNOTATION), "
            f"got resource {filters.resource.value!r}"
        )
    return filters


def _row_json(
    definition: Definition, score: float | None, model_info: dict[str, Any] | None, item: Item
) -> dict[str, Any]:
    """The JSON of one row of arrays: a prediction of ``model_info`` with its score as confidence, or,
    for a NaN score, an annotation no model made."""
    info = model_info
    if score is not None:
        info = None if math.isnan(score) else {**(model_info or {}), "confidence": score}
    return definition_json(definition, item, model_info=info)


def upload_to_items(
    dataset: Dataset,
    uploads: Iterable[tuple[Item, Iterable[Annotation | Definition | dict[str, Any]]]],
    answers: bool = True,
) -> list[list[dict[str, Any]]]:
    """``item.annotations.upload`` for many items of ``dataset``: the labels are checked against its
    ontology once, not per item, then each item's annotations go in one request (the platform's route).
    The embedded workspace stores them all in one transaction, or nothing. Returns the stored JSON of
    each item's annotations (without ``answers``, empty lists: a bulk import that needs none of it
    saves decoding it)."""
    listed = [(item, list(definitions)) for item, definitions in uploads]
    colours = label_colours(dataset.client, dataset.id, [a for _, each in listed for a in each], dataset)
    payloads = []
    for item, definitions in listed:
        repository = item.annotations
        payloads.append((repository, [repository._to_json(a, colours) for a in definitions]))
    with dataset.client.atomic():
        return [
            repository._post(payload, answers=answers) if payload else [] for repository, payload in payloads
        ]
