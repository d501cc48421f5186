"""The check of an annotation upload's labels against its dataset's ontology: labels outside it are
stored, as the platform stores them, with a ``UserWarning`` naming each, so a typo stays visible.

Each check reads the ontologies' labels afresh (a label added between two uploads is known to the next),
one read per upload call whatever its number of items. Which ontologies a dataset has (its recipes'
``ontologyIds``, two requests away) is remembered per client, as dtlpy's ``dataset.ontology_ids`` is, and
forgotten when this client changes a recipe or a dataset, or when one of them is gone."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ...exceptions import NotFound

if TYPE_CHECKING:
    from ..client import Client
    from ..entities.dataset import Dataset


class DatasetOntologies:
    """Per dataset id: its name and its recipes' ontology ids, read once and then remembered."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._known: dict[str, tuple[str, list[str]]] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        """A recipe or a dataset changed: read them again at the next check."""
        with self._lock:
            self._known.clear()

    def labels(self, dataset_id: str, dataset: Dataset | None = None) -> tuple[str, list[str]]:
        """The dataset's name and every label tag of its ontologies as stored now."""
        try:
            return self._labels(dataset_id, dataset)
        except NotFound:
            self.forget()  # an ontology remembered here was deleted: its recipe has changed since
            return self._labels(dataset_id, None)

    def _labels(self, dataset_id: str, dataset: Dataset | None) -> tuple[str, list[str]]:
        name, ontology_ids = self._ids(dataset_id, dataset)
        return name, [tag for i in ontology_ids for tag in self._client.ontologies.get(i).tags()]

    def _ids(self, dataset_id: str, dataset: Dataset | None) -> tuple[str, list[str]]:
        with self._lock:
            known = self._known.get(dataset_id)
        if known is None:
            if dataset is None:
                dataset = self._client.datasets.get(dataset_id=dataset_id)
            known = (dataset.name, [i for recipe in dataset.recipes.list() for i in recipe.ontology_ids])
            with self._lock:
                self._known[dataset_id] = known
        return known


def warn_labels_outside(
    client: Client, dataset_id: str, payload: Iterable[dict[str, Any]], dataset: Dataset | None = None
) -> None:
    """A ``UserWarning`` for each label of the annotations' JSON that the dataset's ontology lacks, once
    per label. A QA note's label names the note, not an object class of the ontology."""
    labels = (a.get("label") for a in payload if a.get("type") != "note")
    used = sorted({label for label in labels if isinstance(label, str)})
    if not used:
        return
    name, tags = client.dataset_ontologies.labels(dataset_id, dataset)
    known = set(tags)
    for label in used:
        if label not in known:
            warnings.warn(
                f"label {label!r} is not in the ontology of dataset {name!r}; its labels are {tags}."
                " The annotation is stored; add the label with dataset.add_label if it is not a typo",
                UserWarning,
                stacklevel=3,
            )
