# The sources of a record get a page and a quote (pinpoint citations): the many-to-many
# table Django made becomes an explicit model, keeping its rows.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("deployments", "0002_historicaldeployment"),
        ("sources", "0006_rename_published_date_to_publication_date"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table is the one Django made for the plain many-to-many field: only the
            # project's picture of it changes here; the new columns are added below.
            state_operations=[
                migrations.CreateModel(
                    name="DeploymentCitation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("deployment", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="citations", to="deployments.deployment", help_text="The citing record.")),
                        ("source", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="sources.source", help_text="The source cited.")),
                    ],
                    options={"db_table": "deployments_deployment_sources", "unique_together": {("deployment", "source")}},
                ),
                migrations.AlterField(
                    model_name="deployment",
                    name="sources",
                    field=models.ManyToManyField(blank=True, help_text="The sources that support this record.", related_name="deployments", through="deployments.DeploymentCitation", to="sources.source"),
                ),
            ],
        ),
    ]
