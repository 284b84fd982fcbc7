"""The network explorer: a pyvis network of organisations or people, filtered, with an ego view,
a table of the same nodes, and the same data as JSON and CSV."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, current_app, g, jsonify, render_template, request, send_file

from graphsvc.explore import DEFAULT_LIMIT, SIZE_MEASURES, View, explore
from graphsvc.privacy import redacted, scope_key
from graphsvc.web import params
from graphsvc.web.tables import csv_response

bp = Blueprint("network", __name__)
NETWORKS = ("organisations", "people")


def service():
    return current_app.extensions["graphsvc"]


def current_view() -> View:
    """The explorer's view for these arguments, computed once, as this user may see it."""
    key = ("explore", tuple(sorted(request.args.items())))
    view = service().cached(key, _explore)
    return dataclasses.replace(
        view, nodes=redacted(service(), g.audience, key + ("nodes",), view.nodes),
        edges=redacted(service(), g.audience, key + ("edges",), view.edges))


def _explore() -> View:
    return explore(
        service(), params.choice("network", NETWORKS, "organisations"), as_of=params.as_of(),
        window_months=params.window_months(), borough=request.args.get("borough") or None,
        sector=request.args.get("sector") or None,
        community=request.args.get("community") or None,
        min_weight=params.number("min_weight", 0.0, 0.0, 1e6),
        ego=request.args.get("ego") or None, depth=int(params.choice("depth", ("1", "2"), "1")),
        size_by=params.choice("size_by", SIZE_MEASURES, "strength"),
        limit=int(params.number("limit", DEFAULT_LIMIT, 1, 2000)))


def _choices() -> dict[str, list[str]]:
    store = service().store
    return {"boroughs": sorted(p.name for p in store.places() if p.kind == "borough"),
            "sectors": sorted(s.name for s in store.sectors()),
            "communities": sorted(c.name for c in store.communities())}


@bp.get("/network")
def network_page():
    from viz.network import sector_styles, vis_data

    view = current_view()
    choices = _choices()
    vis = service().cached(("vis", tuple(sorted(request.args.items())), scope_key(g.audience)),
                            lambda: vis_data(view, choices["sectors"]))
    return render_template("network.html", view=view, vis=vis,
                           styles=sector_styles(choices["sectors"]), choices=choices,
                           measures=SIZE_MEASURES, windows=params.WINDOWS,
                           query=request.args.to_dict(), stats=service().stats())


@bp.get("/api/network")
def api_network():
    view = current_view()
    return jsonify({"ok": True, "network": view.network, "matched": view.matched,
                    "aggregated": view.aggregated, "message": view.message,
                    "nodes": view.nodes, "edges": view.edges, "description": view.description})


@bp.get("/network.csv")
def network_csv():
    view = current_view()
    return csv_response(["id", "name", "sector", "borough", "size", "betweenness", "broker"],
                        view.nodes, f"network-{view.network}.csv")


@bp.get("/vendor/<name>")
def vendor(name: str):
    from viz.network import vis_asset

    try:
        path = vis_asset(name)
    except FileNotFoundError:
        from werkzeug.exceptions import NotFound

        raise NotFound() from None
    return send_file(path, max_age=86400)
