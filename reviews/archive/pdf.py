"""Renders a sheet to PDF/A-3u with WeasyPrint: the paper form's layout, fonts from static/, and
the sheet's canonical data and event timeline embedded as a JSON attachment."""

import atexit
import json
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from goalsapp.models import GoalSheet
from goalsapp.seeds import form_acknowledgement
from reviews.canonical import (
    closing_canonical,
    closing_content_hash,
    content_hash,
    sheet_canonical,
)
from reviews.closing import CLOSING_ACKNOWLEDGEMENT
from reviews.closing_selectors import closing_view
from reviews.selectors import sheet_view

PDF_VARIANT = "pdf/a-3u"
ATTACHMENT_NAME = "goal-sheet.json"
ATTACHMENT_FORMAT = "goalpost-sheet-archive/1"
CLOSING_ATTACHMENT_NAME = "closing-review.json"
CLOSING_ATTACHMENT_FORMAT = "goalpost-closing-archive/1"
STYLESHEET = "pdf/sheet.css"
ROLES = (("supervisor", "Supervisor"), ("employee", "Employee"), ("hr", "Human Resources"))


def static_roots() -> list[Path]:
    """The only folders the renderer may read from: the project's static files."""
    roots = [Path(root) for root in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


class StaticFilesOnly:
    """WeasyPrint's URL fetcher, narrowed to files under the static folders: no network, no other
    file, so rendering never depends on (or leaks to) anything outside the project."""

    def __init__(self):
        from weasyprint.urls import URLFetcherResponse

        self._response = URLFetcherResponse
        self.roots = static_roots()

    def path_for(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"The PDF renderer only reads static files, not {url[:80]!r}.")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise ValueError(f"The PDF renderer only reads static files, not {url[:80]!r}.")
        return path

    def fetch(self, url, headers=None):
        path = self.path_for(url)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return self._response(url, body=path.read_bytes(), headers={"Content-Type": kind})

    def __call__(self, url):
        return self.fetch(url)


def _evidence(signature) -> dict:
    """A signature's e-signature evidence (reviews/esign.py); null where it was not kept."""
    consent = signature.consent
    return {
        "consent": {"given_at": consent.given_at.isoformat(), "text": consent.text,
                    "text_sha256": consent.text_sha256} if consent else None,
        "authenticated_at": (signature.authenticated_at.isoformat()
                             if signature.authenticated_at else None),
        "ip_address": signature.ip_address,
        "user_agent": signature.user_agent,
    }


def _signatures(signatures) -> list[dict]:
    return [{"role": s.role, "typed_name": s.typed_name, "signer": s.signer.get_username(),
             "signed_at": s.signed_at.isoformat(), "content_hash": s.content_hash,
             **_evidence(s)} for s in signatures]


def _events(events) -> list[dict]:
    return [{"at": e.at.isoformat(), "actor": e.actor.get_username(), "action": e.action,
             "from_state": e.from_state, "to_state": e.to_state, "note": e.note}
            for e in events]


def archive_data(sheet: GoalSheet, view=None, canonical: dict | None = None) -> dict:
    """What the PDF embeds as JSON: the canonical content the signatures vouch for, the
    signatures, HR's SMART checks and the event timeline."""
    view = view or sheet_view(sheet)
    canonical = sheet_canonical(sheet) if canonical is None else canonical
    return {
        "format": ATTACHMENT_FORMAT,
        "content_hash": content_hash(sheet, canonical),
        "canonical": canonical,
        "state": sheet.state,
        "locked_at": sheet.locked_at.isoformat() if sheet.locked_at else None,
        "signatures": _signatures(view.signatures),
        "smart_checks": [
            {"goal_position": g.goal.position, "goal": g.goal.text,
             **{name: getattr(g.smart_check, name) for name in g.smart_check.CRITERIA},
             "note": g.smart_check.note, "checked_at": g.smart_check.checked_at.isoformat()}
            for g in view.goals if g.smart_check
        ],
        "events": _events(view.events),
    }


def closing_archive_data(review, view=None, canonical: dict | None = None,
                         events=None) -> dict:
    """What the closing review's PDF embeds as JSON: the canonical closing content the three
    closing signatures vouch for, those signatures, the rating scale's words for the rating,
    and the sheet's event timeline."""
    view = view or closing_view(review)
    canonical = closing_canonical(review) if canonical is None else canonical
    rating = review.rating
    return {
        "format": CLOSING_ATTACHMENT_FORMAT,
        "content_hash": closing_content_hash(review, canonical),
        "canonical": canonical,
        "state": review.state,
        "closed_at": review.closed_at.isoformat() if review.closed_at else None,
        "rating_description": rating.description if rating else "",
        "signatures": _signatures(view.signatures),
        "events": _events(events if events is not None else sheet_view(review.sheet).events),
    }


def _html(sheet: GoalSheet, view, *, draft: bool, digest: str) -> str:
    signatures = {s.role: s for s in view.signatures}
    return render_to_string("pdf/sheet.html", {
        "sheet": sheet,
        "view": view,
        "draft": draft,
        "signatures": [(role, label, signatures.get(role)) for role, label in ROLES],
        "acknowledgement": form_acknowledgement(),
        "content_hash": digest,
        "rendered_at": timezone.now(),
    })


# The stylesheet and its @font-face fonts are loaded once per thread, not once per render: loading
# the three DejaVu files into fontconfig cost about a third of a 10-goal render. WeasyPrint's font
# configuration is not shared across threads, hence one per thread.
_prepared = threading.local()
# Let the fonts go while the interpreter can still clean up after them.
atexit.register(lambda: _prepared.__dict__.clear())


def _stylesheet_and_fonts(fetcher: "StaticFilesOnly"):
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_prepared, "roots", None) != fetcher.roots:  # static folders changed (tests)
        font_config = FontConfiguration()
        path = fetcher.path_for((fetcher.roots[0] / STYLESHEET).as_uri())
        _prepared.css = CSS(filename=str(path), url_fetcher=fetcher, font_config=font_config)
        _prepared.font_config = font_config
        _prepared.roots = fetcher.roots
    return _prepared.css, _prepared.font_config


