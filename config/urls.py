from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The admin's login goes through allauth, so its rate limits and two-factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("journal.root_urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("journal.urls")),
]
