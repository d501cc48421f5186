"""The workspace's format version, and the ordered steps that bring an older workspace up to it.

``PRAGMA user_version`` holds the format version of the database. From version 2 the ``layouts`` table
holds the version of each folder beside it (the blobs and the thumbnail cache), so a change to where files
live is recorded and checked like a change to the tables. Step N turns version N - 1 into version N.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from ..exceptions import WorkspaceTooNew
from .schema import STATEMENTS

UPGRADE = "upgrade dlwidgets (pip install -U dlwidgets) to open it"


def _create_tables(db: sqlite3.Connection) -> None:
    """Version 1: the tables and indexes of ``schema.py``."""
    for statement in STATEMENTS:
        db.execute(statement)


def _record_layouts(db: sqlite3.Connection) -> None:
    """Version 2: the layout version of each folder: ``blobs/<aa>/<sha256>`` and
    ``blobs/thumbs/160px/<aa>/<sha256>.jpg`` are version 1."""
    db.execute("CREATE TABLE IF NOT EXISTS layouts (name TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    db.executemany("INSERT OR IGNORE INTO layouts VALUES (?, ?)", [("blobs", 1), ("thumbnails", 1)])


def _project_names_per_owner(db: sqlite3.Connection) -> None:
    """Version 3: a project name is unique among its creator's projects, not across the workspace, so
    that creating a project says nothing about other users' projects. The ``projects`` table is rebuilt
    without its ``UNIQUE (name)``, keeping every row and id (``Workspace`` turns foreign keys off first,
    as SQLite requires for a rebuild)."""
    unique = [row[1] for row in db.execute("PRAGMA index_list(projects)") if row[3] == "u"]
    if any([col[2] for col in db.execute(f"PRAGMA index_info({name!r})")] == ["name"] for name in unique):
        db.execute(
            """CREATE TABLE projects_rebuilt (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                creator TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                doc TEXT NOT NULL DEFAULT '{}'
            )"""
        )
        db.execute(
            "INSERT INTO projects_rebuilt (id, name, creator, created_at, updated_at, doc)"
            " SELECT id, name, creator, created_at, updated_at, doc FROM projects"
        )
        db.execute("DROP TABLE projects")
        db.execute("ALTER TABLE projects_rebuilt RENAME TO projects")
    # Emails are compared case-insensitively, so 'Ann@x' and 'ann@x' are one owner.
    db.execute("CREATE UNIQUE INDEX IF NOT EXISTS projects_by_owner ON projects (lower(creator), name)")
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"rebuilding the projects table left rows pointing at nothing: {broken[:5]}")


def _keep_ontology_versions(db: sqlite3.Connection) -> None:
    """Version 4: the recent versions of each ontology, so that an update from an older copy can be checked
    against what changed since that copy was read (``handlers/ontologies.py``)."""
    db.execute(
        """CREATE TABLE IF NOT EXISTS ontology_versions (
            ontology_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            doc TEXT NOT NULL,
            PRIMARY KEY (ontology_id, version)
        )"""
    )
    db.execute(
        "INSERT OR IGNORE INTO ontology_versions (ontology_id, version, doc) SELECT id,"
        " COALESCE(json_extract(doc, '$.metadata.system.version'), 0), doc FROM ontologies"
    )


def _remember_idempotency_keys(db: sqlite3.Connection) -> None:
    """Version 5: the idempotency keys of recent writes and their answers (``idempotency.py``)."""
    db.execute(
        """CREATE TABLE IF NOT EXISTS idempotency_keys (
            user TEXT NOT NULL,
            key TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            created_at REAL NOT NULL,
            status INTEGER,
            headers TEXT,
            body TEXT,
            PRIMARY KEY (user, key)
        )"""
    )
    db.execute("CREATE INDEX IF NOT EXISTS idempotency_keys_by_age ON idempotency_keys (created_at)")


def _index_annotations_by_dataset_item(db: sqlite3.Connection) -> None:
    """Version 6: the annotations of some items of a dataset (``itemId $in [...]`` in a dataset's query)
    are found through an index on (dataset, item), not by scanning every annotation of the dataset."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS annotations_by_dataset_item ON annotations (dataset_id, item_id, id)"
    )


# Each step is safe to run again on its own result: dlwidgets before version 2 set any workspace it opened
# back to version 1, so a step may meet a workspace it has already upgraded.
STEPS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _create_tables,
    _record_layouts,
    _project_names_per_owner,
    _keep_ontology_versions,
    _remember_idempotency_keys,
    _index_annotations_by_dataset_item,
)
SCHEMA_VERSION = len(STEPS)
# The layout versions this code reads and writes; a step that moves files raises its folder's entry.
LAYOUTS = {"blobs": 1, "thumbnails": 1}


def format_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def upgrade(db: sqlite3.Connection, home: Path) -> None:
    """Inside a write transaction: apply the steps the workspace lacks, or refuse a newer one. The version
    is read again under the write lock, so when several processes open a workspace at once across an
    upgrade, exactly one applies the steps and the others find it done."""
    version = format_version(db)
    if version > SCHEMA_VERSION:
        from .. import __version__

        raise WorkspaceTooNew(
            f"the workspace at {home} is in format version {version}, written by a newer dlwidgets; "
            f"this dlwidgets {__version__} reads format versions up to {SCHEMA_VERSION}: {UPGRADE}"
        )
    for step in STEPS[version:]:
        step(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def check_layouts(db: sqlite3.Connection, home: Path) -> None:
    """Refuse a workspace whose folders a newer dlwidgets laid out, even if an older one set its format
    version back."""
    for name, version in db.execute("SELECT name, version FROM layouts"):
        known = LAYOUTS.get(name)
        if known is None or version > known:
            raise WorkspaceTooNew(
                f"the {name} folder of the workspace at {home} is in layout version {version}, written by "
                f"a newer dlwidgets; this dlwidgets reads {name} layout version {known or 'none'}: {UPGRADE}"
            )
