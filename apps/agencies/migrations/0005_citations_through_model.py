# The sources of a record get a page and a quote (pinpoint citations): the many-to-many
# table Django made becomes an explicit model, keeping its rows.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0004_merged_into_help_text_shared"),
        ("sources", "0006_rename_published_date_to_publication_date"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table is the one Django made for the plain many-to-many field: only the
            # project's picture of it changes here; the new columns are added below.
            state_operations=[
                migrations.CreateModel(
                    name="AgencyCitation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("agency", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="citations", to="agencies.agency", help_text="The citing record.")),
                        ("source", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="sources.source", help_text="The source cited.")),
                    ],
                    options={"db_table": "agencies_agency_sources", "unique_together": {("agency", "source")}},
                ),
                migrations.AlterField(
                    model_name="agency",
                    name="sources",
                    field=models.ManyToManyField(blank=True, help_text="The sources that support this record.", related_name="agencies", through="agencies.AgencyCitation", to="sources.source"),
                ),
            ],
        ),
    ]
