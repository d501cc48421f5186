"""What every format reads and writes: one ``ImageRecord`` per image (its path, size and annotation
definitions in pixels), the label map, and the notes on annotations a format cannot hold."""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...exceptions import ConversionError

if TYPE_CHECKING:
    from ..entities.annotation import Definition


@dataclass
class ImageRecord:
    """One image: ``filename`` relative to the dataset root (``'dir/a.png'``), its size in pixels, its
    annotations, and where its bytes are (the dataset item's platform JSON, ``remote``, on export, a
    local ``source`` file on import)."""

    filename: str
    width: int
    height: int
    annotations: list[Definition] = field(default_factory=list)
    remote: dict[str, Any] | None = None
    source: Path | None = None

    @property
    def stem(self) -> str:
        """The filename without its extension: the name of its label or XML file."""
        return str(Path(self.filename).with_suffix(""))


def label_map(labels: list[str], start: int = 0) -> dict[str, int]:
    """Label -> id, sorted by name as the SDK numbers them (COCO counts from 1, YOLO from 0)."""
    return {label: i for i, label in enumerate(sorted(set(labels)), start=start)}


class Notes:
    """Counts the annotations a format had to skip, and says so once per kind when the work is done."""

    def __init__(self, format_name: str) -> None:
        self.format_name = format_name
        self.skipped: Counter[str] = Counter()

    def skip(self, kind: str) -> None:
        self.skipped[kind] += 1

    def emit(self) -> None:
        for kind, count in sorted(self.skipped.items()):
            warnings.warn(
                f"{self.format_name} has no place for {kind} annotations: {count} skipped",
                UserWarning,
                stacklevel=3,
            )


def holds(definition: Definition, kinds: tuple[type[Definition], ...], notes: Notes) -> bool:
    """Whether a format that holds ``kinds`` (and boxes only unrotated) holds ``definition``; if not, it
    is noted as skipped."""
    if not isinstance(definition, kinds):
        notes.skip(repr(definition.type))
        return False
    if getattr(definition, "angle", None) and definition.type == "box":
        notes.skip("rotated 'box'")
        return False
    return True


def refuse(path: Path | str, entry: str, problem: str) -> ConversionError:
    """The error for a bad entry: it names the file, the entry and what is wrong with it."""
    return ConversionError(f"{path}: {entry}: {problem}; nothing was imported")


def safe_relative(path: Path | str, filename: str) -> str:
    """``filename`` as a relative path that stays inside its folder; a ``ConversionError`` otherwise."""
    name = filename.replace("\\", "/").lstrip("/")
    if not name or any(part in ("", "..") for part in name.split("/")):
        raise refuse(path, f"file name {filename!r}", "must be a relative path inside the folder")
    return name
