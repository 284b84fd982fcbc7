"""Admin pages: users and their API tokens, the audit log (read only), consent and erasure."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for

from graphsvc.accounts import ROLES
from graphsvc.errors import GraphsvcError, NotFound
from graphsvc.web import params
from graphsvc.web.routes import route

bp = Blueprint("admin", __name__)


def service():
    return current_app.extensions["graphsvc"]


def _lines(field: str) -> list[str]:
    return [v.strip() for v in request.form.get(field, "").replace(";", "\n").splitlines()
            if v.strip()]


@route(bp, "/admin/users", role="admin")
def users_page(error: str | None = None, status: int = 200):
    access = service().access
    return render_template("users.html", users=access.users(g.user),
                           tokens=access.tokens(g.user, everyone=True), roles=ROLES,
                           error=error), status


@route(bp, "/admin/users", role="admin", methods=("POST",))
def add_user():
    form = request.form
    try:
        service().access.add_user(g.user, form.get("username", ""), form.get("password", ""),
                                  form.get("role", ""), communities=_lines("communities"),
                                  boroughs=_lines("boroughs"))
    except GraphsvcError as exc:
        return users_page(str(exc), 400)
    return redirect(url_for("admin.users_page"))


@route(bp, "/admin/users/<username>/remove", role="admin", methods=("POST",))
def remove_user(username: str):
    try:
        service().access.remove_user(g.user, username)
    except GraphsvcError as exc:
        return users_page(str(exc), 404 if "no user" in str(exc) else 400)
    return redirect(url_for("admin.users_page"))


@route(bp, "/admin/tokens/<int:token_id>/revoke", role="admin", methods=("POST",))
def revoke_token(token_id: int):
    service().access.revoke_token(g.user, token_id)
    return redirect(url_for("admin.users_page"))


def _entries() -> list[dict]:
    limit = int(params.number("limit", 200, 1, 1000))
    return service().access.audit_entries(g.user, limit,
                                          int(params.number("offset", 0, 0, 10**9)))


@route(bp, "/admin/audit", role="admin")
def audit_page():
    return render_template("audit.html", entries=_entries(),
                           broken=service().access.audit_problem(g.user))


@route(bp, "/api/audit", role="admin",
       summary="The audit log, newest first (admins), and where it was edited",
       params=(params.LIMIT, params.query("offset", "entries to skip",
                                          {"type": "integer", "minimum": 0})))
def api_audit():
    return jsonify({"ok": True, "entries": _entries(),
                    "problem": service().access.audit_problem(g.user)})


@route(bp, "/admin/forget", role="admin", methods=("GET", "POST"))
def forget_page():
    """Find the person (id, email or full name); change their consent, or erase them (also
    someone no longer in the database, from the files)."""
    records = service().records
    text = (request.values.get("person") or "").strip()[:320]
    person = report = error = None
    unknown = False
    if text:
        try:
            person = records.find_person(g.user, text)
        except NotFound as exc:
            error, unknown = str(exc), True
        except GraphsvcError as exc:
            error = str(exc)
    if person is not None and request.method == "POST" and request.form.get("consent"):
        records.consent(g.user, person.id, request.form["consent"])
        person = records.find_person(g.user, person.id)
    elif request.method == "POST" and request.form.get("confirm") and (person or unknown):
        report = records.forget(g.user, person.id if person else text)
        person, error, unknown = None, None, False
    return render_template("forget.html", text=text, person=person, report=report,
                           error=error, unknown=unknown), (
        400 if error and request.method == "POST" else 200)
