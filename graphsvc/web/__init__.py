"""The web app: ``create_app`` builds it from settings, blueprints do the rest.

Settings come from defaults, then ``GRAPHSVC_*`` environment variables, then ``test_config``.
Views parse the request, call the service and render; they hold no SQL.
"""

from __future__ import annotations

import secrets

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from graphsvc.config import Settings
from graphsvc.errors import GraphsvcError, ImportProblems, InputError, NotFound
from graphsvc.service import Graphsvc


def create_app(test_config: dict | None = None, *, service: Graphsvc | None = None) -> Flask:
    app = Flask(__name__)
    overrides = {k.lower(): v for k, v in (test_config or {}).items() if k.isupper()
                 and k.lower() in Settings.__dataclass_fields__}
    settings = Settings.load(**overrides)
    app.config.from_mapping(SECRET_KEY=settings.secret_key or secrets.token_hex(32),
                            MAX_CONTENT_LENGTH=settings.max_upload_bytes, SETTINGS=settings)
    if test_config:
        app.config.update(test_config)
    app.extensions["graphsvc"] = service or Graphsvc(
        settings.open_store(), rule=settings.rule(), max_upload_bytes=settings.max_upload_bytes,
        archive=settings.archive)

    from graphsvc.web import (analyses, exports, imports, network, openapi, overview, profiles,
                              uploads)

    app.register_blueprint(overview.bp)
    app.register_blueprint(network.bp)
    app.register_blueprint(analyses.bp)
    app.register_blueprint(profiles.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(uploads.bp)
    app.register_blueprint(imports.bp)
    _register_errors(app)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; "
                                    "frame-ancestors 'none'; base-uri 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app


def error_body(status: int, message: str, errors: list | None = None) -> dict:
    """The one JSON error shape of the whole API."""
    return {"ok": False, "status": status, "error": message, "errors": errors or []}


def _register_errors(app: Flask) -> None:
    def wants_json() -> bool:
        return request.path.startswith("/api/")

    @app.errorhandler(GraphsvcError)
    def _project_error(exc: GraphsvcError):
        status = 404 if isinstance(exc, NotFound) else 400
        if not wants_json():
            return render_template("error.html", status=status, message=str(exc)), status
        errors = ([p.as_dict() for p in exc.problems] if isinstance(exc, ImportProblems)
                  else [exc.as_dict()] if isinstance(exc, InputError) else [])
        return jsonify(error_body(status, str(exc), errors)), status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if wants_json():
            return jsonify(error_body(exc.code or 500, exc.description or exc.name)), exc.code
        return exc
