"""The navigation bar of every page (templates/base.html), built in Python: its eighteen links
and a dozen questions to the access policy through the template engine cost about a millisecond
a page, as much as some pages' own rows. Each link is shown exactly when the policy (`Can`,
goalsapp/access.py) allows the page it leads to, as before.

    {% load navigation %}{% navigation %}
"""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe

from ..fast_html import escape

register = template.Library()

# (the URL's name, its words, the policy's question: None for everyone signed in)
LINKS = [
    ("inbox", "Waiting on me", None),
    ("sheet_list", "Sheets", None),
    ("team", "My team", "see_team"),
    ("hr_queue", "HR queue", "see_hr_queue"),
    ("goal_set_list", "Goal sets", "keep_goal_sets"),
    ("dashboards", "Dashboards", None),
    ("collector_kpis", "Collector KPIs", "see_collector_kpis"),
    ("archive_verify", "Check a PDF", "verify_archives"),
    ("archive_export", "Export PDFs", "export_archives"),
    ("people_sync", "Sync people", "manage_people"),
    ("ar_loads", "AR data", "load_ar_data"),
    ("reminder_settings", "Reminder settings", "change_reminder_settings"),
    ("admin:index", "Admin", "use_admin"),
]


@lru_cache(maxsize=64)
def _url(name: str, script_prefix: str) -> str:
    """`{% url name %}`, reversed once per process (and script prefix)."""
    return reverse(name)


def url(name: str) -> str:
    return _url(name, get_script_prefix())


@register.simple_tag(takes_context=True)
def navigation(context) -> str:
    """The brand, and for someone signed in the links they may follow, the unread count, who
    they are and the log-out form."""
    html = ['<a class="navbar-brand fw-semibold" href="', url("inbox"), '">Goalpost</a>']
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return mark_safe("".join(html))
    can, me = context.get("can"), context.get("me")
    unread = context.get("unread_notifications")
    notifications = url("notifications")
    if unread:
        html.append(f'\n    <a class="d-md-none ms-auto me-2 badge rounded-pill text-bg-danger '
                    f'text-decoration-none" href="{notifications}" aria-label="{unread} unread '
                    f'notifications">{unread}</a>')
    html.append(
        '\n    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" '
        'data-bs-target="#nav" aria-controls="nav" aria-expanded="false" aria-label="Menu">'
        '\n      <span class="navbar-toggler-icon"></span>'
        "\n    </button>"
        '\n    <div class="collapse navbar-collapse" id="nav">'
        '\n      <ul class="navbar-nav me-auto">')
    for name, words, question in LINKS:
        if question is None or getattr(can, question):
            html.append(f'\n        <li class="nav-item"><a class="nav-link" href="{url(name)}">'
                        f"{words}</a></li>")
    badge = (f' <span class="badge rounded-pill text-bg-danger" data-testid="unread-count">'
             f'{unread}<span class="visually-hidden"> unread</span></span>' if unread else "")
    html.append(
        f'\n        <li class="nav-item"><a class="nav-link" href="{notifications}" '
        f'data-testid="nav-notifications">Notifications{badge}</a></li>'
        "\n      </ul>")
    token = context.get("csrf_token")
    csrf = (f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
            if token and token != "NOTPROVIDED" else "")
    who = (me.full_name if me is not None and me.full_name else user.get_username())
    html.append(
        f'\n      <form method="post" action="{url("logout")}" class="d-flex align-items-center '
        f'gap-2">\n        {csrf}'
        f'\n        <span class="navbar-text small" data-testid="signed-in-as">{escape(who)}'
        f'{" · HR" if can.hr else ""}</span>'
        f'\n        <a class="navbar-text small link-light" href="{url("esign_consent")}">'
        "E-signature consent</a>"
        '\n        <button class="btn btn-sm btn-outline-light" type="submit">Log out</button>'
        "\n      </form>"
        "\n    </div>")
    return mark_safe("".join(html))
