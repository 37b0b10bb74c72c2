"""The people sync's URLs."""

from django.urls import path

from . import views

urlpatterns = [
    path("people/sync/", views.people_sync, name="people_sync"),
    path("people/sync/template.csv", views.people_sync_template, name="people_sync_template"),
    path("people/sync/<str:token>/", views.people_sync_preview, name="people_sync_preview"),
]
