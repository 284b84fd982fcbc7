"""Borough, organisation and person pages, each with a JSON twin."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request

from graphsvc.profiles import borough_profile, node_profile
from graphsvc.privacy import redacted
from graphsvc.web import params

bp = Blueprint("profiles", __name__)
COMPONENTS = {
    "ties_per_organisation": "Ties per organisation (scaled)",
    "cross_sector_share": "Cross-sector share",
    "statutory_vcse_share": "Statutory-VCSE share",
    "lived_experience_inclusion": "Lived-experience inclusion",
    "local_ownership": "Local ownership",
    "senior_involvement": "Senior involvement",
}


def service():
    return current_app.extensions["graphsvc"]


def _borough(name: str) -> dict:
    question = (name, params.as_of(), params.window_months())
    return redacted(service(), g.audience, ("borough", *question),
                    borough_profile(service(), *question[:1], as_of=question[1],
                                    window_months=question[2]))


@bp.get("/boroughs/<name>")
def borough_page(name: str):
    from viz.charts import bar_chart

    profile = _borough(name)
    trend = profile["trend"][-12:]
    charts = {key: bar_chart([q["quarter"] for q in trend], [q[key] for q in trend],
                             f"{label} per quarter in {profile['borough']}")
              for key, label in (("sessions", "Sessions"), ("new_ties", "New ties"))}
    return render_template("borough.html", profile=profile, components=COMPONENTS,
                           charts=charts, trend=trend, query=request.args.to_dict(),
                           windows=params.WINDOWS, stats=service().stats())


@bp.get("/api/boroughs/<name>")
def api_borough(name: str):
    return jsonify({"ok": True, **_borough(name)})


def _node(node_id: str) -> dict:
    profile = node_profile(service(), node_id, as_of=params.as_of(),
                           window_months=params.window_months())
    return g.audience.redact(profile) if g.user.role != "admin" else profile


@bp.get("/organisations/<path:node_id>")
def organisation_page(node_id: str):
    return render_template("profile.html", profile=_node(node_id), stats=service().stats(),
                           query=request.args.to_dict(), windows=params.WINDOWS)


@bp.get("/people/<path:node_id>")
def person_page(node_id: str):
    return render_template("profile.html", profile=_node(node_id), stats=service().stats(),
                           query=request.args.to_dict(), windows=params.WINDOWS)


@bp.get("/api/nodes/<path:node_id>")
def api_node(node_id: str):
    return jsonify({"ok": True, **_node(node_id)})
