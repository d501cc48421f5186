"""The Browser, one module per job: ``browser`` (the widget: paging and selection, paged by the API's
``PagedEntities``), ``pickers`` (the project and dataset pickers and their forms), ``filters`` (the folder
tree and filter controls) and ``detail`` (one item's metadata). The cards it shows are the item grid's
(``widgets/item_grid.py``)."""

from .browser import Browser

__all__ = ["Browser"]
