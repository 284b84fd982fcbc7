"""The WSGI entry point for gunicorn: ``gunicorn graphsvc.web.wsgi:app``."""

from graphsvc.web import create_app

app = create_app()
