"""The archive's and the notifications' models now belong to apps of their own (archive,
notifications); their tables keep their names."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0003_notifications'),
    ]

    # The tables stay where they are (each model names its db_table): only Django's idea of
    # which app owns the models changes, so nothing is copied or locked.
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='digestdelivery',
                name='recipient',
            ),
            migrations.RemoveField(
                model_name='exportjob',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='event',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='recipient',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='sheet',
            ),
            migrations.RemoveField(
                model_name='notificationpreference',
                name='user',
            ),
            migrations.DeleteModel(
                name='NotificationSettings',
            ),
            migrations.RemoveField(
                model_name='sheetarchive',
                name='sheet',
            ),
            migrations.DeleteModel(
                name='DigestDelivery',
            ),
            migrations.DeleteModel(
                name='ExportJob',
            ),
            migrations.DeleteModel(
                name='Notification',
            ),
            migrations.DeleteModel(
                name='NotificationPreference',
            ),
            migrations.DeleteModel(
                name='SheetArchive',
            ),
        ]),
    ]
