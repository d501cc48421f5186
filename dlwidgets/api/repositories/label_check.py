"""The check of an annotation upload's labels against its dataset's ontology: labels outside it are
stored, as the platform stores them, with a ``UserWarning`` naming each, so a typo stays visible. The same
read gives each label's colour, in which a new mask is painted (as dtlpy paints it).

Each check reads the ontologies' labels afresh (a label added between two uploads is known to the next),
one read per upload call whatever its number of items. Which ontologies a dataset has (its recipes'
``ontologyIds``, two requests away) is remembered per client, as dtlpy's ``dataset.ontology_ids`` is, and
forgotten when this client changes a recipe or a dataset, or when one of them is gone. The Annotator reads
a dataset's default ontology through the same memory (``DatasetOntologies.ontology``)."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias

from ...exceptions import NotFound

Colour: TypeAlias = tuple[int, int, int] | None

if TYPE_CHECKING:
    from ..client import Client
    from ..entities.dataset import Dataset
    from ..entities.ontology import Ontology


class DatasetOntologies:
    """Per dataset id: its name and its recipes' ontology ids (each recipe's), read once and then
    remembered."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._known: dict[str, tuple[str, list[list[str]]]] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        """A recipe or a dataset changed: read them again at the next check."""
        with self._lock:
            self._known.clear()

    def labels(self, dataset_id: str, dataset: Dataset | None = None) -> tuple[str, dict[str, Colour]]:
        """The dataset's name and every label tag of its ontologies as stored now, with its colour."""
        try:
            return self._labels(dataset_id, dataset)
        except NotFound:
            self.forget()  # an ontology remembered here was deleted: its recipe has changed since
            return self._labels(dataset_id, None)

    def ontology(self, dataset_id: str) -> Ontology:
        """The dataset's default ontology as stored now: ``dataset.ontology()``'s (its first recipe's
        first), in one request once the dataset's ontology ids are known. IndexError when it has none."""
        try:
            return self._client.ontologies.get(self._ids(dataset_id, None)[1][0][0])
        except NotFound:
            self.forget()  # the dataset or the ontology remembered here is gone: read which it is now
            return self._client.ontologies.get(self._ids(dataset_id, None)[1][0][0])

    def _labels(self, dataset_id: str, dataset: Dataset | None) -> tuple[str, dict[str, Colour]]:
        name, recipes = self._ids(dataset_id, dataset)
        colours: dict[str, Colour] = {}
        for i in (i for ontology_ids in recipes for i in ontology_ids):
            for tag, colour in self._client.ontologies.get(i).color_map.items():
                colours.setdefault(tag, colour)  # a tag in two ontologies: the first one's colour
        return name, colours

    def _ids(self, dataset_id: str, dataset: Dataset | None) -> tuple[str, list[list[str]]]:
        with self._lock:
            known = self._known.get(dataset_id)
        if known is None:
            if dataset is None:
                dataset = self._client.datasets.get(dataset_id=dataset_id)
            known = (dataset.name, [list(recipe.ontology_ids) for recipe in dataset.recipes.list()])
            with self._lock:
                self._known[dataset_id] = known
        return known


def label_colours(
    client: Client, dataset_id: str, annotations: Iterable[Any], dataset: Dataset | None = None
) -> dict[str, Colour]:
    """The colour in the dataset's ontology of each label of ``annotations`` (definitions, annotations or
    their JSON) that is in it (None for a label without a colour), and a ``UserWarning`` for each label
    that is not, once per label. A QA note's label names the note, not an object class of the ontology."""
    kinds = (a if isinstance(a, dict) else {"type": a.type, "label": a.label} for a in annotations)
    used = sorted({a["label"] for a in kinds if a.get("type") != "note" and isinstance(a.get("label"), str)})
    if not used:
        return {}
    name, colours = client.dataset_ontologies.labels(dataset_id, dataset)
    for label in used:
        if label not in colours:
            warnings.warn(
                f"label {label!r} is not in the ontology of dataset {name!r}; its labels are {list(colours)}."
                " The annotation is stored; add the label with dataset.add_label if it is not a typo",
                UserWarning,
                stacklevel=3,
            )
    return {label: colours[label] for label in used if label in colours}
