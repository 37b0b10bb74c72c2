"""Uploads refused as soon as they pass their limit, before they are received in full: a view
wrapped in `limit_upload(max_bytes)` stops storing a file at the limit (or at once, when the
request's Content-Length already says it is too large) and its form sees a stand-in file of
that size, so the form's own size check says why, next to the field."""

from functools import wraps

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room for the other fields and the multipart boundaries around the file in Content-Length.
FORM_OVERHEAD_BYTES = 64 * 1024


class TooLargeUpload(SimpleUploadedFile):
    """What the form receives instead of a file that passed the limit: no content, and the
    size known when it was refused (more than the limit)."""

    def __init__(self, name: str, size: int):
        super().__init__(name or "upload", b"", "application/octet-stream")
        self.size = size


class LimitedUploadHandler(FileUploadHandler):
    """First of the request's handlers: passes each chunk on until the file passes
    `max_bytes`, then stops the upload; the rest of the body is read and dropped, never
    stored, so the response can still reach the browser."""

    def __init__(self, request, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.declared = 0
        self.received = 0
        self.refused: TooLargeUpload | None = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared = content_length or 0
        self.input_data = input_data

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0
        if self.declared > self.max_bytes + FORM_OVERHEAD_BYTES:
            self._refuse(self.declared)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._refuse(self.received)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) holds the file

    def _refuse(self, size: int):
        self.refused = TooLargeUpload(self.file_name, size)
        # Django drops the rest of the body line by line, and a file without a newline is one
        # line: 50 MB held at once (found by tests/security/). Read it away in chunks first.
        while self.input_data.read(64 * 1024):
            pass
        raise StopUpload(connection_reset=False)


def limit_upload(max_bytes):
    """Decorates a view that takes one file upload. `max_bytes` is a number or a callable
    returning one (read per request, so settings changed in tests apply). The CSRF check runs
    after the handler is in place (Django reads the body for the token, which is when the
    upload arrives), as Django's documentation on changing upload handlers shows."""
    def decorator(view):
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                limit = max_bytes() if callable(max_bytes) else max_bytes
                handler = LimitedUploadHandler(request, limit)
                request.upload_handlers.insert(0, handler)
                request.POST  # noqa: B018  (parse now, with the handler in place)
                if handler.refused is not None:
                    request.FILES.setlist(handler.field_name, [handler.refused])
            return protected(request, *args, **kwargs)
        return wrapped
    return decorator
