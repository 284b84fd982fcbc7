"""The first page: what the database holds."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

bp = Blueprint("overview", __name__)


def service():
    return current_app.extensions["graphsvc"]


@bp.get("/")
def index():
    return render_template("index.html", stats=service().stats())


@bp.get("/api/stats")
def api_stats():
    return jsonify({"ok": True, **service().stats()})


@bp.get("/api/health")
def health():
    return jsonify({"ok": True, "revision": service().store.revision()})
