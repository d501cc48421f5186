"""Notebook widgets over the API layer: each widget in its own module (the Browser and the Annotator in
packages, one module per job), the state they edit in ``models/``, the anywidget back-ends named after
their ES modules in ``js/``."""

from .annotator import Annotator
from .browser import Browser
from .dropzone import Dropzone
from .login import Login
from .my_work import MyWork
from .ontology_editor import OntologyEditor
from .prompt_composer import PromptComposer
from .studio import Studio
from .task_creator import TaskCreator

__all__ = [
    "Annotator",
    "Browser",
    "Dropzone",
    "Login",
    "MyWork",
    "OntologyEditor",
    "PromptComposer",
    "Studio",
    "TaskCreator",
]
