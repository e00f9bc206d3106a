# The full-text index of cases, one structure per database vendor (see huiyin/search/backends.py).
# Written out here rather than imported, so that this migration keeps creating what it created.

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_casefts USING fts5("
    "subject, content, replies, version UNINDEXED, tokenize = 'unicode61')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS search_casefts"

POSTGRES_CREATE = [
    "CREATE TABLE IF NOT EXISTS search_casedoc ("
    "case_id bigint PRIMARY KEY, version smallint NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_casedoc_document ON search_casedoc USING gin (document)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_casedoc"]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for sql in POSTGRES_CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        for sql in POSTGRES_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_default_categories"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
