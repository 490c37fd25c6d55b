"""An error report (what Django mails to ADMINS on a 500) holds the traceback, never what
a user wrote: no frame's local variables, no posted value (config/errors.py)."""

import sys

from django.test import RequestFactory
from django.views.debug import ExceptionReporter

MARKER = "Quill" + "marrow"  # joined at run time: the report's source lines never hold it


def test_an_error_report_holds_no_words_of_the_request(settings):
    settings.DEBUG = False
    request = RequestFactory().post("/entries/new/", {"body": f"{MARKER} by the river"})
    words = f"{MARKER}, opened in a view"  # a local variable of the failing frame
    try:
        raise ValueError("a failure while rendering")
    except ValueError:
        reporter = ExceptionReporter(request, *sys.exc_info())
    text, html = reporter.get_traceback_text(), reporter.get_traceback_html()
    assert "a failure while rendering" in text and "test_error_reports.py" in text
    assert words and MARKER not in text and MARKER not in html