def _write(html: str, data: dict, *, name: str, description: str) -> bytes:
    """The HTML as PDF/A-3u with `data` embedded as a JSON attachment."""
    from weasyprint import HTML, Attachment

    fetcher = StaticFilesOnly()
    stylesheet, font_config = _stylesheet_and_fonts(fetcher)
    base_url = fetcher.roots[0].as_uri() + "/"
    payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    attachment = Attachment(string=payload, name=name, relationship="Data",
                            description=description, url_fetcher=fetcher)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT, attachments=[attachment],
                              stylesheets=[stylesheet], font_config=font_config)


def render_sheet_pdf(sheet: GoalSheet, *, draft: bool = False) -> bytes:
    """The sheet as PDF/A-3u bytes; `draft` stamps every page DRAFT (previews, never stored)."""
    view = sheet_view(sheet)
    # The canonical content is built once per render (each build is three queries), not per use.
    canonical = sheet_canonical(sheet)
    return _write(_html(sheet, view, draft=draft, digest=content_hash(sheet, canonical)),
                  archive_data(sheet, view, canonical), name=ATTACHMENT_NAME,
                  description="The sheet's signed content and its timeline")


def render_closing_pdf(review, *, draft: bool = False) -> bytes:
    """The closing review as PDF/A-3u bytes, its closing content and timeline embedded."""
    view = closing_view(review)
    canonical = closing_canonical(review)
    digest = closing_content_hash(review, canonical)
    events = sheet_view(review.sheet).events
    signatures = {s.role: s for s in view.signatures}
    html = render_to_string("pdf/closing.html", {
        "sheet": review.sheet, "review": review, "view": view, "draft": draft,
        "signatures": [(role, label, signatures.get(role)) for role, label in ROLES],
        "acknowledgement": CLOSING_ACKNOWLEDGEMENT, "content_hash": digest,
        "events": events, "rendered_at": timezone.now(),
    })
    return _write(html, closing_archive_data(review, view, canonical, events),
                  name=CLOSING_ATTACHMENT_NAME,
                  description="The closing review's signed content and the sheet's timeline")
