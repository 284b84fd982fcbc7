"""Imports and the review list of uncertain organisation matches.

(Sign-in, roles and CSRF protection for these forms come with the privacy and security work;
until then the app serves 127.0.0.1 only, by default.)
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for

from graphsvc.errors import InputError
from graphsvc.web.auth import audit

bp = Blueprint("imports", __name__)


def _store():
    return current_app.extensions["graphsvc"].store


def _reviews() -> list[dict]:
    names = {o.id: o.name for o in _store().organisations()}
    return [{"id": r.id, "name": r.name, "new_id": r.new_id, "candidate_id": r.candidate_id,
             "candidate": names.get(r.candidate_id, ""), "score": r.score, "status": r.status}
            for r in _store().reviews()]


def _decide(review_id: int, decision: str):
    if decision not in ("confirm", "reject"):
        raise InputError("the decision must be confirm or reject", column="decision",
                         value=decision)
    decided = _store().decide_review(review_id, confirm=decision == "confirm")
    audit("review", str(review_id), decision=decided.status, name=decided.name,
          candidate=decided.candidate_id)
    return decided


@bp.get("/imports")
def imports_page():
    return render_template("imports.html", imports=_store().imports(),
                           pending=len(_store().reviews()), done=request.args.get("done"),
                           stats=current_app.extensions["graphsvc"].stats())


@bp.get("/api/imports")
def api_imports():
    return jsonify({"ok": True, "imports": [
        {"id": r.id, "loaded_at": r.loaded_at, "undone_at": r.undone_at, "counts": r.counts,
         "files": [{"source": f.source, "sha256": f.sha256, "format": f.format, "rows": f.rows}
                   for f in r.files]} for r in _store().imports()]})


@bp.get("/review")
def review_page():
    return render_template("review.html", reviews=_reviews(), done=request.args.get("done"),
                           stats=current_app.extensions["graphsvc"].stats())


@bp.post("/review/<int:review_id>")
def review_decide(review_id: int):
    decided = _decide(review_id, request.form.get("decision", ""))
    return redirect(url_for("imports.review_page", done=f"{decided.name}: {decided.status}"))


@bp.get("/api/reviews")
def api_reviews():
    return jsonify({"ok": True, "reviews": _reviews()})


@bp.post("/api/reviews/<int:review_id>")
def api_review_decide(review_id: int):
    body = request.get_json(silent=True) or {}
    decided = _decide(review_id, str(body.get("decision", "")))
    return jsonify({"ok": True, "id": decided.id, "status": decided.status})
