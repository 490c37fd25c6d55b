"""WSGI app for bench runs: the production app (config.settings, read from the environment
as always) with two bench-only overrides applied here, never in the settings:

- ROOT_URLCONF is the bench URLconf (bench/floor.py): the project's URLs plus the floor view;
- STATIC_ROOT is MIRROR_BENCH_STATIC_ROOT when set, a temporary folder the bench collected
  the static files into, so a run never writes into the checkout.

    gunicorn bench.floor_wsgi --pythonpath . --config config/gunicorn.conf.py
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django
from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import override_settings

django.setup(set_prefix=False)

_overrides = {"ROOT_URLCONF": "bench.floor"}
if os.environ.get("MIRROR_BENCH_STATIC_ROOT"):
    _overrides["STATIC_ROOT"] = os.environ["MIRROR_BENCH_STATIC_ROOT"]
override_settings(**_overrides).enable()

application = WSGIHandler()
