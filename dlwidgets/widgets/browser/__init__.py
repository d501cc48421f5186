"""The Browser, one module per job: ``browser`` (the widget: project and dataset pickers, paging and
selection), ``filters`` (the folder tree and filter controls), ``pager`` (keyset pages) and ``detail``
(one item's metadata). The cards it shows are the item grid's (``widgets/item_grid.py``)."""

from .browser import Browser

__all__ = ["Browser"]
