"""Signing in and out, API tokens, CSRF, and the check every request passes.

A request is made by a user signed in with a session cookie, or by a script sending
``Authorization: Bearer TOKEN``. Forms posted with a session carry a CSRF token; token
requests carry no cookie, so they need none. Signing in, with its limit on failed tries, and
everything else a user does are use cases of the service (``service.access``).
"""

from __future__ import annotations

import dataclasses
import hmac
import secrets
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, g, jsonify, redirect, render_template, request,
                   session, url_for)

from graphsvc.accounts import User
from graphsvc.service.access import TooManyAttempts
from graphsvc.web import routes
from graphsvc.web.routes import PUBLIC, route

bp = Blueprint("auth", __name__)
DEMO_USER = User("demo", "admin", via="demo")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def service():
    return current_app.extensions["graphsvc"]


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _from_token() -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    user = service().access.user_for_token(header[7:].strip())
    if user is None:
        abort(401, "that API token is not valid (revoked, or never issued)")
    return user


def _from_session() -> User | None:
    """The signed-in user, while their session lasts on the server (signing out, a password
    reset or removal end it there, whatever the cookie still says)."""
    sid = session.get("sid")
    if not sid:
        return None
    user = service().access.session_user(sid)
    if user is None:
        session.clear()
        return None
    return dataclasses.replace(user, via="session", session=session.get("anon", ""))


def guard():
    """Before every request: who is asking, may they, and is a posted form genuine."""
    g.user = DEMO_USER if current_app.config["SETTINGS"].demo else (
        _from_token() or _from_session())
    role = routes.least_role(request.endpoint, request.view_args)
    if role is PUBLIC:
        return _check_csrf()
    if g.user is None:
        if request.path.startswith("/api/"):
            abort(401, "sign in, or send Authorization: Bearer TOKEN")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not g.user.at_least(role):
        abort(403, f"this needs the {role} role; you are a {g.user.role}")
    _refuse_hidden_people()
    return _check_csrf()


def _refuse_hidden_people() -> None:
    service().views.refuse_hidden_people(
        g.user, [*request.args.values(), *(request.view_args or {}).values()])


def _check_csrf():
    if request.method not in UNSAFE or (g.user is not None and g.user.via == "token"):
        return None
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, "the form has expired or did not come from this site: reload and try again")
    return None


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site (browsers read
    ``//host`` and ``/\\host`` as other hosts)."""
    parts = urlsplit(target or "")
    if (not target or parts.scheme or parts.netloc or not target.startswith("/")
            or target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target)):
        return url_for("overview.index")
    return target


@route(bp, "/login", role=PUBLIC, methods=("GET", "POST"))
def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""), error=None)
    username = request.form.get("username", "").strip()
    try:
        signed_in = service().access.sign_in(username, request.form.get("password", ""),
                                             request.remote_addr or "")
    except TooManyAttempts as exc:
        page = render_template("login.html", next=request.form.get("next", "")[:500],
                               error=str(exc))
        return page, 429, {"Retry-After": str(exc.seconds)}
    if signed_in is None:
        return render_template("login.html", next=request.form.get("next", "")[:500],
                               error="That username and password do not match."), 401
    user, sid = signed_in
    session.clear()
    session.permanent = True
    session.update(sid=sid, csrf=secrets.token_urlsafe(32), anon=secrets.token_hex(16))
    return redirect(_safe_next(request.form.get("next")))


@route(bp, "/logout", role="viewer", methods=("POST",))
def logout():
    service().access.sign_out(g.user, session.get("sid", ""))
    session.clear()
    return redirect(url_for("auth.login"))


@route(bp, "/account", role="viewer", methods=("GET", "POST"))
def account():
    """The signed-in user's API tokens: issue one (its secret is shown once) or revoke one."""
    new = None
    access = service().access
    if request.method == "POST":
        if request.form.get("revoke"):
            access.revoke_token(g.user, _token_number(request.form["revoke"]))
        else:
            _, new = access.issue_token(g.user, request.form.get("name", ""))
    return render_template("account.html", tokens=access.tokens(g.user), new=new)


def _token_number(text: str) -> int:
    from graphsvc.errors import InputError

    if not text.strip().isdigit() or len(text.strip()) > 18:
        raise InputError("a token is named by its number", column="revoke", value=text[:50])
    return int(text)


@route(bp, "/api/me", role="viewer",
       summary="Who is asking: username, role, and a facilitator's scope")
def api_me():
    user = g.user
    return jsonify({"ok": True, "username": user.username, "role": user.role,
                    "communities": sorted(user.communities), "boroughs": sorted(user.boroughs)})
