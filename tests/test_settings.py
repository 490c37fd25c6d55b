"""Start-up refuses a dangerous or broken configuration with a clear message."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
# What production needs to start at all: the keys, and mail (to the console, for tests only).
KEYS = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_MFA_KEY": "m" * 50,
    "DJANGO_EMAIL_BACKEND": "console",
}


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_stops_with_a_clear_message():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_bad_database_url_stops_with_a_clear_message():
    result = load_settings(**KEYS, DATABASE_URL="nonsense://what")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("DJANGO_DEBUG", "maybe"), ("DJANGO_HSTS_SECONDS", "lots")]
)
def test_bad_values_stop_with_a_clear_message(name, value):
    result = load_settings(**KEYS, **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_sqlite_by_default_and_postgresql_from_database_url():
    assert "sqlite3" in load_settings(**KEYS).stdout
    pg = load_settings(**KEYS, DATABASE_URL="postgres://u@db.example:5432/mirror")
    assert "postgresql" in pg.stdout


def test_debug_is_off_unless_asked_for():
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        cwd=ROOT,
        env={**KEYS, "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False []"
