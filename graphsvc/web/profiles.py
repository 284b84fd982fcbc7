"""Borough, organisation and person pages, each with a JSON twin."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request

from graphsvc.analyses.strength_index import COMPONENTS
from graphsvc.web import background, params
from graphsvc.web.routes import route

bp = Blueprint("profiles", __name__)
# how each component's measure reads on the page (shares as percentages)
MEASURE_FORMATS = {"ties_per_organisation": "{:,.1f}", "attendance_per_person": "{:,.2f}"}


def component_rows(strength: dict) -> list[dict]:
    """The strength table: each component's label, its measure and its 0-1 value."""
    rows = []
    for key, (label, measure, _) in COMPONENTS.items():
        try:
            value = measure(strength)
        except (KeyError, TypeError):  # a part withheld from this user
            value = None
        rows.append({"key": key, "label": label[0].upper() + label[1:], "measure": value,
                     "format": MEASURE_FORMATS.get(key, "{:.0%}"),
                     "component": strength["components"].get(key)})
    return rows


# the borough page's trend charts: the figure, its title, and what an empty chart says
TREND_CHARTS = (
    ("sessions_held", "Sessions held in {here}", "No sessions were held in {here}"),
    ("sessions_attended", "Sessions attended from {here}",
     "No one from {here} attended a session"),
    ("new_ties", "New ties", "No new ties were made in {here}"),
)


def service():
    return current_app.extensions["graphsvc"]


def _borough(name: str, page: bool = False) -> dict:
    question = dict(as_of=params.as_of(), window_months=params.window_months())
    if page:
        background.wait(lambda: service().views.borough_work(g.user, name, **question),
                        f"{name}'s page")
    return service().views.borough(g.user, name, **question)


@route(bp, "/boroughs/<name>", role="viewer")
def borough_page(name: str):
    from viz.charts import bar_chart

    profile = _borough(name, page=True)
    trend = profile["trend"][-12:]
    here = profile["borough"]
    charts = []
    for key, label, nothing in TREND_CHARTS:
        values = [q[key] or 0 for q in trend]
        charts.append({"label": label.format(here=here), "empty": nothing.format(here=here),
                       "svg": bar_chart([q["quarter"] for q in trend], values,
                                        f"{label.format(here=here)} per quarter")
                       if any(values) else None})
    return render_template("borough.html", profile=profile,
                           components=component_rows(profile["strength"]), charts=charts,
                           trend=trend, query=request.args.to_dict(), windows=params.WINDOWS,
                           stats=service().views.counts(g.user))


@route(bp, "/api/boroughs/<name>", role="viewer", summary="One borough's profile",
       params=(params.path("name", "the borough's name or ONS code"), *params.WINDOW),
       may_404=True, responses=params.NOTHING_LOADED)
def api_borough(name: str):
    return jsonify({"ok": True, **_borough(name)})


def _node(node_id: str, page: bool = False) -> dict:
    question = dict(as_of=params.as_of(), window_months=params.window_months())
    if page:
        background.wait(lambda: service().views.node_work(g.user, node_id, **question),
                        "this page")
    return service().views.node(g.user, node_id, **question)


def _profile_page(node_id: str):
    return render_template("profile.html", profile=_node(node_id, page=True),
                           stats=service().views.counts(g.user), query=request.args.to_dict(),
                           windows=params.WINDOWS)


@route(bp, "/organisations/<path:node_id>", role="viewer")
def organisation_page(node_id: str):
    return _profile_page(node_id)


@route(bp, "/people/<path:node_id>", role="facilitator")
def person_page(node_id: str):
    return _profile_page(node_id)


@route(bp, "/api/nodes/<path:node_id>", role="viewer",
       summary="An organisation, or a named person (facilitators and admins)",
       params=(params.path("node_id", "org:... or person:..."), *params.WINDOW), may_404=True,
       role_for=lambda args: "facilitator" if args.get("node_id", "").casefold().startswith(
           "person:") else None)
def api_node(node_id: str):
    return jsonify({"ok": True, **_node(node_id)})
