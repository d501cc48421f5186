"""The state the widgets edit, as plain Python with no ipywidgets import: each is tested on its own.

``annotation_edits`` (one item's annotations under edit), ``annotation_drafts`` (every shown item's edits
until saved), ``ontology_draft`` and ``ontology_merge`` (an ontology under edit, and merging it onto the
stored one), ``viewport`` (image-to-canvas maps), ``shape_geometry`` (each stored shape type on the canvas:
contours, corners, ellipses, mask runs), ``chunked_upload`` (a file arriving in chunks).
"""
