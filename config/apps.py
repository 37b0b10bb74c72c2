from django.contrib.admin.apps import AdminConfig


class GoalpostAdminConfig(AdminConfig):
    """django.contrib.admin with Goalpost's site (config/admin.py)."""

    default_site = "config.admin.GoalpostAdminSite"
