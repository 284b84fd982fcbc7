"""The first page and the API's shape, with the test client and in real Chromium."""

import pytest

from graphsvc.web import create_app, error_body


def test_overview_shows_the_databases_counts(client, demo_service):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    counts = demo_service.store.counts()
    for key in ("organisations", "people", "sessions"):
        assert f'data-count="{key}">{counts[key]:,}<' in html
    assert "1/(n-1)" in html  # the tie rule in force is stated


def test_api_stats_agrees_with_the_service(client, demo_service):
    data = client.get("/api/stats").get_json()
    assert data["ok"] is True
    assert data["counts"] == demo_service.store.counts()
    assert data["ties"]["people"] == len(demo_service.data.ties("people"))


def test_one_json_error_shape(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    body = response.get_json()
    assert set(body) == {"ok", "status", "error", "errors"}
    assert body["ok"] is False and body["status"] == 404
    assert error_body(400, "x") == {"ok": False, "status": 400, "error": "x", "errors": []}


def test_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_create_app_reads_the_database_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHSVC_DATABASE", str(tmp_path / "env.db"))
    app = create_app({"TESTING": True})
    assert app.extensions["graphsvc"].store.url == f"sqlite:{tmp_path / 'env.db'}"
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "test.db")})
    assert app.extensions["graphsvc"].store.url == f"sqlite:{tmp_path / 'test.db'}"


@pytest.mark.browser
def test_overview_in_chromium(live_server, page, demo_service):
    page.goto(live_server + "/")
    page.wait_for_load_state("networkidle")
    counts = {key: int(page.locator(f'[data-count="{key}"]').inner_text().replace(",", ""))
              for key in ("organisations", "people", "sessions", "person-ties", "organisation-ties")}
    assert all(value > 0 for value in counts.values()), counts
    assert counts["people"] == demo_service.store.counts()["people"]
    assert page.title().startswith("Overview")
    assert page.locator("h1").inner_text() == "Partnership overview"
    # the stylesheet is the app's own and applied
    assert page.locator(".masthead").evaluate("e => getComputedStyle(e).backgroundColor") != \
        "rgba(0, 0, 0, 0)"
    assert page.watch.console_errors == []
    assert page.watch.failed == []
    assert page.watch.hosts == {"127.0.0.1"}
