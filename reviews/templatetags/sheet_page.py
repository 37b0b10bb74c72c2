"""The sheet page's repeated parts built in Python rather than through an include a row: its
goal cards (each with the employee's answers and HR's SMART review), its signatures, its
timeline and its changes (the signatures' list serves the closing review's section too). A signed
sheet of ten goals through the template engine cost more than all of the page's queries
(bench/profile_page.py). The HTML is what the templates wrote before (goal_card.html, then
answer_thread.html within it, signature_row.html with signature_evidence.html, and the
items of timeline.html and changes.html).

    {% load sheet_page %}
    <ul class="list-group">{% goal_cards goal_views %}</ul>
    <ol class="timeline list-unstyled" data-testid="timeline">{% timeline_items view.events %}</ol>
    <ul class="list-group mb-2">{% signature_items view.signatures view.content_hash "sheet" %}</ul>
    <ul class="list-unstyled small mt-2" data-testid="changes">{% change_items view.changes %}</ul>
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, normalize_newlines

from goalsapp.fast_html import day, escape, iso, minute
from goalsapp.templatetags.numbers import plain_number

register = template.Library()


def _lines(text) -> str:
    """`|linebreaksbr` on autoescaped text."""
    return normalize_newlines(escape(text)).replace("\n", "<br>")


def _answers(answers) -> str:
    html = []
    for answer in answers:
        kind = "text-bg-warning" if answer.needs_clarification else "text-bg-success"
        html.append(
            '\n<div class="answer small mt-1">'
            f'\n  <span class="badge {kind}">Round {answer.round}: '
            f"{escape(answer.get_answer_display())}</span>")
        if answer.comment:
            html.append(f'\n  <span class="ms-1">“{escape(answer.comment)}”</span>')
        if answer.reply:
            html.append(f'\n  <div class="ms-3 text-muted">Supervisor\'s reply: '
                        f"“{escape(answer.reply)}”</div>")
        html.append("\n</div>")
    return "".join(html)


def _smart_review(check) -> str:
    if check.passes:
        verdict = '<span class="badge text-bg-success">passes all five</span>'
    else:
        verdict = (f'<span class="badge text-bg-danger">fails '
                   f'{escape(", ".join(check.failed_criteria))}</span>')
    note = f'<span class="text-muted">— {escape(check.note)}</span>' if check.note else ""
    return f'\n  <div class="small mt-1">HR SMART review:\n    {verdict}\n    {note}\n  </div>'


@register.simple_tag
def goal_cards(goal_views) -> str:
    """A card per goal: its text, measure, due date, weight and baseline, the employee's
    answers round by round, and HR's SMART review when there is one."""
    html = []
    for goal_view in goal_views:
        goal = goal_view.goal
        weight = f" · weight {goal.weight}" if goal.weight else ""
        baseline = (f'<div class="text-muted">baseline {escape(plain_number(goal.baseline))}'
                    "</div>" if goal.baseline is not None else "")
        check = goal_view.smart_check
        html.append(
            f'\n<li class="list-group-item goal" id="goal-{goal.pk}">'
            '\n  <div class="d-flex flex-wrap justify-content-between gap-2">'
            f'\n    <div class="goal-text">{_lines(goal.text)}</div>'
            '\n    <div class="text-nowrap small text-end">'
            f"\n      <div><strong>{escape(goal.measure_display)}</strong></div>"
            f'\n      <div class="text-muted">by {day(goal.due_on)}{weight}</div>'
            f"\n      {baseline}"
            "\n    </div>"
            "\n  </div>"
            f"{_answers(goal_view.answers)}"
            f"{_smart_review(check) if check else ''}"
            "\n</li>")
    return mark_safe("".join(html))


