import allauth.mfa.admin  # noqa: F401 (registers Authenticator, unregistered below)
import django_tasks_db.admin  # noqa: F401 (registers DBTaskResult, unregistered below)
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from .models import User

# An authenticator's data holds the user's two-factor secrets (encrypted): staff have no
# use for them, and a person removes their own at /accounts/2fa/.
admin.site.unregister(Authenticator)
# Queued tasks carry mail (sealed) on its way out: staff read the worker's log instead.
admin.site.unregister(DBTaskResult)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts only: nothing a user wrote is reachable from the admin."""

    ordering = ("email",)
    list_display = ("email", "display_name", "is_active", "is_staff", "date_joined")
    search_fields = ("email", "display_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "time_zone")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
