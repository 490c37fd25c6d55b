"""What the benchmarks and the scale-out check share: throw-away PostgreSQL databases,
production settings from the environment, gunicorn on a free loopback port, and plain HTTP
requests to it. Everything stays on 127.0.0.1."""

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
SECRET_KEY = "bench-only-key-" + "x" * 40  # never used outside a bench run
MFA_KEY = "bench-only-two-factor-key-" + "x" * 40


def postgres_admin_url() -> str:
    """Where to create throw-away databases: MIRROR_BENCH_POSTGRES, else the server of a
    PostgreSQL DATABASE_URL (its `postgres` database), else postgres@127.0.0.1:5432."""
    if os.environ.get("MIRROR_BENCH_POSTGRES"):
        return os.environ["MIRROR_BENCH_POSTGRES"]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return DEFAULT_POSTGRES


def postgres_answers(admin_url: str | None = None) -> bool:
    import psycopg

    try:
        with psycopg.connect(admin_url or postgres_admin_url(), connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def create_postgres_database(admin_url: str, prefix: str) -> tuple[str | None, str]:
    """Create a throw-away database: (its URL, its name), or (None, why not)."""
    import psycopg

    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        return None, str(error).strip().splitlines()[0]
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}")), name


def drop_postgres_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url: str, static_root: str | Path) -> dict[str, str]:
    """The environment of a production deployment (debug off, a secret key, the one host it
    answers to, the database, the database cache), minus TLS: on loopback DJANGO_SECURE is
    off. Static files come from `static_root` (see bench/floor_wsgi.py)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "WHITENOISE_", "MIRROR_", "WEB_CONCURRENCY"))
        and k not in {"REDIS_URL", "HOST", "PORT"}
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_MFA_KEY": MFA_KEY,
        "DJANGO_EMAIL_BACKEND": "console",  # no mail server on loopback; no mail is sent
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "MIRROR_BENCH_STATIC_ROOT": str(static_root),
        "PYTHONUNBUFFERED": "1",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 10,
) -> tuple[int, dict[str, list[str]], bytes]:
    """One request to 127.0.0.1:`port`: (status, headers as lists by lower-case name, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        found: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            found.setdefault(name.lower(), []).append(value)
        return response.status, found, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_path: Path, *, workers: int | None = None, timeout=30):
    """gunicorn with the project's config/gunicorn.conf.py serving bench/floor_wsgi.py on a
    free loopback port, until /healthz answers; yields the port, stops the server after."""
    port = free_port()
    env = env | {"HOST": HOST, "PORT": str(port)}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    command = [
        sys.executable, "-m", "gunicorn", "bench.floor_wsgi:application",
        "--config", "config/gunicorn.conf.py", "--pythonpath", str(ROOT),
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"gunicorn did not start on port {port}:\n"
                        + log_path.read_text(errors="replace")[-3000:]
                    )
                time.sleep(0.1)
            yield port
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
