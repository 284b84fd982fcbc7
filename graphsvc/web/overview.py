"""The first page: a map of the boroughs coloured by a figure the user picks, the headline
numbers and their trend, with the same figures as JSON and CSV."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request, url_for

from graphsvc.web import background, params
from graphsvc.web.measures import MEASURES
from graphsvc.web.routes import PUBLIC, route
from graphsvc.web.tables import csv_response

bp = Blueprint("overview", __name__)

METRICS = MEASURES  # the figures the map can be coloured by, and the table's columns


def service():
    return current_app.extensions["graphsvc"]


def shapes():
    """The borough shapes: the configured boundaries, else Greater Manchester's own when these
    are its boroughs, else the tiles (:func:`viz.shapes.shapes_for`)."""
    from viz.shapes import shapes_for

    settings = current_app.config["SETTINGS"]
    names = {code: name for name, code in service().views.choices(g.user)["boroughs"] if code}
    return shapes_for(settings.boundaries, names, settings.boundaries_attribution)


def overview_data() -> dict:
    """Everything the page shows, as the API gives it: each borough's chosen figure
    (``value``, as shown in ``shown``) and every other figure under its own name."""
    metric = params.choice("metric", METRICS, "index")
    measure = METRICS[metric]
    result = service().analyses.run(g.user, "strength", as_of=params.as_of(),
                                    window_months=params.window_months())
    codes = dict(service().views.choices(g.user)["boroughs"])
    rows = []
    for row in result["boroughs"]:
        value = measure.read(row)
        rows.append({"code": codes.get(row["borough"]), "borough": row["borough"],
                     "value": value, "shown": measure.show(value),
                     **{key: m.read(row) for key, m in METRICS.items()}})
    return {"ok": True, "metric": metric, "label": measure.label, "as_of": str(result["as_of"]),
            "window_months": result["window_months"], "rule": result["rule"],
            "boroughs": rows, "trend": _headline_trend(result["trend"]),
            "stats": service().views.stats(g.user)}


def _headline_trend(trend: dict) -> list[dict]:
    """Sessions held in the boroughs and new ties, quarter by quarter."""
    out = []
    for i, quarter in enumerate(trend["quarters"]):
        cells = [rows[i] for rows in trend["boroughs"].values()]
        out.append({"quarter": quarter, "sessions": sum(c["sessions_held"] for c in cells),
                    "new_ties": sum(c["new_ties"] for c in cells),
                    "new_cross_sector_ties": sum(c["new_cross_sector_ties"] for c in cells)})
    return out


@route(bp, "/", role="viewer")
def index():
    params.choice("metric", METRICS, "index")
    background.wait(lambda: service().analyses.work(g.user, "strength", as_of=params.as_of(),
                                            window_months=params.window_months()), "the figures")
    data = overview_data()
    drawn = shapes()
    svg, legend = _map(data, drawn)
    return render_template("index.html", data=data, stats=data["stats"], svg=svg,
                           legend=legend, metrics=METRICS, windows=params.WINDOWS,
                           attribution=drawn.attribution, query=request.args.to_dict())


def _map(data: dict, drawn):
    """The map of the chosen figure: each borough's area linked to its page."""
    from viz.maps import render_svg

    measure = METRICS[data["metric"]]
    rows = [r for r in data["boroughs"] if r["code"]]
    return render_svg(drawn, {r["code"]: r["value"] for r in rows}, measure.scale,
                      measure=measure.label, shown={r["code"]: r["shown"] for r in rows},
                      links={r["code"]: url_for("profiles.borough_page", name=r["borough"])
                             for r in rows})


@route(bp, "/api/overview", role="viewer", summary="Each borough's figure for the overview map",
       params=(params.query("metric", "the figure", {"enum": list(METRICS)}), *params.WINDOW),
       responses=params.NOTHING_LOADED)
def api_overview():
    data = overview_data()
    return jsonify(data)


@route(bp, "/overview.csv", role="viewer")
def overview_csv():
    data = overview_data()
    return csv_response(["code", "borough", "value", *METRICS], data["boroughs"],
                        f"overview-{data['metric']}-{data['as_of']}.csv")


@route(bp, "/api/stats", role="viewer",
       summary="Counts of everything, and of the tie networks")
def api_stats():
    return jsonify({"ok": True, **service().views.stats(g.user)})


@route(bp, "/api/health", role=PUBLIC, summary="Is the service up; the database revision")
def health():
    return jsonify({"ok": True, "revision": service().views.revision()})
