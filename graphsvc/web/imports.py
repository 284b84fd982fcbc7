"""The imports (undo from the list) and the review list of uncertain organisation matches."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for

from graphsvc.web import params
from graphsvc.web.routes import route

bp = Blueprint("imports", __name__)


def service():
    return current_app.extensions["graphsvc"]


@route(bp, "/imports", role="admin")
def imports_page():
    svc = service()
    return render_template("imports.html", imports=svc.imports.list(g.user),
                           spans=svc.imports.session_spans(g.user),
                           pending=len(svc.records.reviews(g.user)),
                           done=request.args.get("done"), stats=svc.views.stats(g.user))


@route(bp, "/api/imports", role="admin", summary="The imports, newest last")
def api_imports():
    spans = service().imports.session_spans(g.user)
    return jsonify({"ok": True, "imports": [
        {"id": r.id, "loaded_at": r.loaded_at, "undone_at": r.undone_at, "counts": r.counts,
         "sessions": _span(spans.get(r.id)),
         "files": [{"source": f.source, "sha256": f.sha256, "format": f.format, "rows": f.rows}
                   for f in r.files]} for r in service().imports.list(g.user)]})


def _span(span) -> dict:
    """How many sessions an import holds, and the first and last day they were held on."""
    count, first, last = span or (0, None, None)
    return {"count": count, "first": first and first.isoformat(),
            "last": last and last.isoformat()}


@route(bp, "/review", role="admin")
def review_page():
    return render_template("review.html", reviews=service().records.reviews(g.user),
                           done=request.args.get("done"), stats=service().views.stats(g.user))


@route(bp, "/review/<int:review_id>", role="admin", methods=("POST",))
def review_decide(review_id: int):
    decided = service().records.decide(g.user, review_id, request.form.get("decision", ""))
    return redirect(url_for("imports.review_page", done=f"{decided.name}: {decided.status}"))


@route(bp, "/api/reviews", role="admin",
       summary="Uncertain organisation matches waiting for a decision")
def api_reviews():
    return jsonify({"ok": True, "reviews": service().records.reviews(g.user)})


@route(bp, "/api/reviews/<int:review_id>", role="admin", methods=("POST",),
       summary="Confirm or reject a match",
       params=(params.path("review_id", "the review's number",
                           {"type": "integer", "minimum": 0}),),
       body={"application/json": {"schema": {"type": "object", "required": ["decision"],
                                             "properties": {"decision": {
                                                 "enum": ["confirm", "reject"]}}}}},
       may_404=True)
def api_review_decide(review_id: int):
    body = request.get_json(silent=True) or {}
    decided = service().records.decide(g.user, review_id, str(body.get("decision", "")))
    return jsonify({"ok": True, "id": decided.id, "status": decided.status})
