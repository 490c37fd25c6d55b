"""Uploads larger than settings.UPLOAD_MAX_BYTES stop before the whole body is read.

Django reads a file upload completely before a form can look at its size. This handler,
first in FILE_UPLOAD_HANDLERS, stops it at the file's first chunk when the request's
Content-Length is larger than the limit (with room for the form's other fields), or as the
file's bytes arrive once they pass it, raising StopUpload(connection_reset=True): Django then
reads no more of the body. The form fields before the file (the CSRF token, first in every
form) are kept, so the view runs and the form says why: see `upload_stopped`.

The reverse proxy refuses such a body first (docs/deploy.md); this is for a request that
reaches Mirror anyway (a proxy with a larger limit, or none). A browser still sending when
the answer comes may show its own "connection reset" page instead of Mirror's; behind a
proxy that buffers the body (nginx does by default) it sees Mirror's page.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

# The form's other fields and the multipart framing around the file: a file of exactly the
# limit still passes the Content-Length check, and its bytes are then counted exactly.
FORM_ROOM = 64 * 1024
_STOPPED = "_mirror_upload_stopped"


def upload_stopped(request: HttpRequest) -> bool:
    """Whether a file of this request was stopped for being larger than the limit."""
    return getattr(request, _STOPPED, False)


class UploadLimitHandler(FileUploadHandler):
    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_BYTES
        self.too_long = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.too_long = content_length > self.limit + FORM_ROOM
        # Returns None: the body is parsed as usual, the fields before the file first.

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.too_long:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self._stop()
        return raw_data  # to the next handler, which keeps it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler returns the file

    def _stop(self):
        setattr(self.request, _STOPPED, True)
        raise StopUpload(connection_reset=True)
