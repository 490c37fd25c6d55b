"""Mirror's settings: one module, driven by environment variables.

Every setting a deployment may change is read from the environment through the small
helpers below, which refuse bad values with ImproperlyConfigured at start-up instead of
failing later. Debug is off unless DJANGO_DEBUG asks for it; `make run` asks for it.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


DEBUG = env_bool("DJANGO_DEBUG", default=False)


def _development_secret_key() -> str:
    """A per-checkout key for local development, kept in an ignored file so that
    sessions survive restarts. Never used with debug off."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks_db",
    "accounts",
    "journal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RefuseNulMiddleware",  # before anything reads the database
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.unlock.JournalKeyMiddleware",  # request.journal_key (accounts/unlock.py)
    "journal.sealing.SealingMiddleware",  # that key, active for the request's code
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.NoStoreForSignedInMiddleware",
]

# Forms render through Django's own templates, found through TEMPLATES (so "django.forms"
# above); templates/django/forms/ overrides the two Mirror changes: field.html (labels, help,
# errors) and widgets/select.html (the same markup, options written out for long selects).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.journal_key",
            ],
        },
    },
]


# SQLite reads its pages through a memory map instead of copying each: a search reads a
# whole journal (11 MB at ten years) in 16 ms instead of 24.
SQLITE_OPTIONS = {"init_command": f"PRAGMA mmap_size={256 * 1024 * 1024}"}


def _databases() -> dict:
    url = env_str("DATABASE_URL").strip()
    if not url:
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": BASE_DIR / "db.sqlite3",
                "OPTIONS": dict(SQLITE_OPTIONS),
            }
        }
    pooled = env_bool("DATABASE_POOL", default=False)
    try:
        # A pool (psycopg 3) replaces persistent connections; the two do not mix.
        config = dj_database_url.parse(
            url, conn_max_age=0 if pooled else env_int("DATABASE_CONN_MAX_AGE", 60)
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL names a database engine Django does not know.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    if config["ENGINE"] == "django.db.backends.postgresql":
        if pooled:
            config.setdefault("OPTIONS", {})["pool"] = {
                "min_size": env_int("DATABASE_POOL_MIN", 2),
                "max_size": env_int("DATABASE_POOL_MAX", 10),
                "timeout": 10,
            }
        else:
            config["CONN_HEALTH_CHECKS"] = True
    return {"default": config}


DATABASES = _databases()

# One cache that every app server shares (rate limits live here): Redis when REDIS_URL is
# set, else a table in the database (created by `manage.py createcachetable`).
REDIS_URL = env_str("REDIS_URL").strip()
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "mirror_cache",
        }
    }
# Figures derived from a user's journal (periods and their rows, a calendar year, a search's
# ranking, rendered picture fragments) are kept under keys that hold the user's id and
# `journal_version`, which every change to the journal renews (journal.figures). They can
# hold what a user wrote (a timeline note, a tag), so they stay inside each server process:
# a LocMemCache, never Redis or the database, which other processes and backups can read.
# A process keeps at most JOURNAL_CACHE_ENTRIES of them, the oldest culled first.
CACHES["journal"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "mirror-journal",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": env_int("JOURNAL_CACHE_ENTRIES", 4000), "CULL_FREQUENCY": 4},
    # Words are drawn in the request's language: each language its own entries.
    "KEY_FUNCTION": "config.cache.key_in_language",
}
# Those that hold words (a tag cloud, the timeline's notes, drawn lists of entries) are
# kept sealed under the request's journal key (journal.sealing.SealedLocMemCache): even
# inside the process, only a request carrying that journal's key reads them.
CACHES["journal-words"] = {
    **CACHES["journal"],
    "BACKEND": "journal.sealing.SealedLocMemCache",
    "LOCATION": "mirror-journal-words",
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"

# The cost of deriving the key that wraps a journal key from a password (accounts.keys,
# Argon2id): 46 MiB and one pass, OWASP's first setting, about 0.1 s of one core per
# sign-in. Stored with each wrap, so raising it later locks nobody out.
JOURNAL_KDF = {"memory_kib": 47_104, "iterations": 1, "lanes": 1}
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Messages live in the session (in the database), never in a cookie: a message may name
# something the user wrote, and a cookie is readable on the device and by anything between.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth 65: email is the login, there are no usernames.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "change_password": "accounts.forms.ChangePasswordForm",
}
ACCOUNT_UNIQUE_EMAIL = True
# Mandatory in production: only then does sign-up with an address that already has an
# account look exactly like any other sign-up (a mail goes to that address instead of an
# error on the page). Optional in development, where signing up signs in at once.
ACCOUNT_EMAIL_VERIFICATION = env_str(
    "ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory"
)
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    raise ImproperlyConfigured(
        "ACCOUNT_EMAIL_VERIFICATION must be none, optional or mandatory; "
        f"got {ACCOUNT_EMAIL_VERIFICATION!r}."
    )
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mirror] "
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
# Tell users by email when their password, email or two-factor settings change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Changing the email or password asks for the password again (two-factor changes do too).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Behind a reverse proxy, how many proxies to trust for the client's address (rate limits).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)

