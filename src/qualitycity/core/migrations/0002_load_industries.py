from django.db import migrations


def load(apps, schema_editor):
    from qualitycity.core.reference import load_industries

    load_industries(apps.get_model("core", "Industry"))


class Migration(migrations.Migration):
    """GB/T 4754-2017 is national: every installation gets the industries."""

    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
