"""What an error report (the 500 email to ADMINS, the debug page with DEBUG off never
shows) may hold of a request: nothing a user wrote.

Django's default filter hides only settings and the parameters a view marks sensitive; a
traceback's local variables would still carry an entry's opened words, a draft or a search.
This filter keeps the traceback (files, lines, the exception) and drops every frame's local
variables and every POST value, whatever the view."""

from django.views.debug import SafeExceptionReporterFilter


class NoWordsExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_traceback_frame_variables(self, request, tb_frame):
        return []

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)
