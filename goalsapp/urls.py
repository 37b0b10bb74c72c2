"""Dashboards and people pages (filled in by later work)."""

urlpatterns: list = []
