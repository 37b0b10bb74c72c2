from django.contrib.admin.apps import AdminConfig


class GoalpostAdminConfig(AdminConfig):
    """django.contrib.admin with Goalpost's site (config/admin.py); it also stamps each sign-in
    for the idle-session clock (config/security.py), this being the project's own app config."""

    default_site = "config.admin.GoalpostAdminSite"

    def ready(self):
        super().ready()
        from django.contrib.auth.signals import user_logged_in

        from config.security import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="goalpost-idle-session")
