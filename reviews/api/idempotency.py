"""Idempotency-Key on writes: a retried request changes nothing twice."""

import hashlib
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from .models import ApiToken, IdempotentRequest
from .problems import problem


def idempotent(request, write) -> Response:
    """Runs `write()` once per Idempotency-Key: a retry with the same key and body gets the
    first answer again and changes nothing; the same key with another body is refused."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return write()
    if len(key) > 255:
        return problem(422, "The Idempotency-Key is longer than 255 characters.",
                       errors=[{"field": "Idempotency-Key", "detail": "At most 255 characters."}])
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), request.path.encode(), request.body])).hexdigest()
    token = request.auth if isinstance(request.auth, ApiToken) else None
    with transaction.atomic():
        earlier = (IdempotentRequest.objects.select_for_update()
                   .filter(user=request.user, key=key).first())
        if earlier is not None:
            if earlier.fingerprint != fingerprint:
                return problem(422, "This Idempotency-Key was used for a different request.",
                               errors=[{"field": "Idempotency-Key",
                                        "detail": "Use a new key for a new request."}])
            return Response(earlier.body, status=earlier.status,
                            headers={"Idempotent-Replayed": "true"})
        response = write()
        if 200 <= response.status_code < 300:
            try:
                with transaction.atomic():
                    IdempotentRequest.objects.create(
                        token=token, user=request.user, key=key, fingerprint=fingerprint,
                        status=response.status_code,
                        body=json.loads(json.dumps(response.data, default=str)))
            except IntegrityError:
                # A twin with the same key committed first: undo this one, send it back.
                transaction.set_rollback(True)
                return problem(409, "A request with this Idempotency-Key is being processed; "
                               "retry it.")
        return response


def idempotency_records_purge(*, now: datetime | None = None) -> int:
    """Forgets the writes made more than API_IDEMPOTENCY_HOURS ago (a retry of one after that
    runs again); returns how many were forgotten. Run hourly by beat and by
    `manage.py purge_idempotency_keys`."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
