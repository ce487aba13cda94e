"""PostgreSQL: index the text with "./:-" turned into spaces, as FTS5's unicode61 tokenizer
splits there and PostgreSQL's parser does not (``textsearch.pg_compound_split`` does the
same to the query terms). SQLite is unchanged."""

from django.db import migrations

SPLIT = "to_tsvector('simple'::regconfig, translate(search_text, './:-', '    '))"
WHOLE = "to_tsvector('simple'::regconfig, search_text)"


def _recreate(expression):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in (
            "DROP INDEX IF EXISTS standards_standard_search_gin",
            "ALTER TABLE standards_standard DROP COLUMN IF EXISTS search_vector",
            f"ALTER TABLE standards_standard ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED",
            "CREATE INDEX standards_standard_search_gin ON standards_standard USING gin (search_vector)",
        ):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("standards", "0003_ics_fields")]

    operations = [migrations.RunPython(_recreate(SPLIT), _recreate(WHOLE))]
