"""`{{ form.field|as_field }}`: a form field exactly as crispy-forms' Bootstrap 5 pack renders it
(`as_crispy_field`) — the same label and asterisk, widget classes, `aria-invalid` and
`aria-describedby`, error list and help text — built in Python instead of through a dozen
templates per field (and one more per option of a list). The goal editor renders about a hundred
fields; through the templates they were most of its time (bench/profile_page.py).

`{{ form.field|widget }}` is the bare widget, as `{{ form.field }}` renders it.

Text-like inputs, text areas, selects, radio buttons and check boxes are built here; any other
widget (files, multiple widgets, grouped options) goes to crispy-forms itself, so a new field
type still renders correctly, only more slowly.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms.widgets import Input
from django.utils.safestring import mark_safe

from ..fast_html import escape as _escape

register = template.Library()

_PLAIN = (Input, forms.Textarea, forms.Select, forms.RadioSelect, forms.CheckboxInput)
_NOT_PLAIN = (forms.FileInput, forms.MultiWidget, forms.SelectMultiple,
              forms.CheckboxSelectMultiple)


def _flat(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    return "".join(f" {name}" if value is True else f' {name}="{_escape(value)}"'
                   for name, value in attrs.items() if value is not False)


def _plain(bound) -> bool:
    widget = bound.field.widget
    helper = getattr(bound.form, "helper", None)
    if helper is not None and (helper.help_text_inline or helper.field_template
                               or helper.label_class or helper.field_class
                               or "form-horizontal" in helper.form_class
                               or not helper.form_show_labels or not helper.form_show_errors):
        return False  # a helper's other layouts: crispy's templates
    return isinstance(widget, _PLAIN) and not isinstance(widget, _NOT_PLAIN)


def _widget_attrs(bound, css: str | None, widget) -> dict:
    """BoundField.as_widget's attributes, with crispy's class added to the widget's own (as
    crispy's field node does) when `css` is given."""
    attrs = dict(widget.attrs)
    if css is not None:
        class_name = widget.__class__.__name__.lower()
        class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
        mine = attrs.get("class", "")
        if mine:
            if mine.find(class_name) == -1:
                mine += f" {class_name}"
        else:
            mine = class_name
        for name in css.split():
            if name not in mine.split():
                mine += f" {name}"
        attrs["class"] = mine
    extra = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        extra.setdefault("id", bound.auto_id)
    return {**attrs, **extra}


def _select(bound, attrs: dict) -> str | None:
    widget = bound.field.widget
    chosen = set(widget.format_value(bound.value()))
    options, has_selected = [], False
    for value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            return None  # grouped options: Django's own template
        value = "" if value is None else str(value)
        selected = not has_selected and value in chosen
        has_selected = has_selected or selected
        options.append(f'\n  <option value="{_escape(value)}"{" selected" if selected else ""}>'
                       f"{_escape(label)}</option>")
    return f'<select name="{_escape(bound.html_name)}"{_flat(attrs)}>{"".join(options)}\n</select>'


def _render_widget(bound, css: str | None, widget=None) -> str | None:
    """The widget's HTML as Django's widget templates write it, or None for one not built here."""
    widget = widget or bound.field.widget
    if bound.field.localize:
        widget.is_localized = True
    attrs = _widget_attrs(bound, css, widget)
    name = _escape(bound.html_name)
    if isinstance(widget, forms.Select):
        return _select(bound, attrs) if widget is bound.field.widget else None
    if isinstance(widget, forms.Textarea):
        value = widget.format_value(bound.value())
        text = _escape(value) if value else ""
        return f'<textarea name="{name}"{_flat(attrs)}>\n{text}</textarea>'
    if isinstance(widget, forms.CheckboxInput):
        value = bound.value()
        if widget.check_test(value):
            attrs["checked"] = True
        value = widget.format_value(value)
    else:
        value = widget.format_value(bound.value())
    shown = "" if value is None else f' value="{_escape(value)}"'
    return f'<input type="{widget.input_type}" name="{name}"{shown}{_flat(attrs)}>'


def _has_errors(bound) -> bool:
    # Cheaper than `bound.errors`, which builds a new empty list on every call.
    return bound.name in bound.form.errors


