"""Export a dataset to COCO, YOLO or VOC files and import them back: ``Converter`` and
``AnnotationFormat``, one module per format over the shared ``ImageRecord``."""

from .converter import AnnotationFormat, Converter

__all__ = ["AnnotationFormat", "Converter"]
