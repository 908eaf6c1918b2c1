"""ChangeRequest now belongs to the records app (see records/0001_initial): removed from
this app's state only; the table and its rows stay, and records/0002 renames the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("editing", "0001_initial"),
        ("records", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ChangeRequest")],
            database_operations=[],
        ),
    ]
