"""The full-text index over ``search_text`` (one per database engine) and the code tables.

SQLite: an FTS5 external-content table with the unicode61 tokenizer, kept in step by
triggers so bulk inserts are indexed too. PostgreSQL: a stored generated ``tsvector``
('simple' configuration) with a GIN index. Both read the index text that
``methods.textsearch`` builds, so they see the same terms.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE standards_fts USING fts5(search_text, content='standards_standard', "
    "content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER standards_fts_ai AFTER INSERT ON standards_standard BEGIN "
    "INSERT INTO standards_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER standards_fts_ad AFTER DELETE ON standards_standard BEGIN "
    "INSERT INTO standards_fts(standards_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER standards_fts_au AFTER UPDATE OF search_text ON standards_standard BEGIN "
    "INSERT INTO standards_fts(standards_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO standards_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS standards_fts_au",
    "DROP TRIGGER IF EXISTS standards_fts_ad",
    "DROP TRIGGER IF EXISTS standards_fts_ai",
    "DROP TABLE IF EXISTS standards_fts",
]
POSTGRES_UP = [
    "ALTER TABLE standards_standard ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX standards_standard_search_gin ON standards_standard USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS standards_standard_search_gin",
    "ALTER TABLE standards_standard DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return apply


def load_codes(apps, schema_editor):
    from qualitycity.standards.reference import load_code_tables

    load_code_tables(apps.get_model("standards", "IcsCode"), apps.get_model("standards", "CcsCode"))


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
        migrations.RunPython(load_codes, migrations.RunPython.noop),
    ]
