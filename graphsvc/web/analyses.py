"""Pages for the analyses: brokers, sector gaps, the bridge finder, introductions and
communities. Each has a JSON twin under /api/ and a CSV of its table."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request

from graphsvc import analysing
from graphsvc.errors import InputError
from graphsvc.people_finder import finder, fold
from graphsvc.privacy import redacted
from graphsvc.web import params
from graphsvc.web.tables import csv_response

bp = Blueprint("analyses", __name__)
PARTITIONS = ("sector", "borough", "community", "type")
GROUP_KINDS = ("sector", "borough", "community", "id")
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def service():
    return current_app.extensions["graphsvc"]


def _run(name: str, network: str = "organisations", **options) -> dict:
    """The analysis (cached for everyone), as the signed-in user may see it."""
    question = dict(network=network, as_of=params.as_of(), window_months=params.window_months(),
                    **options)
    result = analysing.run(service(), name, **question)
    return redacted(service(), g.audience, analysing.cache_key(service(), name, **question),
                    result)


def _page(template: str, result: dict | None, **extra):
    return render_template(template, result=result, query=request.args.to_dict(),
                           windows=params.WINDOWS, stats=service().stats(), **extra)


# -- brokers -------------------------------------------------------------------------------
def brokers_result() -> dict:
    return _run("brokers", params.choice("network", ("organisations", "people"),
                                         "organisations"),
                partition=params.choice("partition", PARTITIONS, "sector"))


def broker_rows(result: dict) -> list[dict]:
    rows = []
    for node in result["nodes"][:int(params.number("limit", 50, 1, 5000))]:
        row = {k: node[k] for k in ("id", "name", "group", "betweenness", "constraint",
                                    "effective_size", "efficiency", "hierarchy")}
        row.update({f"{role}_z": node["roles"][role]["z"] for role in ROLES})
        rows.append(row)
    return rows


@bp.get("/brokers")
def brokers_page():
    result = brokers_result()
    return _page("brokers.html", result, rows=broker_rows(result), roles=ROLES,
                 partitions=PARTITIONS)


@bp.get("/api/brokers")
def api_brokers():
    result = brokers_result()
    return jsonify({"ok": True, **result, "nodes": result["nodes"][:int(
        params.number("limit", 50, 1, 5000))]})


@bp.get("/brokers.csv")
def brokers_csv():
    rows = broker_rows(brokers_result())
    return csv_response(list(rows[0]) if rows else ["id"], rows, "brokers.csv")


# -- gaps -----------------------------------------------------------------------------------
def gaps_result() -> dict:
    borough = request.args.get("borough") or None
    return _run("gaps", partition=params.choice("partition", PARTITIONS, "sector"),
                within=f"borough={borough}" if borough else None)


def heat_class(ratio: float | None) -> str:
    """A colour class for observed / expected ties (the table shows the numbers too)."""
    if ratio is None:
        return "heat-none"
    for bound, name in ((0.25, "heat-0"), (0.5, "heat-1"), (0.8, "heat-2"), (1.25, "heat-3"),
                        (2.0, "heat-4")):
        if ratio < bound:
            return name
    return "heat-5"


@bp.get("/gaps")
def gaps_page():
    boroughs = sorted(p.name for p in service().store.places() if p.kind == "borough")
    return _page("gaps.html", gaps_result(), heat_class=heat_class, boroughs=boroughs,
                 partitions=PARTITIONS)


@bp.get("/api/gaps")
def api_gaps():
    return jsonify({"ok": True, **gaps_result()})


@bp.get("/gaps.csv")
def gaps_csv():
    gaps = gaps_result()["gaps"]
    rows = [{**{k: g[k] for k in ("a", "b", "observed", "expected", "ratio", "z", "p_below")},
             "candidate_brokers": "; ".join(c["name"] or "(not named)"
                                            for c in g["candidate_brokers"]),
             "convening_organisations": "; ".join(c["name"]
                                                  for c in g["convening_organisations"])}
            for g in gaps]
    return csv_response(["a", "b", "observed", "expected", "ratio", "z", "p_below",
                         "candidate_brokers", "convening_organisations"], rows, "gaps.csv")


# -- bridges --------------------------------------------------------------------------------
def _group(side: str) -> str | None:
    kind = params.choice(f"{side}_kind", GROUP_KINDS, "sector")
    value = (request.args.get(side) or "").strip()
    if not value:
        return None
    return value if kind == "id" else f"{kind}={value}"


def bridges_result() -> dict | None:
    a, b = _group("a"), _group("b")
    if a is None or b is None:
        return None
    network = params.choice("network", ("organisations", "people"), "organisations")
    result = _run("bridges", network, a=a, b=b, limit=int(params.number("limit", 10, 1, 100)))
    net = service().network(network, as_of=params.as_of(), window_months=params.window_months())
    names = dict(zip(net.node_ids, net.attribute("name")))
    for contact in result["contacts"]:
        for tie in contact["ties"]["a"] + contact["ties"]["b"]:
            tie["to_name"] = names.get(tie["to"])
    return result


@bp.get("/bridges")
def bridges_page():
    return _page("bridges.html", bridges_result(), kinds=GROUP_KINDS)


@bp.get("/api/bridges")
def api_bridges():
    result = bridges_result()
    if result is None:
        from graphsvc.errors import InputError

        raise InputError("give both groups, e.g. a=Housing&b=Faith group (with a_kind and "
                         "b_kind: sector, borough, community or id)", column="a")
    return jsonify({"ok": True, **result})


@bp.get("/bridges.csv")
def bridges_csv():
    result = bridges_result() or {"contacts": []}
    rows = [{k: c[k] for k in ("id", "name", "score", "ties_to_a", "ties_to_b")}
            for c in result["contacts"]]
    return csv_response(["id", "name", "score", "ties_to_a", "ties_to_b"], rows, "bridges.csv")


# -- introductions and communities ----------------------------------------------------------
def _person(field: str) -> dict:
    """What the user typed in ``field``: its text, the person id it resolves to (or the group
    selector, for a ``to`` holding ``attribute=value``), and the people it could mean when it
    names no one or several."""
    text = (request.args.get(field) or "").strip()
    if not text or (field == "to" and "=" in text):
        return {"text": text, "id": text or None, "choices": []}
    matches = finder(service(), g.audience).search(text, limit=20)
    exact = [m for m in matches if fold(m.name) == fold(text) or m.id == text]
    if len(matches) == 1 or len(exact) == 1:
        match = (exact or matches)[0]
        g.setdefault("audit_people", []).append(match.id)
        return {"text": text, "id": match.id, "name": match.name, "choices": []}
    return {"text": text, "id": None, "choices": matches}


def paths_result() -> tuple[dict | None, dict]:
    """The introduction paths (None until both ends resolve), and how each end resolved."""
    ends = {field: _person(field) for field in ("from", "to")}
    if not (ends["from"]["id"] and ends["to"]["id"]):
        return None, ends
    return _run("paths", "people", source=ends["from"]["id"], to=ends["to"]["id"],
                k=int(params.number("k", 3, 1, 10))), ends


@bp.get("/introductions")
def introductions_page():
    result, ends = paths_result()
    return _page("introductions.html", result, ends=ends)


@bp.get("/api/introductions")
def api_introductions():
    result, ends = paths_result()
    if result is None:
        field = "from" if not ends["from"]["id"] else "to"
        end = ends[field]
        if not end["text"]:
            raise InputError("give from=PERSON and to=PERSON (an id or a name; or "
                             "to=sector=...)", column=field)
        found = "; ".join(f"{m.name} ({m.id})" for m in end["choices"][:5])
        raise InputError(f"{field}={end['text']!r} matches "
                         + (f"several named people, e.g. {found}: give an id" if found
                            else "no named person"), column=field, value=end["text"])
    return jsonify({"ok": True, **result})


@bp.get("/api/people")
def api_people():
    """Named people whose name or id starts with q: for the person fields' suggestions."""
    matches = finder(service(), g.audience).search(request.args.get("q", ""),
                                       limit=int(params.number("limit", 20, 1, 100)))
    return jsonify({"ok": True, "people": [{"id": m.id, "name": m.name} for m in matches]})


@bp.get("/communities")
def communities_page():
    return _page("communities.html", _run("communities"))


@bp.get("/api/communities")
def api_communities():
    return jsonify({"ok": True, **_run("communities")})
