"""The Browser, one module per job: ``browser`` (the widget: project and dataset pickers, paging and
selection, paged by the API's ``PagedEntities``), ``filters`` (the folder tree and filter controls) and
``detail`` (one item's metadata). The cards it shows are the item grid's (``widgets/item_grid.py``)."""

from .browser import Browser

__all__ = ["Browser"]
