"""Tie networks as files other tools open: GraphML and GEXF (Gephi), node-link JSON, CSV, and
Kumu's JSON import (a "blueprint" of elements and connections).

Every export states the projection rule in force and the ties it holds (the date and the
activity window, as the pages show them), as graph attributes, or columns in CSV.
"""

from __future__ import annotations


import csv
import io
import json
import re

import networkx as nx

from graphsvc.errors import InputError
from graphsvc.ties import TieNetwork

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv", "kumu")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_networkx(ties: TieNetwork, nodes: dict[str, dict]) -> nx.Graph:
    """An ``nx.Graph`` with every node of the network (tied or not) and its attributes."""
    graph = nx.Graph(**{k: ("" if v is None else str(v)) for k, v in ties.describe().items()})
    for node_id in ties.node_ids:
        graph.add_node(node_id, **nodes.get(node_id, {}))
    graph.add_edges_from(ties.edges())
    return graph


def export_graph(nodes: list[dict], edges: list[dict], description: dict) -> nx.Graph:
    """An ``nx.Graph`` of a network as one audience may see it (:mod:`graphsvc.service.present`):
    each node labelled (``label``, which Gephi and yEd show) by its name, else by its id (an
    anonymous token for someone not named to this audience), and ``description`` (the rule,
    the date and the window) as graph attributes."""
    graph = nx.Graph(**{k: ("" if v is None else str(v)) for k, v in description.items()})
    for node in nodes:
        graph.add_node(node["id"], label=node.get("name") or node["id"],
                       **{k: v for k, v in node.items() if k != "id"})
    for edge in edges:
        graph.add_edge(edge["from"], edge["to"],
                       **{k: v for k, v in edge.items() if k not in ("from", "to")})
    return graph


def window_in_words(as_of: str, window_months: int | None) -> str:
    """The ties an export holds, as the pages' "as of" and window say it.

    >>> window_in_words("2025-03-03", 18), window_in_words("2025-03-03", None)
    ('ties last seen in the 18 months to 2025-03-03', 'every tie up to 2025-03-03 (all time)')
    """
    if not window_months:
        return f"every tie up to {as_of} (all time)"
    return f"ties last seen in the {window_months} months to {as_of}"


def _scalar_attributes(graph: nx.Graph) -> nx.Graph:
    """GraphML and GEXF take only scalars: ``None`` becomes ``""``, lists join with ``;``."""
    clean = graph.copy()
    for _, data in clean.nodes(data=True):
        for key, value in list(data.items()):
            if value is None:
                data[key] = ""
            elif isinstance(value, (list, tuple)):
                data[key] = ";".join(map(str, value))
    return clean


_AFTER_SEPARATOR = re.compile(r"([;,\t])(?=[=+\-@\t\r])")


def neutralise(value):
    """Text a spreadsheet would run as a formula is made text: a leading apostrophe, and one
    after any ``;``, ``,`` or tab that a formula could follow (a spreadsheet that splits a
    cell on them would see ``Name;=1+1`` as a second cell holding a formula).

    >>> neutralise("=1+1"), neutralise("Name;=1+1;"), neutralise("Bolton, Bury"), neutralise(3)
    ("'=1+1", "Name;'=1+1;", 'Bolton, Bury', 3)
    """
    if not isinstance(value, str):
        return value
    value = _AFTER_SEPARATOR.sub(r"\1'", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_text(graph: nx.Graph, fmt: str) -> str:
    """The network in one of :data:`EXPORT_FORMATS`, as text."""
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="links"), indent=1, default=str)
    if fmt == "csv":
        return _edges_csv(graph)
    if fmt == "kumu":
        return json.dumps(kumu_blueprint(graph), indent=1)
    if fmt not in EXPORT_FORMATS:
        raise InputError("unknown export format; accepted: " + ", ".join(EXPORT_FORMATS),
                         column="--format", value=fmt)
    if fmt == "gexf":
        return _gexf(_scalar_attributes(graph))
    buffer = io.BytesIO()
    nx.write_graphml(_scalar_attributes(graph), buffer)
    return buffer.getvalue().decode("utf-8")


