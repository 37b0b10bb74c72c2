"""The server-error page: a lost database connection answers 503 with a sentence saying that
nothing was saved; anything else is the plain 500 page. Neither page touches the database."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = "5"


def server_error(request):
    """handler500: Django calls it inside its `except` block, so sys.exc_info() is the error."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        # The view's transaction was rolled back by the database when the connection ended,
        # so saying "nothing was saved" is true; the next request opens a new connection.
        log.error("The database connection was lost during %s %s (%s); answered 503.",
                  request.method, request.path, type(error).__name__)
        response = HttpResponseServerError(loader.get_template("503.html").render())
        response.status_code = 503
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
