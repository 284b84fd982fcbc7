"""The API's OpenAPI 3.1 document, served at ``/api/openapi.json``.

Each operation is declared here once, with its parameters; a test holds the document and the
app's routes to each other, and schemathesis calls every operation with generated input.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from graphsvc.explore import SIZE_MEASURES
from graphsvc.web.analyses import GROUP_KINDS, PARTITIONS
from graphsvc.web.overview import METRICS
from graphsvc.web.params import WINDOWS

bp = Blueprint("openapi", __name__)


def _query(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema}


def _path(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema or {"type": "string", "minLength": 1}}


WINDOW = [
    _query("as_of", "the date the analysis looks from (YYYY-MM-DD); default the latest session",
           {"type": "string", "format": "date"}),
    _query("window", "months a tie stays active, or all", {"enum": list(WINDOWS)}),
]
NETWORK = _query("network", "which network", {"enum": ["organisations", "people"]})
PARTITION = _query("partition", "the groups", {"enum": list(PARTITIONS)})
LIMIT = _query("limit", "how many rows", {"type": "integer", "minimum": 1, "maximum": 100})

# path -> (method, summary, parameters, has 404)
OPERATIONS = {
    "/api/health": ("get", "Is the service up; the database revision", [], False),
    "/api/stats": ("get", "Counts of everything, and of the tie networks", [], False),
    "/api/overview": ("get", "Each borough's figure for the overview map", [
        _query("metric", "the figure", {"enum": list(METRICS)}), *WINDOW], False),
    "/api/network": ("get", "The network explorer's nodes and ties", [
        NETWORK, *WINDOW,
        _query("borough", "keep nodes in this borough", {"type": "string"}),
        _query("sector", "keep nodes of this sector", {"type": "string"}),
        _query("community", "keep nodes mostly in this community", {"type": "string"}),
        _query("min_weight", "drop weaker ties", {"type": "number", "minimum": 0,
                                                 "maximum": 1000}),
        _query("ego", "one node's id: it and its neighbours", {"type": "string"}),
        _query("depth", "the ego view's depth", {"enum": ["1", "2"]}),
        _query("size_by", "node size", {"enum": list(SIZE_MEASURES)}),
        _query("limit", "most nodes to draw one by one", {"type": "integer", "minimum": 1,
                                                         "maximum": 2000})], True),
    "/api/brokers": ("get", "Brokers: betweenness, constraint, effective size, roles", [
        NETWORK, PARTITION, LIMIT, *WINDOW], False),
    "/api/gaps": ("get", "Observed against expected ties between groups, and the widest gaps", [
        PARTITION, _query("borough", "only ties inside this borough", {"type": "string"}),
        *WINDOW], False),
    "/api/bridges": ("get", "Contacts tied to both of two groups, ranked", [
        NETWORK, _query("a", "group A", {"type": "string", "minLength": 1}, True),
        _query("a_kind", "what group A is", {"enum": list(GROUP_KINDS)}),
        _query("b", "group B", {"type": "string", "minLength": 1}, True),
        _query("b_kind", "what group B is", {"enum": list(GROUP_KINDS)}), LIMIT, *WINDOW],
        True),
    "/api/introductions": ("get", "The best introduction paths between two people", [
        _query("from", "a named person's id or name", {"type": "string", "minLength": 1}, True),
        _query("to", "a named person's id or name, or a group such as sector=Housing",
               {"type": "string", "minLength": 1}, True),
        _query("k", "how many paths", {"type": "integer", "minimum": 1, "maximum": 10}),
        *WINDOW], True),
    "/api/people": ("get", "Named people whose name (or a word of it) or id starts with q", [
        _query("q", "the start of a name, or an id", {"type": "string"}),
        LIMIT], False),
    "/api/communities": ("get", "Community health, and clusters against membership", WINDOW,
                         False),
    "/api/boroughs/{name}": ("get", "One borough's profile", [
        _path("name", "the borough's name or ONS code"), *WINDOW], True),
    "/api/nodes/{node_id}": ("get", "An organisation or a named person", [
        _path("node_id", "org:... or person:..."), *WINDOW], True),
    "/api/imports": ("get", "The imports, newest last", [], False),
    "/api/reviews": ("get", "Uncertain organisation matches waiting for a decision", [], False),
    "/api/reviews/{review_id}": ("post", "Confirm or reject a match", [
        _path("review_id", "the review's number", {"type": "integer", "minimum": 0})], True),
    "/api/openapi.json": ("get", "This document", [], False),
    "/api/me": ("get", "Who is asking: username, role, and a facilitator's scope", [], False),
    "/api/audit": ("get", "The audit log, newest first (admins), and where it was edited", [
        LIMIT, _query("offset", "entries to skip", {"type": "integer", "minimum": 0})], False),
}
PUBLIC = {"/api/health"}

# POST operations take a body; the GET on the same path is kept under a second key below
POSTS = {
    "/api/imports": ("Load uploaded files as one import (dry_run=true: preview only)", {
        "multipart/form-data": {"schema": {"type": "object", "required": ["files"], "properties": {
            "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "format": {"type": "string"}, "community": {"type": "string"},
            "date": {"type": "string", "format": "date"}, "place": {"type": "string"},
            "title": {"type": "string"}, "dry_run": {"enum": ["true", "false"]}}}}}),
}

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


def document() -> dict:
    paths = {}
    for path, (method, summary, parameters, may_404) in OPERATIONS.items():
        responses = {
            "200": {"description": "OK", "content": {"application/json": {"schema": {
                "type": "object"} if path == "/api/openapi.json" else {
                "type": "object", "required": ["ok"],
                "properties": {"ok": {"const": True}}}}}},
            "400": {"description": "A parameter is wrong; the error names it",
                    "content": {"application/json": {"schema": {"$ref":
                                                                "#/components/schemas/Error"}}}},
        }
        if may_404 or path not in PUBLIC:
            responses["404"] = _error("No such thing (or a person you may not see)")
        operation = {"summary": summary, "parameters": parameters, "responses": responses}
        if path in PUBLIC:
            operation["security"] = []
        else:
            responses.update(DENIED)
        if method == "post":
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"type": "object", "required": ["decision"], "properties": {
                    "decision": {"enum": ["confirm", "reject"]}}}}}}
        paths[path] = {method: operation}
    for path, (summary, content) in POSTS.items():
        paths.setdefault(path, {})["post"] = {
            "summary": summary, "requestBody": {"required": True, "content": content},
            "responses": {
                "200": {"description": "What the import did (or would do)", "content": {
                    "application/json": {"schema": {"type": "object", "required": ["ok"]}}}},
                "400": {"description": "A file has problems; each names its row, column and "
                                       "value; nothing was written", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "413": _error("Too large"), **DENIED}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "graphsvc", "version": "1",
                 "description": "Relationship maps for place-based partnerships. Every error "
                                "has one shape: ok, status, error, errors."},
        "paths": paths,
        "security": [{"bearer": []}, {"session": []}],
        "components": {"schemas": {"Error": ERROR}, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "an API token (graphsvc token add, or Your account)"},
            "session": {"type": "apiKey", "in": "cookie", "name": "graphsvc_session",
                        "description": "the session cookie set by signing in at /login"}}},
    }


@bp.get("/api/openapi.json")
def openapi_json():
    return jsonify(document())