def _gexf(graph: nx.Graph) -> str:
    """GEXF keeps no graph attributes, so the rule goes in the file's meta description."""
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    meta = writer.xml.find("meta")
    SubElement(meta, "description").text = _described(graph)
    writer.add_graph(graph)
    return str(writer)


def _edges_csv(graph: nx.Graph) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source_id", "source_name", "target_id", "target_name", "weight",
                     "shared_sessions", "first_seen", "last_seen", "projection_rule", "ties"])
    rule, window = graph.graph.get("rule", ""), graph.graph.get("ties", "")
    for u, v, data in graph.edges(data=True):
        writer.writerow([neutralise(x) for x in (
            u, graph.nodes[u].get("name", ""), v, graph.nodes[v].get("name", ""),
            repr(data["weight"]), data.get("sessions", ""), data.get("first_seen", ""),
            data.get("last_seen", ""), rule, window,
        )])
    return buffer.getvalue()


def kumu_blueprint(graph: nx.Graph) -> dict:
    """Kumu's JSON import: ``elements`` with a label each, ``connections`` from label to label.

    Kumu joins connections to elements by label, so a label two nodes share gets the node's id
    after it; people not named are labelled by their (anonymous) id.
    """
    labels: dict[str, str] = {}
    taken: dict[str, int] = {}
    for node, data in graph.nodes(data=True):
        label = data.get("name") or node
        taken[label] = taken.get(label, 0) + 1
        labels[node] = label
    elements = []
    for node, data in graph.nodes(data=True):
        if taken[labels[node]] > 1:
            labels[node] = f"{labels[node]} ({node})"
        elements.append({
            "label": labels[node],
            "type": "Person" if data.get("kind") == "person" else "Organisation",
            "graphsvc id": node, "sector": data.get("sector") or "",
            "borough": data.get("borough") or "", "community": data.get("community") or "",
        })
    connections = [{
        "from": labels[u], "to": labels[v], "type": "Shared sessions", "direction": "undirected",
        "strength": data["weight"], "shared sessions": data.get("sessions"),
        "first met": data.get("first_seen"), "last met": data.get("last_seen"),
    } for u, v, data in graph.edges(data=True)]
    return {"elements": elements, "connections": connections,
            "description": _described(graph)}


def _described(graph: nx.Graph) -> str:
    """The network, its rule and (when stated) the ties it holds, in one line."""
    ties = graph.graph.get("ties")
    return (f"graphsvc {graph.graph.get('network', '')} network; {graph.graph.get('rule', '')}"
            + (f"; {ties}" if ties else ""))


ATTENDANCE_COLUMNS = ("date", "session", "community", "place", "person_id", "name", "email",
                      "organisation", "minutes", "role")


def attendance_csv(reads) -> str:
    """The cleaned attendance, one row per person per session, oldest session first, in the
    columns of :data:`ATTENDANCE_COLUMNS`; cells a spreadsheet would run are made text.
    ``reads`` gives ``sessions``, ``people``, ``organisations``, ``communities``, ``places`` and
    ``attendance`` (a store, or the service's cached reads)."""
    sessions = {s.id: s for s in reads.sessions()}
    people = {p.id: p for p in reads.people()}
    organisations = {o.id: o.name for o in reads.organisations()}
    communities = {c.id: c.name for c in reads.communities()}
    places = {p.id: p.name for p in reads.places()}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ATTENDANCE_COLUMNS)
    rows = sorted(reads.attendance(), key=lambda a: (sessions[a.session_id].held_on,
                                                     a.session_id, a.person_id))
    for row in rows:
        session, person = sessions[row.session_id], people.get(row.person_id)
        place = "online" if session.online else places.get(session.place_id, "")
        writer.writerow([neutralise(x) for x in (
            session.held_on.isoformat(), session.title,
            communities.get(session.community_id, ""), place, row.person_id,
            person.name if person else "", (person.email or "") if person else "",
            organisations.get(row.organisation_id, ""),
            "" if row.minutes is None else row.minutes, row.role)])
    return out.getvalue()
