"""The Annotator, one module per job: ``annotator`` (the widget: navigation, saving, drawing once per
change), ``item_source`` (the items to annotate), ``gestures`` (pointer, wheel and key handling),
``panels`` (the side panel: header, labels, classifications, objects list, the selected shape's form)
and ``canvas_drawing`` (ipycanvas calls). Its gesture layer's back-end is
``widgets/annotator_gestures.py``."""

from .annotator import Annotator

__all__ = ["Annotator"]
