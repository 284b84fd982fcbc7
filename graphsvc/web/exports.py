"""Downloads of the tie networks in the formats other tools open."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, render_template, request

from graphsvc.errors import InputError
from graphsvc.exports import EXPORT_FORMATS
from graphsvc.web import params
from graphsvc.web.routes import route

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


@route(bp, "/exports", role="viewer")
def exports_page():
    """The downloads, for the date and window chosen (by default the pages' own)."""
    svc, window = service(), params.window_months()
    as_of = svc.views.date_in_force(g.user, params.as_of())
    # the people network is for admins (Views.export refuses it to anyone else)
    networks = NETWORKS if g.user.role == "admin" else ("organisations",)
    query = request.args.to_dict()
    # the links carry what a download reads (its date and window), not the page's other words
    kept = {name: query[name] for name in ("as_of", "window") if name in query}
    return render_template("exports.html", files=FILES, networks=networks,
                           stats=svc.views.counts(g.user), windows=params.WINDOWS,
                           query=query, kept=kept, as_of=as_of, window_months=window)


@route(bp, "/exports/attendance.csv", role="admin",
       summary="The cleaned attendance: one row per person per session, names and emails "
               "included (admins; audited)")
def attendance():
    return Response(service().views.export_attendance(g.user), mimetype="text/csv",
                    headers={"Content-Disposition":
                             'attachment; filename="graphsvc-attendance.csv"'})


@route(bp, "/exports/<network>/<fmt>", role="viewer",
       role_for=lambda args: "admin" if args.get("network") == "people" else None)
def download(network: str, fmt: str):
    if fmt not in FILES:
        raise InputError("accepted: " + ", ".join(FILES), column="format", value=fmt)
    export = service().views.export(g.user, fmt, network, as_of=params.as_of(),
                                    window_months=params.window_months())
    ending, media, _ = FILES[fmt]
    return Response(export.text, mimetype=media, headers={
        "Content-Disposition": f'attachment; filename="{export.name}{ending}"'})
