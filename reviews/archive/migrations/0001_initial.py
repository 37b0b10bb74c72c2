"""SheetArchive and ExportJob, moved from the reviews app: the tables exist (reviews 0002)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('goalsapp', '0007_locked_exactly_when_signed'),
        ('reviews', '0004_archive_and_notifications_are_apps'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The tables stay where they are (each model names its db_table): only Django's idea of
    # which app owns the models changes, so nothing is copied or locked.
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='ExportJob',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('filters', models.JSONField(default=dict)),
                    ('description', models.CharField(blank=True, max_length=300)),
                    ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=20)),
                    ('total', models.PositiveIntegerField(default=0)),
                    ('done', models.PositiveIntegerField(default=0)),
                    ('file', models.FileField(blank=True, editable=False, max_length=300, upload_to='')),
                    ('size', models.PositiveBigIntegerField(blank=True, editable=False, null=True)),
                    ('error', models.TextField(blank=True)),
                    ('finished_at', models.DateTimeField(blank=True, null=True)),
                    ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'reviews_exportjob',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.CreateModel(
                name='SheetArchive',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('pending', 'Pending'), ('rendering', 'Rendering'), ('rendered', 'Rendered'), ('failed', 'Failed')], db_index=True, default='pending', max_length=20)),
                    ('file', models.FileField(blank=True, editable=False, max_length=300, upload_to='')),
                    ('sha256', models.CharField(blank=True, db_index=True, editable=False, max_length=64, verbose_name='SHA-256')),
                    ('size', models.PositiveBigIntegerField(blank=True, editable=False, null=True)),
                    ('error', models.TextField(blank=True)),
                    ('attempts', models.PositiveSmallIntegerField(default=0)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('claimed_at', models.DateTimeField(blank=True, null=True)),
                    ('rendered_at', models.DateTimeField(blank=True, null=True)),
                    ('sheet', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='archive', to='goalsapp.goalsheet')),
                ],
                options={
                    'verbose_name': 'archived PDF',
                    'verbose_name_plural': 'archived PDFs',
                    'db_table': 'reviews_sheetarchive',
                    'ordering': ['-created_at'],
                },
            ),
        ]),
    ]
