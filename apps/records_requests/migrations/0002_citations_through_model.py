# The sources of a record get a page and a quote (pinpoint citations): the many-to-many
# table Django made becomes an explicit model, keeping its rows.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("records_requests", "0001_initial"),
        ("sources", "0006_rename_published_date_to_publication_date"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table is the one Django made for the plain many-to-many field: only the
            # project's picture of it changes here; the new columns are added below.
            state_operations=[
                migrations.CreateModel(
                    name="ResponseDeadlineCitation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("responsedeadline", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="citations", to="records_requests.responsedeadline", help_text="The citing record.")),
                        ("source", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="sources.source", help_text="The source cited.")),
                    ],
                    options={"db_table": "records_requests_responsedeadline_sources", "unique_together": {("responsedeadline", "source")}},
                ),
                migrations.AlterField(
                    model_name="responsedeadline",
                    name="sources",
                    field=models.ManyToManyField(blank=True, help_text="The sources that support this record.", related_name="response_deadlines", through="records_requests.ResponseDeadlineCitation", to="sources.source"),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            # The table is the one Django made for the plain many-to-many field: only the
            # project's picture of it changes here; the new columns are added below.
            state_operations=[
                migrations.CreateModel(
                    name="RecordsRequestCitation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("recordsrequest", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="citations", to="records_requests.recordsrequest", help_text="The citing record.")),
                        ("source", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="sources.source", help_text="The source cited.")),
                    ],
                    options={"db_table": "records_requests_recordsrequest_sources", "unique_together": {("recordsrequest", "source")}},
                ),
                migrations.AlterField(
                    model_name="recordsrequest",
                    name="sources",
                    field=models.ManyToManyField(blank=True, help_text="The sources that support this record.", related_name="records_requests", through="records_requests.RecordsRequestCitation", to="sources.source"),
                ),
            ],
        ),
    ]
