"""The WSGI entry point for gunicorn: ``gunicorn graphsvc.web.wsgi:app``. It runs in production
mode (a secret key is required, cookies are HTTPS-only) unless GRAPHSVC_PRODUCTION=0."""

import os

from graphsvc.web import create_app

os.environ.setdefault("GRAPHSVC_PRODUCTION", "1")
app = create_app()
