"""The OpenAPI document matches the routes, and schemathesis finds no operation that errors,
answers outside its documented statuses, or breaks the one error shape."""

from __future__ import annotations

import re
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import build, make_app


def test_every_api_route_is_documented_and_nothing_else(app, client):
    document = client.get("/api/openapi.json").get_json()
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routes


@pytest.fixture(scope="module")
def fuzzed_app(demo_database, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(demo_database, folder / "demo.db")
    return make_app(build(folder / "demo.db"), folder)


def labels() -> list[str]:
    from graphsvc.web import blueprints
    from graphsvc.web.openapi import document

    blueprints()
    return sorted(f"{method.upper()} {path}" for path, ops in document()["paths"].items()
                  for method in ops)


LABELS = labels()


@pytest.fixture(scope="module")
def fuzzed_schema(fuzzed_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", fuzzed_app,
                                          headers=admin_headers(fuzzed_app))


def admin_headers(app) -> dict:
    _, secret = app.extensions["accounts"].issue_token("admin", "schemathesis")
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("label", LABELS)
def test_each_operation_keeps_its_document(fuzzed_schema, fuzzed_app, label):
    """Generated calls (valid and invalid) get no 500, only documented statuses and content
    types, bodies that match the document, and the one error shape. (Not checked: that every
    schema-valid call succeeds; a group such as ``a=...`` must also name something.)"""
    operation = fuzzed_schema.find_operation_by_label(label)
    headers = admin_headers(fuzzed_app)

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck),
              database=None, derandomize=True)
    def call(case):
        response = case.call_and_validate(
            headers=headers, excluded_checks=[schemathesis.checks.positive_data_acceptance])
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"ok", "status", "error", "errors"} and body["ok"] is False

    call()
