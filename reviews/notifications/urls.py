"""URLs of the notifications pages: the list, marking read, opening a sheet, the settings, and
HR's reminder settings."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notification_read_all,
         name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read,
         name="notification_read"),
    path("notifications/<int:pk>/open/", views.notification_open,
         name="notification_open"),
    path("notifications/settings/", views.notification_settings,
         name="notification_settings"),
    path("notifications/reminders/", views.reminder_settings, name="reminder_settings"),
]
