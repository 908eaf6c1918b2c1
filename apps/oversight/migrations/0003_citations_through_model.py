# The sources of a record get a page and a quote (pinpoint citations): the many-to-many
# table Django made becomes an explicit model, keeping its rows.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("oversight", "0002_tally_within_the_column_range"),
        ("sources", "0006_rename_published_date_to_publication_date"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table is the one Django made for the plain many-to-many field: only the
            # project's picture of it changes here; the new columns are added below.
            state_operations=[
                migrations.CreateModel(
                    name="OversightEventCitation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("oversightevent", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="citations", to="oversight.oversightevent", help_text="The citing record.")),
                        ("source", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="sources.source", help_text="The source cited.")),
                    ],
                    options={"db_table": "oversight_oversightevent_sources", "unique_together": {("oversightevent", "source")}},
                ),
                migrations.AlterField(
                    model_name="oversightevent",
                    name="sources",
                    field=models.ManyToManyField(blank=True, help_text="The sources that support this record.", related_name="oversight_events", through="oversight.OversightEventCitation", to="sources.source"),
                ),
            ],
        ),
    ]
