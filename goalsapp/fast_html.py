"""HTML escaping for the places that build many small pieces of HTML in Python (form fields,
table rows): Django's conditional_escape and format_html give the same text, but through a
lazy-string wrapper on every call, which at a few thousand calls a page costs more than the
page's queries."""

import html


def escape(value) -> str:
    """conditional_escape's result: already-safe HTML as is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
