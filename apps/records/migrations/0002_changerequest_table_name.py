from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("editing", "0002_changerequest_moves_to_records"),
    ]

    operations = [
        migrations.AlterModelTable(name="changerequest", table=None),
    ]
