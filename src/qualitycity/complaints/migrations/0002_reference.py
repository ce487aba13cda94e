from django.db import migrations


def load(apps, schema_editor):
    from qualitycity.complaints.reference import ensure_reference

    ensure_reference(apps.get_model("complaints", "Category"), apps.get_model("complaints", "TimeLimit"),
                     apps.get_model("complaints", "RejectionGround"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
