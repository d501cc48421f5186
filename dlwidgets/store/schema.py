"""The embedded workspace's SQLite schema: one table per platform resource, indexed for the widgets' filters.

Columns hold what the query engine filters and sorts on; the rest of an entity's platform JSON lives in a
``doc`` (or ``metadata``) JSON column, so fields a client sends that we do not model are kept verbatim.

These statements are format version 1 and never change: later versions change the schema through the
steps in ``migrations.py``, so that existing workspaces get the change too.
"""

from __future__ import annotations

STATEMENTS = (
    """CREATE TABLE IF NOT EXISTS projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        creator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        doc TEXT NOT NULL DEFAULT '{}'
    )""",
    """CREATE TABLE IF NOT EXISTS project_members (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        email TEXT NOT NULL,
        role TEXT NOT NULL,
        PRIMARY KEY (project_id, email)
    )""",
    """CREATE TABLE IF NOT EXISTS datasets (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        creator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        metadata TEXT NOT NULL DEFAULT '{}',
        doc TEXT NOT NULL DEFAULT '{}',
        UNIQUE (project_id, name)
    )""",
    """CREATE TABLE IF NOT EXISTS recipes (
        id TEXT PRIMARY KEY,
        doc TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS ontologies (
        id TEXT PRIMARY KEY,
        doc TEXT NOT NULL
    )""",
    # One row per file. `blob` is the sha256 of the bytes, the name of the file in the blob folder.
    """CREATE TABLE IF NOT EXISTS items (
        id TEXT PRIMARY KEY,
        dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        filename TEXT NOT NULL,
        name TEXT NOT NULL,
        dir TEXT NOT NULL,
        type TEXT NOT NULL DEFAULT 'file',
        hidden INTEGER NOT NULL DEFAULT 0,
        mimetype TEXT NOT NULL,
        size INTEGER NOT NULL,
        width INTEGER,
        height INTEGER,
        blob TEXT NOT NULL,
        annotations_count INTEGER NOT NULL DEFAULT 0,
        annotated INTEGER NOT NULL DEFAULT 0,
        annotations_version INTEGER NOT NULL DEFAULT 0,
        creator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        description TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        UNIQUE (dataset_id, filename)
    )""",
    "CREATE INDEX IF NOT EXISTS items_by_dataset ON items (dataset_id, id)",
    "CREATE INDEX IF NOT EXISTS items_by_dir ON items (dataset_id, dir, id)",
    "CREATE INDEX IF NOT EXISTS items_by_mimetype ON items (dataset_id, mimetype, id)",
    "CREATE INDEX IF NOT EXISTS items_by_annotated ON items (dataset_id, annotated, id)",
    "CREATE INDEX IF NOT EXISTS items_by_blob ON items (blob)",
    """CREATE TABLE IF NOT EXISTS annotations (
        id TEXT PRIMARY KEY,
        item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        dataset_id TEXT NOT NULL,
        type TEXT NOT NULL,
        label TEXT,
        coordinates TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        source TEXT,
        creator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        doc TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX IF NOT EXISTS annotations_by_item ON annotations (item_id, id)",
    "CREATE INDEX IF NOT EXISTS annotations_by_label ON annotations (dataset_id, label, item_id)",
    """CREATE TABLE IF NOT EXISTS tasks (
        id TEXT PRIMARY KEY,
        dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL,
        name TEXT NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (dataset_id, name)
    )""",
    """CREATE TABLE IF NOT EXISTS assignments (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        annotator TEXT NOT NULL,
        doc TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS assignments_by_task ON assignments (task_id, id)",
    """CREATE TABLE IF NOT EXISTS assignment_items (
        assignment_id TEXT NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        PRIMARY KEY (assignment_id, item_id)
    )""",
    """CREATE TABLE IF NOT EXISTS commands (
        id TEXT PRIMARY KEY,
        doc TEXT NOT NULL
    )""",
)