# Two-factor sign-in: authenticator apps, recovery codes and passkeys.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Mirror"
# Passkeys need a secure origin; plain http://localhost is allowed in development only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Authenticator keys and recovery-code seeds are encrypted in the database with
# DJANGO_MFA_KEY (accounts/adapter.py). A key of its own, not derived from DJANGO_SECRET_KEY:
# changing the secret key (which signs everybody out) must not lock everybody out of their
# two-factor apps too, and a leaked secret key alone opens none of them.
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
# allauth's mail leaves through the background worker (accounts/adapter.py, accounts/mail.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
TWO_FACTOR_KEY = env_str("DJANGO_MFA_KEY").strip()
if not TWO_FACTOR_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_MFA_KEY is not set. Set it to a long random string, different from "
            "DJANGO_SECRET_KEY and the same on every app server "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'); it encrypts "
            "two-factor secrets, so keep it: without it nobody can use their authenticator."
        )
    TWO_FACTOR_KEY = SECRET_KEY  # development only: the per-checkout key
elif len(TWO_FACTOR_KEY) < 32:
    raise ImproperlyConfigured("DJANGO_MFA_KEY is too short: use at least 32 random characters.")
# Sessions are recorded at login; tracking every request would cost queries on every page.
USERSESSIONS_TRACK_ACTIVITY = False

# Email (Django 6.1 MAILERS): SMTP when EMAIL_HOST is set; else the console, in development
# only. Password-reset and sign-in links are credentials, and the console is the log: with
# debug off Mirror refuses to start without a mail server, unless DJANGO_EMAIL_BACKEND=console
# says so on purpose (for trying a production set-up out, never for real users).
EMAIL_HOST = env_str("EMAIL_HOST")
_email_backend = env_str("DJANGO_EMAIL_BACKEND").strip().lower()
if _email_backend not in {"", "console"}:
    raise ImproperlyConfigured(
        f"DJANGO_EMAIL_BACKEND is either unset or console; got {_email_backend!r}."
    )
if not EMAIL_HOST and not DEBUG and _email_backend != "console":
    raise ImproperlyConfigured(
        "EMAIL_HOST is not set. With debug off Mirror sends password-reset and confirmation "
        "mails through a mail server: set EMAIL_HOST (and EMAIL_HOST_USER, "
        "EMAIL_HOST_PASSWORD). DJANGO_EMAIL_BACKEND=console prints them to the log instead, "
        "for testing only."
    )
if EMAIL_HOST and _email_backend != "console":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST, _email_backend
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mirror <mirror@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks framework, queued in the database (django-tasks-db), run
# by `manage.py worker` (accounts/management/commands/worker.py), which also sends the
# reminders due each minute. Mail goes through it, so a slow mail server never holds a
# web request. `make run` starts a worker next to the development server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _site_url() -> str:
    """Where Mirror answers, for links in mail the worker sends without a request (a
    reminder's way to stop): DJANGO_SITE_URL, else the first allowed host that names one
    site. Without either it is empty, and the worker refuses to start (it says why)."""
    if url := env_str("DJANGO_SITE_URL").strip().rstrip("/"):
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(
                "DJANGO_SITE_URL is the site's address, like https://journal.example.org; "
                f"got {url!r}."
            )
        return url
    if DEBUG:
        return "http://127.0.0.1:8000"
    host = next((h for h in ALLOWED_HOSTS if h and h[0] not in ".*"), "")
    if not host:
        return ""
    return f"{'https' if SECURE else 'http'}://{host}"


# The interface speaks these (the names in their own language, as the profile lists them);
# a person's choice is `User.language`, else the browser's Accept-Language, else English
# (accounts.middleware.UserLanguageMiddleware). Catalogs in locale/; adding a language is
# one makemessages and one catalog (docs/architecture.md).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("pt-br", "Português (Brasil)"),
    ("de", "Deutsch"),
    ("fr", "Français"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `make run` serve static files from the source folders without collectstatic.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG

# Cookies and transport. Behind a TLS-terminating proxy set DJANGO_SECURE=1.
SECURE = env_bool("DJANGO_SECURE", default=False)
SITE_URL = _site_url()
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The __Host- prefix pins the cookies to this exact host over HTTPS (no Domain attribute).
SESSION_COOKIE_NAME = "__Host-mirror-session" if SECURE else "mirror-session"
CSRF_COOKIE_NAME = "__Host-mirror-csrf" if SECURE else "mirror-csrf"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything the app shows comes from the app itself: no inline code, no other origin.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

ENTRIES_PER_PAGE = env_int("MIRROR_ENTRIES_PER_PAGE", 20)

# Request bodies. The one file upload is an import archive: at most UPLOAD_MAX_BYTES (the
# reverse proxy's limit, docs/deploy.md, matches it). config/uploads.py stops a larger one
# after its first chunk, when the request's Content-Length says it is larger or as its bytes
# arrive, without reading the rest, and the import page says why.
UPLOAD_MAX_BYTES = 50 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "config.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A ten-year journal's archive (3 MB) is read from memory and never touches the disk; a
# larger upload is spooled to a temporary file, deleted when the request ends, so a worker
# never holds more than this of an upload in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Form fields, files aside. The largest a page posts is an entry at its longest: 100,000
# characters (BODY_MAX_LENGTH) of 4-byte UTF-8, percent-encoded, are 1.2 MB (12 bytes a
# character), with the title and tags 1.21 MB; sent as multipart (autosave, preview), 0.4 MB.
# 2 MB leaves room for that and answers a body well over the limit with the form's own
# message, not a bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Logs go to standard output. They never hold what users write: views that receive
# diary text mark it sensitive, and security events carry a user id, not an address.
# Error reports keep the traceback, never a frame's variables or a posted value (which
# would hold opened words: config/errors.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.errors.NoWordsExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "mirror.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
