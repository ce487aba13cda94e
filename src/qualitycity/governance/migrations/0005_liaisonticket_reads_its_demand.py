import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0004_demand_channel_liaison"),
        ("governance", "0004_liaison_tickets_to_demands"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="liaisonticket",
            options={"ordering": ["-demand__received_at", "-id"], "verbose_name": "企业诉求",
                     "verbose_name_plural": "企业诉求"},
        ),
        migrations.RemoveField(model_name="liaisonticket", name="confirmed_at"),
        migrations.RemoveField(model_name="liaisonticket", name="department"),
        migrations.RemoveField(model_name="liaisonticket", name="due_on"),
        migrations.RemoveField(model_name="liaisonticket", name="number"),
        migrations.RemoveField(model_name="liaisonticket", name="opened_at"),
        migrations.RemoveField(model_name="liaisonticket", name="resolution"),
        migrations.RemoveField(model_name="liaisonticket", name="resolved_at"),
        migrations.RemoveField(model_name="liaisonticket", name="satisfied"),
        migrations.RemoveField(model_name="liaisonticket", name="status"),
        migrations.AlterField(
            model_name="liaisonticket",
            name="demand",
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="liaison_ticket",
                                       to="complaints.demand", verbose_name="诉求"),
        ),
    ]
