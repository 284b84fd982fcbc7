"""The web app: ``create_app`` builds it from settings, blueprints do the rest.

Settings come from defaults, then ``GRAPHSVC_*`` environment variables, then ``test_config``.
Views parse the request, call one use case of the service as the signed-in user, and render;
each route registers its least role and API description once (:mod:`graphsvc.web.routes`).
"""

from __future__ import annotations

import math
import secrets
from datetime import timedelta

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from graphsvc import bootstrap
from graphsvc.accounts import User
from graphsvc.config import Settings
from graphsvc.errors import (ConfigurationError, Forbidden, GraphsvcError, ImportProblems,
                             InputError, NothingLoaded, NotFound)
from graphsvc.service import Graphsvc
from graphsvc.service.access import TooManyAttempts
from graphsvc.web import auth, background, params

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def create_app(test_config: dict | None = None, *, service: Graphsvc | None = None) -> Flask:
    app = Flask(__name__)
    app.url_map.converters["int"] = StoredInteger
    overrides = {k.lower(): v for k, v in (test_config or {}).items() if k.isupper()
                 and k.lower() in Settings.__dataclass_fields__}
    settings = Settings.load(**overrides)
    _configure(app, settings)
    if test_config:
        app.config.update(test_config)
    service = service or bootstrap.build(settings)
    if service.access is None:
        raise ConfigurationError("the web app needs a service with accounts (see "
                                 "graphsvc.bootstrap.build)")
    if settings.demo:
        check_demo_data(service)
    app.extensions["graphsvc"] = service
    _secure(app, settings)

    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    _register_errors(app)
    background.register(app)
    return app


class StoredInteger(IntegerConverter):
    """``<int:...>`` in a URL: a number the stores can hold (a larger one is not found)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def blueprints() -> tuple:
    """Every blueprint of the app (importing them registers their routes)."""
    from graphsvc.web import (admin, analyses, explorer, exports, imports, openapi, overview,
                              profiles, uploads)

    return (auth.bp, admin.bp, overview.bp, explorer.bp, analyses.bp, profiles.bp, openapi.bp,
            exports.bp, uploads.bp, imports.bp)


def _configure(app: Flask, settings: Settings) -> None:
    """Flask's settings from ours: the signing key (required in production), upload limit,
    and the session cookie's protections."""
    if settings.production and not settings.secret_key:
        raise ConfigurationError("production mode needs GRAPHSVC_SECRET_KEY (e.g. the output of "
                                 "python -c 'import secrets; print(secrets.token_hex(32))')")
    secret = settings.secret_key or secrets.token_hex(32)
    app.config.from_mapping(
        SECRET_KEY=secret, MAX_CONTENT_LENGTH=settings.max_upload_bytes, SETTINGS=settings,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production, SESSION_COOKIE_NAME="graphsvc_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8))


def _secure(app: Flask, settings: Settings) -> None:
    """Who is asking and may they (before each request), the security headers (after), and
    the proxies trusted for addresses."""
    if settings.proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    app.before_request(auth.guard)
    app.jinja_env.globals.update(csrf_token=auth.csrf_token, demo_mode=settings.demo,
                                 default_window=params.DEFAULT_WINDOW,
                                 small_cell=settings.small_cell)
    app.jinja_env.filters["shown"] = shown
    app.jinja_env.filters["significant"] = significant

    @app.after_request
    def _security_headers(response):
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def shown(value, pattern: str = "{:,}") -> str:
    """A number as a page shows it; one withheld from this user (a count of a few people, or
    a share of one) as a dash."""
    return "–" if value is None else pattern.format(value)


def significant(value, figures: int = 3) -> str:
    """A small measure to a few significant figures, never rounded away to 0.

    >>> [significant(v) for v in (1.1725e-05, 0.25, 12.345, 0.0, None)]
    ['0.0000117', '0.25', '12.3', '0', '–']
    """
    if value is None:
        return "–"
    if value == 0:
        return "0"
    places = max(0, figures - 1 - math.floor(math.log10(abs(value))))
    return f"{value:,.{places}f}".rstrip("0").rstrip(".") if places else f"{value:,.0f}"


def error_body(status: int, message: str, errors: list | None = None) -> dict:
    """The one JSON error shape of the whole API."""
    return {"ok": False, "status": status, "error": message, "errors": errors or []}


def _register_errors(app: Flask) -> None:
    def wants_json() -> bool:
        return request.path.startswith("/api/")

    def wants_table() -> bool:
        # a download for a spreadsheet or a script: an error is a line of text, not a page
        return request.path.endswith(".csv")

    def plain(status: int, message: str):
        return Response(message + "\n", status, mimetype="text/plain")

    @app.errorhandler(NothingLoaded)
    def _nothing_loaded(exc: NothingLoaded):
        # a new deployment's first look: the page's empty state, the API's one error shape
        if wants_json():
            return jsonify(error_body(409, str(exc))), 409
        if wants_table():
            return plain(409, str(exc))
        counts = app.extensions["graphsvc"].views.counts(g.user)["counts"]
        return render_template("nothing_loaded.html", counts=counts)

    @app.errorhandler(GraphsvcError)
    def _project_error(exc: GraphsvcError):
        status = (404 if isinstance(exc, NotFound) else 429 if isinstance(exc, TooManyAttempts)
                  else 403 if isinstance(exc, Forbidden) else 400)
        if wants_table():
            return plain(status, str(exc))
        if not wants_json():
            return render_template("error.html", status=status, message=str(exc)), status
        errors = ([p.as_dict() for p in exc.problems] if isinstance(exc, ImportProblems)
                  else [exc.as_dict()] if isinstance(exc, InputError) else [])
        return jsonify(error_body(status, str(exc), errors)), status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if wants_json():
            return jsonify(error_body(exc.code or 500, exc.description or exc.name)), exc.code
        if wants_table() and (exc.code or 0) >= 400:
            return plain(exc.code, exc.description or exc.name)
        if exc.code in (400, 401, 403, 404, 413, 429):
            return render_template("error.html", status=exc.code,
                                   message=exc.description or exc.name), exc.code
        return exc


DEMO_CHECK = User("demo check", "admin", via="start")


def check_demo_data(service: Graphsvc) -> None:
    """Open access is for the synthetic demo only: every imported file must be one of the
    demo data's files, byte for byte."""
    import hashlib

    from graphsvc.resources import demo_dir

    demo = {hashlib.sha256(p.read_bytes()).hexdigest()
            for p in demo_dir().rglob("*") if p.is_file()}
    for record in service.imports.list(DEMO_CHECK):
        for f in record.files:
            if f.sha256 not in demo:
                raise ConfigurationError(
                    f"demo mode (open access) serves only the synthetic demo data, but import "
                    f"{record.id} loaded {f.source!r}, which is not one of its files")
