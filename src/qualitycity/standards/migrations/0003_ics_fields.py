"""``Standard.ics_fields``: the ICS fields of a standard's linked codes, so that search can
count its ICS facet without joining the m2m for every match. Filled here from the links.

On SQLite, Django adds a NOT NULL column by rebuilding the table, which drops the triggers
that keep the FTS5 index in step (0002). They are created again here; any later migration
that rebuilds ``standards_standard`` must do the same (the search tests fail otherwise).
"""

from django.db import migrations, models

SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS standards_fts_ai AFTER INSERT ON standards_standard BEGIN "
    "INSERT INTO standards_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS standards_fts_ad AFTER DELETE ON standards_standard BEGIN "
    "INSERT INTO standards_fts(standards_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS standards_fts_au AFTER UPDATE OF search_text ON standards_standard BEGIN "
    "INSERT INTO standards_fts(standards_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO standards_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]


def restore_fts_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)


def fill_ics_fields(apps, schema_editor):
    Standard = apps.get_model("standards", "Standard")
    fields: dict[int, set[str]] = {}
    for sid, code in Standard.ics.through.objects.values_list("standard_id", "icscode__code").iterator(chunk_size=5000):
        fields.setdefault(sid, set()).add(code[:2])
    by_value: dict[str, list[int]] = {}
    for sid, found in fields.items():
        by_value.setdefault(";".join(sorted(found)), []).append(sid)  # as services.catalogue.ics_fields_of
    for value, ids in by_value.items():
        for start in range(0, len(ids), 500):
            Standard.objects.filter(id__in=ids[start:start + 500]).update(ics_fields=value)


class Migration(migrations.Migration):

    dependencies = [
        ('standards', '0002_search_index_and_codes'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_fts_triggers),  # after the rebuild on the way back
        migrations.AddField(
            model_name='standard',
            name='ics_fields',
            field=models.CharField(blank=True, default='', editable=False, max_length=300),
        ),
        migrations.RunPython(restore_fts_triggers, migrations.RunPython.noop),
        migrations.RunPython(fill_ics_fields, migrations.RunPython.noop),
    ]
