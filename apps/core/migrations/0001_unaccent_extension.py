# The `q` filter folds accents with PostgreSQL's unaccent (apps/core/search.py): a C function
# some hundred times faster than translate() with a table of every accented Latin letter.
# CreateExtension does nothing on other databases. unaccent is a trusted extension
# (PostgreSQL 13+), so the database's owner may create it without being a superuser.
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [UnaccentExtension()]
