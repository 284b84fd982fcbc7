"""Admin pages: users and their API tokens, the audit log (read only), and erasure."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for

from graphsvc.accounts import ROLES
from graphsvc.erasure import find_person, forget
from graphsvc.errors import GraphsvcError
from graphsvc.web import params

bp = Blueprint("admin", __name__)


def accounts():
    return current_app.extensions["accounts"]


def _lines(field: str) -> list[str]:
    return [v.strip() for v in request.form.get(field, "").replace(";", "\n").splitlines()
            if v.strip()]


@bp.get("/admin/users")
def users_page(error: str | None = None, status: int = 200):
    return render_template("users.html", users=accounts().users(), tokens=accounts().tokens(),
                           roles=ROLES, error=error), status


@bp.post("/admin/users")
def add_user():
    form = request.form
    try:
        made = accounts().add_user(form.get("username", ""), form.get("password", ""),
                                   form.get("role", ""), communities=_lines("communities"),
                                   boroughs=_lines("boroughs"))
    except GraphsvcError as exc:
        return users_page(str(exc), 400)
    accounts().audit(g.user.username, "user added", made.username, role=made.role)
    return redirect(url_for("admin.users_page"))


@bp.post("/admin/users/<username>/remove")
def remove_user(username: str):
    if username == g.user.username:
        return users_page("You cannot remove yourself: ask another admin.", 400)
    accounts().remove_user(username)
    accounts().audit(g.user.username, "user removed", username)
    return redirect(url_for("admin.users_page"))


@bp.post("/admin/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    accounts().revoke_token(token_id)
    accounts().audit(g.user.username, "token revoked", str(token_id))
    return redirect(url_for("admin.users_page"))


def _entries() -> list[dict]:
    limit = int(params.number("limit", 200, 1, 1000))
    return accounts().audit_entries(limit, int(params.number("offset", 0, 0, 10**9)))


@bp.get("/admin/audit")
def audit_page():
    return render_template("audit.html", entries=_entries(), broken=accounts().verify())


@bp.get("/api/audit")
def api_audit():
    return jsonify({"ok": True, "entries": _entries(), "edited_at": accounts().verify()})


@bp.route("/admin/forget", methods=["GET", "POST"])
def forget_page():
    """Find the person (id, email or full name); change their consent, or erase them."""
    service = current_app.extensions["graphsvc"]
    text = (request.values.get("person") or "").strip()
    person = report = error = None
    if text:
        try:
            person = find_person(service.store, text)
        except GraphsvcError as exc:
            error = str(exc)
    if person is not None and request.method == "POST" and request.form.get("consent"):
        service.store.set_consent(person.id, request.form["consent"])
        accounts().audit(g.user.username, "consent", person.id,
                         consent=request.form["consent"])
        person = find_person(service.store, person.id)
    elif person is not None and request.method == "POST" and request.form.get("confirm"):
        report = forget(service, person.id)
        accounts().audit(g.user.username, "erasure", person.id,
                         **{k: v for k, v in report.items() if k != "person"})
        person = None
    return render_template("forget.html", text=text, person=person, report=report,
                           error=error), 400 if error and request.method == "POST" else 200
