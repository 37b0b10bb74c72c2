"""The sheet page's PDF block asks for each of the sheet's archives by kind."""

from django import template

from ..services import archive_of

register = template.Library()


@register.simple_tag
def sheet_archive(sheet, kind="goals"):
    """The sheet's archive of that kind (the goals, or the closing review), or None."""
    return archive_of(sheet, kind)
