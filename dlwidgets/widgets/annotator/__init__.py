"""The Annotator, one module per job: ``annotator`` (the widget: navigation, saving, drawing once per
change), ``item_source`` (the items to annotate), ``gestures`` (pointer, wheel and key handling),
``panels`` (the side panel: header, labels, classifications, objects list, the selected shape's form)
``stage`` (the canvas: image, drawing and gesture layers in one widget) and ``canvas_drawing`` (ipycanvas
calls, recorded by ``canvas_recorder``). The gesture protocol is ``widgets/annotator_gestures.py``'s."""

from .annotator import Annotator

__all__ = ["Annotator"]
