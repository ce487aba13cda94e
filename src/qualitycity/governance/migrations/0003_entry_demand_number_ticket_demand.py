import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0004_demand_channel_liaison"),
        ("governance", "0002_visit_form_follow_up_team_members"),
    ]

    operations = [
        migrations.AddField(
            model_name="registerentry",
            name="demand_number",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="诉求编号"),
        ),
        # nullable until 0004 has filed a demand for every existing ticket
        migrations.AddField(
            model_name="liaisonticket",
            name="demand",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="liaison_ticket", to="complaints.demand", verbose_name="诉求"),
        ),
    ]
