"""The first page: a map of the boroughs coloured by a figure the user picks, the headline
numbers and their trend, with the same figures as JSON and CSV."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request

from graphsvc.web import background, params
from graphsvc.web.routes import PUBLIC, route
from graphsvc.web.tables import csv_response

bp = Blueprint("overview", __name__)

# metric -> (label, how to read it from a borough's strength row, how to show it)
METRICS = {
    "index": ("Strength index (0 to 100)", lambda r: r["index"], "{:.1f}"),
    "organisations": ("Active organisations", lambda r: r["organisations"], "{:,.0f}"),
    "people": ("People taking part", lambda r: r["people"], "{:,.0f}"),
    "sessions": ("Sessions held", lambda r: r["sessions"], "{:,.0f}"),
    "sessions_attended": ("Sessions attended from the borough", lambda r: r["sessions_attended"],
                          "{:,.0f}"),
    "attendance_per_person": ("Sessions attended per person",
                              lambda r: r["attendance_per_person"], "{:,.2f}"),
    "ties_per_organisation": ("Ties per organisation", lambda r: r["ties_per_organisation"],
                              "{:,.1f}"),
    "cross_sector_share": ("Cross-sector share of ties", lambda r: r["cross_sector_share"],
                           "{:.1%}"),
    "statutory_vcse_share": ("Statutory-VCSE share of ties",
                             lambda r: r["statutory_vcse_share"], "{:.1%}"),
    "lived_experience_inclusion": ("Lived-experience inclusion (0 to 1 across the boroughs)",
                                   lambda r: r["components"]["lived_experience_inclusion"],
                                   "{:.2f}"),
    "local_ownership": ("Sessions attended that were led from the borough",
                        lambda r: r["local_ownership"], "{:.1%}"),
    "senior_involvement": ("Senior involvement", lambda r: r["senior_involvement"], "{:.1%}"),
}


def service():
    return current_app.extensions["graphsvc"]


def shapes():
    """The borough shapes, read once per app (the configured boundaries, or the tiles)."""
    from viz.maps import read_shapes, tile_shapes

    cached = current_app.extensions.get("graphsvc.shapes")
    if cached is None:
        path = current_app.config["SETTINGS"].boundaries
        if path:
            names = {code: name for name, code in service().views.choices(g.user)["boroughs"]}
            cached = read_shapes(path, names)
        else:
            cached = tile_shapes()
        current_app.extensions["graphsvc.shapes"] = cached
    return cached


def overview_data() -> dict:
    """Everything the page shows, as the API gives it."""
    metric = params.choice("metric", METRICS, "index")
    label, read, shown = METRICS[metric]
    result = service().analyses.run(g.user, "strength", as_of=params.as_of(),
                                    window_months=params.window_months())
    codes = dict(service().views.choices(g.user)["boroughs"])
    rows = []
    for row in result["boroughs"]:
        value = read(row)
        rows.append({"code": codes.get(row["borough"]), "borough": row["borough"],
                     "value": value, "shown": "no data" if value is None else shown.format(value),
                     "index": row["index"]})
    return {"ok": True, "metric": metric, "label": label, "as_of": str(result["as_of"]),
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
    from viz.maps import render_svg

    svc, as_of, window, user = service(), params.as_of(), params.window_months(), g.user
    params.choice("metric", METRICS, "index")
    question = {"as_of": as_of, "window_months": window}
    key = svc.analyses.key("strength", **question)
    if not background.ready(key, svc.analyses.ready("strength", **question),
                            lambda: svc.analyses.compute("strength", **question)):
        # counts only: stats would project both tie networks, the very work being waited on
        return render_template("computing.html", stats=svc.views.counts(user))
    data = overview_data()
    values = {r["code"]: r["value"] for r in data["boroughs"]}
    svg, legend = render_svg(shapes(), values, f"{data['label']} by borough",
                             {r["code"]: r["shown"] for r in data["boroughs"]})
    shown = METRICS[data["metric"]][2]
    classes = [(_class_label(shown, lo, hi, first=i == 0), colour)
               for i, (lo, hi, colour) in enumerate(legend.classes)]
    return render_template("index.html", data=data, stats=data["stats"], svg=svg,
                           classes=classes, missing=legend.missing, metrics=METRICS,
                           windows=params.WINDOWS, attribution=shapes().attribution,
                           query=request.args.to_dict())


def _class_label(shown: str, low: float, high: float, first: bool) -> str:
    low_text, high_text = shown.format(low), shown.format(high)
    if first:
        return high_text if low_text == high_text else f"{low_text} to {high_text}"
    return f"over {low_text} to {high_text}"


@route(bp, "/api/overview", role="viewer", summary="Each borough's figure for the overview map",
       params=(params.query("metric", "the figure", {"enum": list(METRICS)}), *params.WINDOW))
def api_overview():
    data = overview_data()
    return jsonify(data)


@route(bp, "/overview.csv", role="viewer")
def overview_csv():
    data = overview_data()
    return csv_response(["code", "borough", "value", "index"], data["boroughs"],
                        f"overview-{data['metric']}-{data['as_of']}.csv")


@route(bp, "/api/stats", role="viewer",
       summary="Counts of everything, and of the tie networks")
def api_stats():
    return jsonify({"ok": True, **service().views.stats(g.user)})


@route(bp, "/api/health", role=PUBLIC, summary="Is the service up; the database revision")
def health():
    return jsonify({"ok": True, "revision": service().views.revision()})
