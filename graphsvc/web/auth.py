"""Signing in and out, API tokens, CSRF, and the check every request passes.

A request is made by a user signed in with a session cookie, or by a script sending
``Authorization: Bearer TOKEN``. Forms posted with a session carry a CSRF token; token
requests carry no cookie, so they need none. Failed sign-ins are limited per address and
per username.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import urlencode, urlsplit

from flask import (Blueprint, abort, current_app, g, jsonify, redirect, render_template, request,
                   session, url_for)

from graphsvc.accounts import User
from graphsvc.errors import NotFound
from graphsvc.privacy import audience, person_ids_in
from graphsvc.web import permissions

bp = Blueprint("auth", __name__)
DEMO_USER = User("demo", "admin")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class RateLimit:
    """At most ``attempts`` failed sign-ins per key (address, username) in ``seconds``,
    counted in the accounts file so that every worker process shares them."""

    def __init__(self, accounts, attempts: int = 5, seconds: float = 900.0):
        self.accounts, self.attempts, self.seconds = accounts, attempts, seconds

    def retry_after(self, *keys: str) -> int:
        """Seconds until these keys may try again; 0 when they may now."""
        now, wait = time.time(), 0.0
        for key in keys:
            failures = self.accounts.failures_since(key, now - self.seconds)
            if len(failures) >= self.attempts:
                wait = max(wait, failures[-self.attempts] + self.seconds - now)
        return int(wait) + 1 if wait else 0

    def fail(self, *keys: str) -> None:
        self.accounts.record_failure(keys, time.time())


def accounts():
    return current_app.extensions["accounts"]


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _stamp(username: str) -> str:
    """Changes when the user's password does, ending their other sessions."""
    return hashlib.sha256(accounts().password_hash(username).encode()).hexdigest()[:16]


def _from_token() -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    user = accounts().user_for_token(header[7:].strip())
    if user is None:
        abort(401, "that API token is not valid (revoked, or never issued)")
    g.by_token = True
    return user


def _from_session() -> User | None:
    name = session.get("user")
    if not name:
        return None
    try:
        if hmac.compare_digest(session.get("stamp", ""), _stamp(name)):
            return accounts().user(name)
    except NotFound:
        pass
    session.clear()
    return None


def guard():
    """Before every request: who is asking, may they, and is a posted form genuine."""
    g.by_token = False
    g.user = DEMO_USER if current_app.config["SETTINGS"].demo else (
        _from_token() or _from_session())
    role = permissions.least_role(request.endpoint)
    if g.user is not None:
        g.audience = audience(current_app.extensions["graphsvc"], g.user,
                              current_app.config["ANONYMISE_KEY"])
    if role is None:
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
    """A question about a person this user may not name is answered as if there were no such
    person: an ego view or a bridge from them would show that they take part."""
    if g.user.role == "admin":
        return
    for value in [*request.args.values(), *(request.view_args or {}).values()]:
        for person_id in person_ids_in(str(value)):
            if not g.audience.may_name(person_id):
                abort(404, f"no person {person_id!r} that you may see")


def _check_csrf():
    if request.method not in UNSAFE or g.by_token:
        return None
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, "the form has expired or did not come from this site: reload and try again")
    return None


def audit(action: str, target: str = "", **detail) -> None:
    """Record what the signed-in user (or token) did."""
    accounts().audit(g.user.username, action, target,
                     via="token" if g.get("by_token") else "session", **detail)


FREE_TEXT = ("from", "to", "q", "person")


def audit_personal(response):
    """After a request: record who saw or exported what could name people. Text typed to find
    a person is not kept (it may be a name, and the log cannot be erased); the people it
    resolved to are, by id."""
    user = g.get("user")
    if (user is not None and response.status_code == 200 and user.role != "viewer"
            and permissions.is_personal(request.endpoint)):
        action = "export" if request.endpoint == "exports.download" else "view"
        args = sorted((k, "(text)" if k in FREE_TEXT and not person_ids_in(v) else v)
                      for k, v in request.args.items())
        target = request.path + ("?" + urlencode(args, safe=":=,()") if args else "")
        accounts().audit(user.username, action, target,
                         via="token" if g.by_token else "session",
                         **({"people": g.audit_people} if g.get("audit_people") else {}))
    return response


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site (browsers read
    ``//host`` and ``/\\host`` as other hosts)."""
    parts = urlsplit(target or "")
    if (not target or parts.scheme or parts.netloc or not target.startswith("/")
            or target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target)):
        return url_for("overview.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""), error=None)
    username = request.form.get("username", "").strip()
    keys = (f"address:{request.remote_addr}", f"user:{username.casefold()}")
    limit: RateLimit = current_app.extensions["login_limit"]
    wait = limit.retry_after(*keys)
    if wait:
        accounts().audit(username or "(none)", "login refused", request.remote_addr or "",
                         reason="too many failures")
        page = render_template("login.html", next=request.form.get("next", ""),
                               error=f"Too many failed attempts: try again in {wait} seconds.")
        return page, 429, {"Retry-After": str(wait)}
    user = accounts().check_password(username, request.form.get("password", ""))
    if user is None:
        limit.fail(*keys)
        accounts().audit(username or "(none)", "login failed", request.remote_addr or "")
        return render_template("login.html", next=request.form.get("next", ""),
                               error="That username and password do not match."), 401
    session.clear()
    session.permanent = True
    session.update(user=user.username, stamp=_stamp(user.username),
                   csrf=secrets.token_urlsafe(32))
    accounts().audit(user.username, "login", request.remote_addr or "")
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
def logout():
    if g.user is not None:
        accounts().audit(g.user.username, "logout")
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    """The signed-in user's API tokens: issue one (its secret is shown once) or revoke one."""
    new = None
    if request.method == "POST":
        if request.form.get("revoke"):
            token_id = int(request.form["revoke"])
            if token_id not in {t["id"] for t in accounts().tokens(g.user.username)}:
                abort(404)
            accounts().revoke_token(token_id)
            accounts().audit(g.user.username, "token revoked", str(token_id))
        else:
            name = request.form.get("name", "").strip()[:100] or "script"
            token_id, new = accounts().issue_token(g.user.username, name)
            accounts().audit(g.user.username, "token issued", str(token_id), name=name)
    return render_template("account.html", tokens=accounts().tokens(g.user.username), new=new)


@bp.get("/api/me")
def api_me():
    user = g.user
    return jsonify({"ok": True, "username": user.username, "role": user.role,
                    "communities": sorted(user.communities), "boroughs": sorted(user.boroughs)})