def _errors(bound) -> str:
    """bootstrap5/layout/field_errors_block.html, or field_errors.html (a span a message) for a
    form whose crispy helper says errors are inline, its default."""
    if not _has_errors(bound):
        return ""
    helper = getattr(bound.form, "helper", None)
    tag = "span" if helper is not None and helper.error_text_inline else "p"
    lines = "".join(f'<{tag} id="error_{number}_{bound.auto_id}"><strong>{_escape(error)}'
                    f"</strong></{tag}>" for number, error in enumerate(bound.errors, 1))
    return f'<div id="{bound.errors.field_id}_error" class="invalid-feedback">{lines}</div>'


def _help(bound) -> str:
    """bootstrap5/layout/help_text.html (help text is trusted HTML there too)."""
    if not bound.help_text:
        return ""
    where = f'id="{bound.auto_id}_helptext" ' if bound.auto_id else ""
    return f"<div {where}class=\"form-text\">{bound.help_text}</div>"


ASTERISK = '<span class="asteriskField">*</span>'


def _label(bound, tag: str, extra_class: str = "") -> str:
    required = bound.field.required
    target = f' for="{bound.id_for_label}"' if bound.id_for_label else ""
    return (f'<{tag}{target} class="form-label{" requiredField" if required else ""}'
            f'{extra_class}">{_escape(bound.label)}{ASTERISK if required else ""}</{tag}>')


def _radios(bound) -> str:
    """bootstrap5/layout/radio_checkbox_select.html inside its fieldset."""
    widget = bound.field.widget
    id_ = widget.attrs.get("id") or bound.auto_id
    attrs = bound.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(bound.html_name, widget.format_value(bound.value()), attrs)
    options = [option for _, group, _ in groups for option in group]
    invalid = " is-invalid" if _has_errors(bound) else ""
    rows = []
    for number, option in enumerate(options, 1):
        rows.append(
            f'<div class="form-check"><input type="{option["type"]}" class="form-check-input'
            f'{invalid}" name="{_escape(bound.html_name)}" value="{_escape(option["value"])}"'
            f'{_flat(option["attrs"])}><label for="{_escape(option["attrs"].get("id", ""))}" '
            f'class="form-check-label">{_escape(option["label"])}</label>'
            f'{_errors(bound) if number == len(options) else ""}</div>')
    described = f' aria-describedby="{bound.aria_describedby}"' if bound.aria_describedby else ""
    legend = _label(bound, "legend", " fs-6") if bound.label else ""
    return (f"<fieldset{described}>{legend}"
            f'<div>{"".join(rows)}</div>{_help(bound)}</fieldset>')


@register.filter
def as_field(bound):
    """The field with its label, errors and help text, as `|as_crispy_field` renders it."""
    if bound.is_hidden:
        return widget(bound)
    if not _plain(bound):
        return as_crispy_field(bound)
    widget_ = bound.field.widget
    if isinstance(widget_, forms.RadioSelect):
        return mark_safe(f'<div id="div_{bound.auto_id}" class="mb-3">{_radios(bound)}</div>')
    invalid = " is-invalid" if _has_errors(bound) else ""
    if isinstance(widget_, forms.CheckboxInput):
        html = _render_widget(bound, "form-check-input" + invalid)
        required = bound.field.required
        return mark_safe(
            f'<div class="mb-3"><div id="div_{bound.auto_id}" class="form-check">{html}'
            f'<label for="{bound.id_for_label}" class="form-check-label'
            f'{" requiredField" if required else ""}">{_escape(bound.label)}'
            f'{ASTERISK if required else ""}</label>'
            f"{_errors(bound)}{_help(bound)}</div></div>")
    css = ("form-select" if isinstance(widget_, forms.Select) else "form-control") + invalid
    html = _render_widget(bound, css)
    if html is None:
        return as_crispy_field(bound)
    label = _label(bound, "label") if bound.label else ""
    return mark_safe(f'<div id="div_{bound.auto_id}" class="mb-3">{label}{html}'
                     f"{_errors(bound)}{_help(bound)}</div>")


@register.filter
def widget(bound):
    """The bare widget, as `{{ form.field }}` renders it."""
    if not _plain(bound) or isinstance(bound.field.widget, forms.RadioSelect):
        return bound.as_widget()
    html = _render_widget(bound, None)
    return bound.as_widget() if html is None else mark_safe(html)


@register.filter
def hidden(bound):
    """The field as a hidden input, as `{{ form.field.as_hidden }}` renders it."""
    html = _render_widget(bound, None, bound.field.hidden_widget())
    return bound.as_hidden() if html is None else mark_safe(html)
