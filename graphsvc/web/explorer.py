"""The network explorer: a pyvis network of organisations or people, filtered, with an ego view,
a table of the same nodes, and the same data as JSON and CSV."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request, send_file

from graphsvc.analyses.explore import DEFAULT_LIMIT, SIZE_MEASURES, View
from graphsvc.web import background, params
from graphsvc.web.routes import route
from graphsvc.web.tables import csv_response

bp = Blueprint("network", __name__)
NETWORKS = ("organisations", "people")
PARAMS = (
    params.NETWORK, *params.WINDOW,
    params.query("borough", "keep nodes in this borough", {"type": "string"}),
    params.query("sector", "keep nodes of this sector", {"type": "string"}),
    params.query("community", "keep nodes mostly in this community", {"type": "string"}),
    params.query("min_weight", "drop weaker ties", {"type": "number", "minimum": 0,
                                                     "maximum": 1000}),
    params.query("ego", "one node's id: it and its neighbours", {"type": "string"}),
    params.query("depth", "the ego view's depth", {"enum": ["1", "2"]}),
    params.query("size_by", "node size", {"enum": list(SIZE_MEASURES)}),
    params.query("limit", "most nodes to draw one by one", {"type": "integer", "minimum": 1,
                                                           "maximum": 2000}))


def service():
    return current_app.extensions["graphsvc"]


def question() -> tuple[str, dict]:
    """The network and the filters, read and checked from the query string."""
    return params.choice("network", NETWORKS, "organisations"), dict(
        as_of=params.as_of(), window_months=params.window_months(),
        borough=request.args.get("borough") or None, sector=request.args.get("sector") or None,
        community=request.args.get("community") or None,
        min_weight=params.number("min_weight", 0.0, 0.0, 1e6),
        ego=request.args.get("ego") or None, depth=int(params.choice("depth", ("1", "2"), "1")),
        size_by=params.choice("size_by", SIZE_MEASURES, "strength"),
        limit=int(params.number("limit", DEFAULT_LIMIT, 1, 2000)))


def current_view() -> View:
    network, filters = question()
    return service().views.explore(g.user, network, **filters)


SIZE_LABELS = {"strength": "Tie strength (sessions shared)", "ties": "Number of ties",
               "betweenness": "Routes between others through it (betweenness)"}
PAGE_ROWS = 25  # the node table shows this many rows a page (the script pages it)


@route(bp, "/network", role="viewer")
def network_page():
    network, filters = question()
    views = service().views
    background.wait(lambda: views.explore_work(g.user, network, **filters),
                    f"the network of {network}")
    view = views.explore(g.user, network, **filters)
    from viz.interactive import LABELLED, UNKNOWN, sector_colours

    largest_first = sorted(view.nodes, key=lambda n: -(n.get("size") or 0.0))
    return render_template(
        "network.html", view=view, rows=largest_first, page_rows=PAGE_ROWS,
        ego=next((n for n in view.nodes if n.get("ego")), None),
        vis=views.drawing(g.user, network, **filters),
        colours=sector_colours(views.choices(g.user)["sectors"]), unknown=UNKNOWN,
        groups=views.groups(g.user), size_labels=SIZE_LABELS, labelled=LABELLED,
        windows=params.WINDOWS, query=request.args.to_dict(), stats=views.counts(g.user))


@route(bp, "/api/network", role="viewer", summary="The network explorer's nodes and ties",
       params=PARAMS, may_404=True, responses=params.NOTHING_LOADED)
def api_network():
    view = current_view()
    return jsonify({"ok": True, "network": view.network, "matched": view.matched,
                    "aggregated": view.aggregated, "message": view.message,
                    "nodes": view.nodes, "edges": view.edges, "description": view.description})


@route(bp, "/network.csv", role="viewer")
def network_csv():
    view = current_view()
    return csv_response(["id", "name", "sector", "borough", "size", "betweenness", "broker"],
                        view.nodes, f"network-{view.network}.csv")


@route(bp, "/vendor/<name>", role="viewer")
def vendor(name: str):
    from viz.interactive import vis_asset

    try:
        path = vis_asset(name)
    except FileNotFoundError:
        from werkzeug.exceptions import NotFound

        raise NotFound() from None
    return send_file(path, max_age=86400)