@register.simple_tag
def timeline_items(events) -> str:
    """The sheet's events, oldest first: when, who, what, the states it moved between and the
    note given with it."""
    if not events:
        return mark_safe('\n    <li class="text-muted">Nothing yet.</li>')
    html = []
    for event in events:
        actor = event.actor
        employee = getattr(actor, "employee", None) if actor is not None else None
        who = (employee.full_name if employee is not None and employee.full_name
               else actor.get_username() if actor is not None else "")
        moved = (f'<span class="small text-muted">({escape(event.from_label)} → '
                 f"{escape(event.to_label)})</span>"
                 if event.from_state and event.from_state != event.to_state else "")
        note = f'<div class="small ms-3">“{escape(event.note)}”</div>' if event.note else ""
        html.append(
            '\n    <li class="mb-2">'
            f'\n      <time class="small text-muted" datetime="{iso(event.at)}">'
            f"{minute(event.at)}</time>"
            f"\n      <strong>{escape(who)}</strong>"
            f'\n      <span class="event-action">{escape(event.description)}</span>'
            f"\n      {moved}"
            f"\n      {note}"
            "\n    </li>")
    return mark_safe("".join(html))


def _evidence(signature) -> str:
    """When and how the signer consented and signed in, and from where."""
    consent = signature.consent
    given = (f"given {minute(consent.given_at)}"
             if consent is not None else "not recorded")
    signed_in = (minute(signature.authenticated_at)
                 if signature.authenticated_at else "at an unrecorded time")
    agent = ""
    if signature.user_agent:
        agent = (f' · <span title="{escape(signature.user_agent)}">'
                 f"{escape(Truncator(signature.user_agent).chars(60))}</span>")
    return (f"Consent to sign electronically {given} · signed in {signed_in} · from "
            f"{escape(signature.ip_address or 'an unrecorded address')}{agent}")


@register.simple_tag
def signature_items(signatures, current_hash, document) -> str:
    """The live signatures of the `document` ("sheet" or "closing review"): who, when, the hash
    each vouches for against the content now (`current_hash`), and the evidence kept with it."""
    if not signatures:
        return mark_safe('\n    <li class="list-group-item text-muted">Not signed yet.</li>')
    document = escape(document)
    html = []
    for signature in signatures:
        if signature.content_hash == current_hash:
            match = (f'<span class="text-success" title="This signature matches the {document}'
                     "'s content as it is now\">✓ matches</span>")
        else:
            match = ('<span class="text-danger fw-semibold">✗ the content changed after this '
                     "signature</span>")
        evidence = (f'<span class="w-100 small text-muted" data-testid="signature-evidence">'
                    f"{_evidence(signature)}</span>" if signature.has_evidence else "")
        html.append(
            '\n    <li class="list-group-item d-flex flex-wrap justify-content-between gap-2">'
            f"\n      <span><strong>{escape(signature.get_role_display())}:</strong> "
            f"{escape(signature.typed_name)}</span>"
            '\n      <span class="small text-muted">'
            f"{minute(signature.signed_at)} · "
            f'<code title="SHA-256 of the {document}\'s content when signed">'
            f"{escape(Truncator(signature.content_hash).chars(17))}</code>"
            f"\n        {match}</span>"
            f"\n      {evidence}"
            "\n    </li>")
    return mark_safe("".join(html))


@register.simple_tag
def change_items(changes) -> str:
    """What changed since the employee first saw the goals, newest first: when, who, what."""
    html = []
    for change in changes:
        if change.what in ("added", "removed"):
            what = escape(change.what)
        else:
            what = (f'{escape(change.what)} <del class="text-danger">'
                    f"{escape(Truncator(change.old).chars(120))}</del> → "
                    f'<ins class="text-success">{escape(Truncator(change.new).chars(120))}</ins>')
        html.append(
            '\n      <li class="mb-1">'
            f'\n        <time class="text-muted" datetime="{iso(change.at)}">'
            f"{minute(change.at)}</time>"
            f"\n        {escape(change.who)} · {escape(change.subject)}:"
            f"\n        {what}"
            "\n      </li>")
    return mark_safe("".join(html))
