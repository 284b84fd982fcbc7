"""Signing in, sessions, CSRF, API tokens, rate limiting, production settings, security
headers and the demo mode, against the real app."""

from __future__ import annotations

import re

import pytest

from graphsvc.errors import ConfigurationError
from tests.conftest import ADMIN, USER_PASSWORD, build, make_app, sign_in


def login_form(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_anonymous_requests_are_sent_to_sign_in_except_health(anonymous):
    response = anonymous.get("/brokers?partition=borough")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/brokers")
    assert anonymous.get("/api/brokers").status_code == 401
    assert anonymous.get("/api/brokers").get_json()["ok"] is False
    assert anonymous.get("/api/health").status_code == 200


def test_signing_in_sets_a_protected_cookie_and_goes_back(anonymous):
    token = login_form(anonymous)
    response = anonymous.post("/login", data={"username": "viewer", "password": USER_PASSWORD,
                                              "csrf_token": token, "next": "/gaps"})
    assert response.status_code == 302 and response.headers["Location"] == "/gaps"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert anonymous.get("/gaps").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/steal", "/\\evil.example",
                                    "https://evil.example", "javascript:alert(1)",
                                    "/\t/evil.example"])
def test_sign_in_never_redirects_to_another_site(anonymous, target):
    token = login_form(anonymous)
    response = anonymous.post("/login", data={"username": "viewer", "password": USER_PASSWORD,
                                              "csrf_token": token, "next": target})
    assert response.headers["Location"] == "/"


def test_a_wrong_password_is_refused_and_repeated_failures_are_limited(anonymous, app):
    token = login_form(anonymous)
    for _ in range(5):
        response = anonymous.post("/login", data={"username": "viewer", "password": "nope",
                                                  "csrf_token": token})
        assert response.status_code == 401
    right = anonymous.post("/login", data={"username": "viewer", "password": USER_PASSWORD,
                                           "csrf_token": token})
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0
    actions = [e["action"] for e in app.extensions["accounts"].audit_entries()]
    assert actions.count("login failed") == 5 and "login refused" in actions


def test_forms_need_the_csrf_token_and_tokens_need_none(app):
    client = sign_in(app.test_client(), "admin")
    del client.environ_base["HTTP_X_CSRF_TOKEN"]
    forged = client.post("/admin/users", data={"username": "mallory",
                                               "password": USER_PASSWORD, "role": "admin"})
    assert forged.status_code == 400
    assert "mallory" not in {u.username for u in app.extensions["accounts"].users()}
    with client.session_transaction() as session:
        genuine = session["csrf"]
    made = client.post("/admin/users", data={"username": "carol", "password": USER_PASSWORD,
                                             "role": "viewer", "csrf_token": genuine})
    assert made.status_code == 302
    _, secret = app.extensions["accounts"].issue_token("admin", "script")
    script = app.test_client()
    response = script.post("/api/reviews/999", json={"decision": "confirm"},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 404  # reached the view: no CSRF needed without a cookie


def test_api_tokens_work_until_revoked(app, anonymous):
    accounts = app.extensions["accounts"]
    token_id, secret = accounts.issue_token("viewer", "dashboard")
    headers = {"Authorization": f"Bearer {secret}"}
    assert anonymous.get("/api/me", headers=headers).get_json()["role"] == "viewer"
    assert anonymous.get("/api/imports", headers=headers).status_code == 403
    accounts.revoke_token(token_id)
    assert anonymous.get("/api/me", headers=headers).status_code == 401


def test_a_password_reset_or_removal_ends_existing_sessions(app):
    accounts = app.extensions["accounts"]
    client = sign_in(app.test_client(), "viewer")
    accounts.reset_password("viewer", USER_PASSWORD + "!")
    assert client.get("/api/me").status_code == 401
    other = sign_in(app.test_client(), "facilitator")
    accounts.remove_user("facilitator")
    assert other.get("/gaps").status_code == 302


def test_users_can_issue_and_revoke_their_own_tokens(app):
    client = sign_in(app.test_client(), "viewer")
    page = client.post("/account", data={"name": "my script"}).get_data(as_text=True)
    secret = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    assert app.test_client().get("/api/me", headers={
        "Authorization": f"Bearer {secret}"}).status_code == 200
    token_id = app.extensions["accounts"].tokens("viewer")[0]["id"]
    client.post("/account", data={"revoke": str(token_id)})
    assert app.test_client().get("/api/me", headers={
        "Authorization": f"Bearer {secret}"}).status_code == 401


def test_production_refuses_to_start_without_a_secret_key(demo_service, tmp_path):
    with pytest.raises(ConfigurationError, match="GRAPHSVC_SECRET_KEY"):
        make_app(demo_service, tmp_path, PRODUCTION=True)
    app = make_app(demo_service, tmp_path / "x", PRODUCTION=True, SECRET_KEY="k" * 64)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_every_response_carries_the_security_headers(client, anonymous):
    for response in (client.get("/"), client.get("/api/overview"), anonymous.get("/login"),
                     client.get("/static/style.css"), client.get("/nowhere")):
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "http" not in policy  # no other host is ever allowed
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_demo_mode_is_open_but_only_over_the_demo_data(demo_service, tmp_path):
    app = make_app(demo_service, tmp_path, DEMO=True)
    page = app.test_client().get("/").get_data(as_text=True)
    assert "synthetic data only" in page
    demo_service.imports.load(ADMIN, [_sheet(tmp_path)])
    with pytest.raises(ConfigurationError, match="demo"):
        make_app(demo_service, tmp_path / "again", DEMO=True)


def _sheet(folder):
    path = folder / "real-sign-in.csv"
    path.write_text("Session,Date,Place,Community,Name,Email,Organisation\n"
                    "Monday,2021-03-01,Bolton,Peer support,Real Person,real@example.org,"
                    "Bolton Carers\n")
    return path


def test_behind_a_trusted_proxy_failures_count_per_forwarded_address(demo_service, tmp_path):
    app = make_app(demo_service, tmp_path, PROXIES=1)
    client = app.test_client()
    token = login_form(client)

    def attempt(address: str, username: str):
        return client.post("/login", data={"username": username, "password": "nope",
                                           "csrf_token": token},
                           headers={"X-Forwarded-For": address})

    for n in range(5):
        attempt("203.0.113.9", f"someone{n}")
    assert attempt("203.0.113.9", "someone-else").status_code == 429
    assert attempt("198.51.100.7", "someone-else").status_code == 401


def test_failed_sign_ins_are_counted_across_worker_processes(demo_service, tmp_path):
    """Two app instances over one accounts file stand for two gunicorn workers."""
    from graphsvc.web import create_app

    first = make_app(demo_service, tmp_path)
    second = create_app({"TESTING": True}, service=build(demo_service.store.path,
                                                         accounts=tmp_path / "accounts.db"))
    for n, app in enumerate([first, second] * 3):
        client = app.test_client()
        status = client.post("/login", data={"username": "viewer", "password": "nope",
                                             "csrf_token": login_form(client)}).status_code
        assert status == (401 if n < 5 else 429)
