"""ChangeRequest moves from the editing app to the records app (the write gateway), keeping
its rows: this migration only tells Django's state that the model now lives here, on the
table it already has; 0002 then gives the table the records app's name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("editing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ChangeRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, help_text='When the record was first saved.')),
                        ('updated_at', models.DateTimeField(auto_now=True, db_index=True, help_text='When the record last changed.')),
                        ('object_id', models.PositiveBigIntegerField(help_text='Which record changes.')),
                        ('action', models.CharField(choices=[('create', 'New record'), ('update', 'Edit'), ('revert', 'Revert'), ('withdraw', 'Withdraw'), ('restore', 'Restore'), ('merge', 'Merge'), ('import', 'Import')], help_text='What the change does.', max_length=10)),
                        ('status', models.CharField(choices=[('pending', 'Pending review'), ('approved', 'Approved'), ('rejected', 'Rejected')], db_index=True, default='pending', help_text='Pending until a reviewer approves or rejects it.', max_length=10)),
                        ('payload', models.JSONField(blank=True, default=dict, help_text='The submitted form data of a pending edit, applied when approved.')),
                        ('base_version', models.PositiveBigIntegerField(blank=True, help_text="The record's version the edit was based on, to detect conflicts.", null=True)),
                        ('summary', models.CharField(blank=True, help_text="The author's edit summary: what and why.", max_length=500)),
                        ('reviewed_at', models.DateTimeField(blank=True, help_text='When it was decided.', null=True)),
                        ('review_reason', models.TextField(blank=True, help_text="Why it was rejected (shown to the author), or a reviewer's note.")),
                        ('version', models.PositiveBigIntegerField(blank=True, help_text='The record version this change produced, once applied.', null=True)),
                        ('author', models.ForeignKey(help_text='Who made the change.', on_delete=django.db.models.deletion.PROTECT, related_name='changes', to=settings.AUTH_USER_MODEL)),
                        ('content_type', models.ForeignKey(help_text='What kind of record changes.', on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype')),
                        ('reviewer', models.ForeignKey(blank=True, help_text='Who approved or rejected it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviewed_changes', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'editing_changerequest',
                        'ordering': ['created_at', 'pk'],
                        'indexes': [models.Index(fields=['status', 'created_at'], name='change_status_created'), models.Index(fields=['content_type', 'object_id'], name='change_record'), models.Index(fields=['author', 'status'], name='change_author_status')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
