"""The notification models, moved from the reviews app: the tables exist (reviews 0003)."""

import django.core.validators
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
                name='NotificationSettings',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('lead_days', models.PositiveSmallIntegerField(default=3, help_text='0 reminds on the due date itself. At most 60.', validators=[django.core.validators.MaxValueValidator(60)], verbose_name='Remind this many days before the due date')),
                    ('overdue_cadence_days', models.PositiveSmallIntegerField(default=3, help_text='The first overdue reminder goes out the day after the due date. 1 to 60.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='While overdue, remind every … days')),
                    ('escalation_after_days', models.PositiveSmallIntegerField(default=7, help_text="The supervisor's own supervisor and HR are told once. 1 to 365.", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)], verbose_name='Escalate after this many overdue days')),
                ],
                options={
                    'verbose_name': 'reminder settings',
                    'verbose_name_plural': 'reminder settings',
                    'db_table': 'reviews_notificationsettings',
                },
            ),
            migrations.CreateModel(
                name='NotificationPreference',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('daily_digest', models.BooleanField(default=False, help_text='Collect reminders into one e-mail a day.')),
                    ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preference', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'reviews_notificationpreference',
                },
            ),
            migrations.CreateModel(
                name='DigestDelivery',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('day', models.DateField()),
                    ('batch', models.UUIDField(editable=False)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name_plural': 'digest deliveries',
                    'db_table': 'reviews_digestdelivery',
                    'constraints': [models.UniqueConstraint(fields=('recipient', 'day'), name='one_digest_per_day')],
                },
            ),
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('waiting', 'Now waits on you'), ('before_due', 'Due soon'), ('overdue', 'Overdue'), ('escalation', 'Escalation')], max_length=20)),
                    ('stage', models.CharField(help_text="The sheet's state it is about.", max_length=30)),
                    ('day', models.DateField(help_text="The reminder's day slot; the transition's day.")),
                    ('message', models.CharField(max_length=400)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('read_at', models.DateTimeField(blank=True, null=True)),
                    ('via_digest', models.BooleanField(default=False)),
                    ('email_status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('digest', 'Waiting for the daily digest'), ('sending', 'Being sent'), ('sent', 'Sent'), ('failed', 'Failed (gave up)'), ('no_address', 'Not sent: no e-mail address')], default='pending', max_length=20)),
                    ('batch', models.UUIDField(blank=True, editable=False, help_text='The sweep that created it.', null=True)),
                    ('claim', models.UUIDField(blank=True, editable=False, help_text='The delivery that took it from the outbox.', null=True)),
                    ('claimed_at', models.DateTimeField(blank=True, null=True)),
                    ('emailed_at', models.DateTimeField(blank=True, null=True)),
                    ('attempts', models.PositiveSmallIntegerField(default=0)),
                    ('email_error', models.TextField(blank=True)),
                    ('event', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='reviews.reviewevent')),
                    ('recipient', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ('sheet', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='goalsapp.goalsheet')),
                ],
                options={
                    'db_table': 'reviews_notification',
                    'ordering': ['-created_at', '-id'],
                    'indexes': [models.Index(fields=['recipient', 'read_at'], name='notification_unread'), models.Index(condition=models.Q(('email_status__in', ['pending', 'digest', 'sending'])), fields=['email_status'], name='notification_outbox'), models.Index(condition=models.Q(('claim__isnull', False)), fields=['claim'], name='notification_claim')],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('kind', 'waiting'), _negated=True), fields=('sheet', 'stage', 'recipient', 'kind', 'day'), name='one_reminder_per_slot'), models.UniqueConstraint(condition=models.Q(('event__isnull', False)), fields=('event', 'recipient'), name='one_notice_per_event_and_recipient')],
                },
            ),
        ]),
    ]
