"""Platform entities as pydantic models whose JSON by alias is the platform's JSON."""

from .annotation import (
    Annotation,
    AnnotationBuilder,
    AnnotationCollection,
    Box,
    Classification,
    Definition,
    Ellipse,
    ExportVersion,
    Point,
    Polygon,
    Polyline,
    Segmentation,
    ViewAnnotationOptions,
)
from .arrays import AnnotationArrays
from .base import Entity, EntityList
from .dataset import Dataset, ExportType, OutputExportType
from .item import Item, ItemStatus
from .note import Message, Note
from .ontology import Attribute, AttributesRange, AttributesTypes, Label, Ontology
from .page import PagedEntities
from .project import Project
from .prompt import Prompt, PromptItem, PromptType
from .recipe import Recipe
from .task import Assignment, Task

__all__ = [
    "Annotation",
    "AnnotationArrays",
    "AnnotationBuilder",
    "AnnotationCollection",
    "Assignment",
    "Attribute",
    "AttributesRange",
    "AttributesTypes",
    "Box",
    "Classification",
    "Dataset",
    "Definition",
    "Ellipse",
    "Entity",
    "EntityList",
    "ExportType",
    "ExportVersion",
    "Item",
    "ItemStatus",
    "Label",
    "Message",
    "Note",
    "Ontology",
    "OutputExportType",
    "PagedEntities",
    "Point",
    "Polygon",
    "Polyline",
    "Project",
    "Prompt",
    "PromptItem",
    "PromptType",
    "Recipe",
    "Segmentation",
    "Task",
    "ViewAnnotationOptions",
]  # fmt: skip
