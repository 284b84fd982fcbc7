"""The API's OpenAPI 3.1 document, served at ``/api/openapi.json``, made from the routes'
registrations (:mod:`graphsvc.web.routes`): a route under /api/ describes itself where it is
declared, and a test holds the document and the app's routes to each other while schemathesis
calls every operation with generated input."""

from __future__ import annotations

from flask import Blueprint, jsonify

from graphsvc.web.routes import PUBLIC, REGISTERED, route

bp = Blueprint("openapi", __name__)

ERROR = {
    "type": "object", "required": ["ok", "status", "error", "errors"],
    "properties": {"ok": {"const": False}, "status": {"type": "integer"},
                   "error": {"type": "string"}, "errors": {"type": "array"}},
}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}


DENIED = {"401": _error("Not signed in, or the API token is not valid"),
          "403": _error("Your role may not do this")}
OK = {"description": "OK", "content": {"application/json": {"schema": {
    "type": "object", "required": ["ok"], "properties": {"ok": {"const": True}}}}}}


def _operation(entry) -> dict:
    responses = {"200": OK if entry.openapi_path != "/api/openapi.json" else {
        "description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
        "400": _error("A parameter (or a file) is wrong; the error names it")}
    if entry.may_404 or entry.role is not PUBLIC:
        responses["404"] = _error("No such thing (or a person you may not see)")
    responses.update({status: _error(text) for status, text in entry.responses.items()})
    operation = {"summary": entry.summary, "parameters": list(entry.params),
                 "responses": responses}
    if entry.role is PUBLIC:
        operation["security"] = []
    else:
        responses.update(DENIED)
    if entry.body is not None:
        operation["requestBody"] = {"required": True, "content": entry.body}
    return operation


def document() -> dict:
    paths: dict[str, dict] = {}
    for entry in REGISTERED.values():
        if entry.summary is None or not entry.rule.startswith("/api/"):
            continue
        for method in entry.methods:
            paths.setdefault(entry.openapi_path, {})[method.lower()] = _operation(entry)
    return {
        "openapi": "3.1.0",
        "info": {"title": "graphsvc", "version": "1",
                 "description": "Relationship maps for place-based partnerships. Every error "
                                "has one shape: ok, status, error, errors."},
        "paths": dict(sorted(paths.items())),
        "security": [{"bearer": []}, {"session": []}],
        "components": {"schemas": {"Error": ERROR}, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "an API token (graphsvc token add, or Your account)"},
            "session": {"type": "apiKey", "in": "cookie", "name": "graphsvc_session",
                        "description": "the session cookie set by signing in at /login"}}},
    }


@route(bp, "/api/openapi.json", role="viewer", summary="This document")
def openapi_json():
    return jsonify(document())
