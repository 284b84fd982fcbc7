"""Downloads of the tie networks in the formats other tools open."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template

from graphsvc.errors import InputError
from graphsvc.exports import EXPORT_FORMATS

bp = Blueprint("exports", __name__)
NETWORKS = ("organisations", "people")
# format -> (file name ending, media type, what opens it)
FILES = {
    "graphml": (".graphml", "application/graphml+xml", "Gephi, Cytoscape, yEd, networkx"),
    "gexf": (".gexf", "application/gexf+xml", "Gephi"),
    "json": (".json", "application/json", "D3 and networkx (node-link JSON)"),
    "csv": (".csv", "text/csv", "spreadsheets (one row per tie)"),
    "kumu": ("-kumu.json", "application/json", "Kumu (Import, JSON blueprint)"),
}
assert set(FILES) == set(EXPORT_FORMATS)


def service():
    return current_app.extensions["graphsvc"]


@bp.get("/exports")
def exports_page():
    return render_template("exports.html", files=FILES, networks=NETWORKS,
                           stats=service().stats())


@bp.get("/exports/<network>/<fmt>")
def download(network: str, fmt: str):
    if network not in NETWORKS:
        raise InputError("accepted: " + ", ".join(NETWORKS), column="network", value=network)
    if fmt not in FILES:
        raise InputError("accepted: " + ", ".join(FILES), column="format", value=fmt)
    ending, media, _ = FILES[fmt]
    text = service().export(fmt, network)
    return Response(text, mimetype=media, headers={
        "Content-Disposition": f'attachment; filename="graphsvc-{network}{ending}"'})
