"""Pages for the analyses: brokers, sector gaps, the bridge finder, introductions and
communities. Each has a JSON twin under /api/ and a CSV of its table."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request

from graphsvc.analyses.gaps import bridge_in_words
from graphsvc.errors import InputError
from graphsvc.model import fold
from graphsvc.service.analyses import parse_selector
from graphsvc.web import background, params, pickers, words
from graphsvc.web.routes import route
from graphsvc.web.tables import csv_response

bp = Blueprint("analyses", __name__)
words.register(bp)
PARTITIONS = ("sector", "borough", "community", "type")
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
PARTITION = params.query("partition", "the groups", {"enum": list(PARTITIONS)})


def service():
    return current_app.extensions["graphsvc"]


def _run(name: str, network: str = "organisations", *, page: str | None = None,
         **options) -> dict:
    """The analysis (worked out once for everyone), as the signed-in user may see it; for a
    ``page`` (naming what it shows) a slow first computation runs in the background
    (:mod:`graphsvc.web.background`)."""
    question = dict(network=network, as_of=params.as_of(),
                    window_months=params.window_months(), **options)
    if page:
        background.wait(lambda: service().analyses.work(g.user, name, **question), page)
    return service().analyses.run(g.user, name, **question)


def _page(template: str, result: dict | None, **extra):
    return render_template(template, result=result, query=request.args.to_dict(),
                           windows=params.WINDOWS, stats=service().views.counts(g.user),
                           as_of=service().views.date_in_force(g.user, params.as_of()),
                           groups=service().views.groups(g.user), **extra)


# -- brokers -------------------------------------------------------------------------------
BROKER_LIMIT = params.query("limit", "how many rows (the most central first)",
                            {"type": "integer", "minimum": 1, "maximum": 5000})

def brokers_result(page: str | None = None) -> dict:
    return _run("brokers", params.choice("network", ("organisations", "people"),
                                         "organisations"),
                partition=params.choice("partition", PARTITIONS, "sector"), page=page)


def broker_rows(result: dict) -> list[dict]:
    rows = []
    for node in result["nodes"][:int(params.number("limit", 50, 1, 5000))]:
        row = {k: node.get(k) for k in ("id", "name", "group", "betweenness", "constraint",
                                        "effective_size", "efficiency", "hierarchy")}
        roles = node.get("roles") or {}  # not shown for people the user may not name
        row.update({f"{role}_z": roles.get(role, {}).get("z") for role in ROLES})
        rows.append(row)
    return rows


@route(bp, "/brokers", role="viewer")
def brokers_page():
    result = brokers_result(page="the brokers")
    return _page("brokers.html", result, rows=broker_rows(result), roles=ROLES,
                 partitions=[words.partition_option(p) for p in PARTITIONS],
                 role_words=words.ROLE_WORDS, clearly=words.CLEARLY_ABOVE_CHANCE)


@route(bp, "/api/brokers", role="viewer",
       summary="Brokers: betweenness, constraint, effective size, roles",
       params=(params.NETWORK, PARTITION, BROKER_LIMIT, *params.WINDOW),
       responses=params.NOTHING_LOADED)
def api_brokers():
    result = brokers_result()
    return jsonify({"ok": True, **result, "nodes": result["nodes"][:int(
        params.number("limit", 50, 1, 5000))]})


@route(bp, "/brokers.csv", role="viewer")
def brokers_csv():
    rows = broker_rows(brokers_result())
    return csv_response(list(rows[0]) if rows else ["id"], rows, "brokers.csv")


# -- gaps -----------------------------------------------------------------------------------
def gaps_result(page: str | None = None) -> dict:
    return _run("gaps", partition=params.choice("partition", PARTITIONS, "sector"),
                within=pickers.selector(pickers.picked()), page=page)


def heat_class(ratio: float | None) -> str:
    """A colour class for observed / expected ties (the table shows the numbers too)."""
    if ratio is None:
        return "heat-none"
    for bound, name in ((0.25, "heat-0"), (0.5, "heat-1"), (0.8, "heat-2"), (1.25, "heat-3"),
                        (2.0, "heat-4")):
        if ratio < bound:
            return name
    return "heat-5"


@route(bp, "/gaps", role="viewer")
def gaps_page():
    result = gaps_result(page="the gaps")
    has_ties = any(count for row in result["matrix"]["observed"] for count in row)
    return _page("gaps.html", result, heat_class=heat_class, within=pickers.picked(),
                 partitions=[words.partition_option(p) for p in PARTITIONS], has_ties=has_ties)


@route(bp, "/api/gaps", role="viewer",
       summary="Observed against expected ties between groups, and the widest gaps",
       params=(PARTITION, *pickers.query_params("", "only ties inside this group"),
               *params.WINDOW), responses=params.NOTHING_LOADED)
def api_gaps():
    return jsonify({"ok": True, **gaps_result()})


GAP_COLUMNS = ["a", "b", "observed", "expected", "ratio", "z", "p_below", "p_adjusted", "why"]


@route(bp, "/gaps.csv", role="viewer")
def gaps_csv():
    gaps = gaps_result()["gaps"]
    rows = [{**{k: g.get(k) for k in GAP_COLUMNS},
             **{key: "; ".join(bridge_in_words(c, g) for c in g[key])
                for key in ("candidate_brokers", "convening_organisations")}}
            for g in gaps]
    return csv_response([*GAP_COLUMNS, "candidate_brokers", "convening_organisations"], rows,
                        "gaps.csv")


# -- bridges --------------------------------------------------------------------------------
def bridges_result(page: str | None = None) -> dict | None:
    a, b = pickers.selector(pickers.side("a")), pickers.selector(pickers.side("b"))
    if a is None or b is None:
        return None
    network = params.choice("network", ("organisations", "people"), "organisations")
    limit = int(params.number("limit", 10, 1, MOST_BRIDGES))
    # worked out and shown at the most, then cut: records showing the same values are listed
    # in the order of their tokens (graphsvc.service.disclosure), and a cut made before that,
    # in the order of ids, would say which of two came first, in every sign-in alike
    result = _run("bridges", network, a=a, b=b, limit=MOST_BRIDGES, page=page)
    return {**result, "contacts": result["contacts"][:limit]}


MOST_BRIDGES = 100


@route(bp, "/bridges", role="viewer")
def bridges_page():
    return _page("bridges.html", bridges_result(page="the bridges"), a=pickers.side("a"), b=pickers.side("b"))


@route(bp, "/api/bridges", role="viewer", summary="Contacts tied to both of two groups, ranked",
       params=(params.NETWORK,
               *pickers.query_params("a", "group A"), *pickers.query_params("b", "group B"),
               params.query("a", "group A in one field (when no picker is given)",
                            {"type": "string", "minLength": 1}),
               params.query("a_kind", "what that field is", {"enum": list(pickers.KINDS)}),
               params.query("b", "group B in one field", {"type": "string", "minLength": 1}),
               params.query("b_kind", "what that field is", {"enum": list(pickers.KINDS)}),
               params.LIMIT, *params.WINDOW), may_404=True, responses=params.NOTHING_LOADED)
def api_bridges():
    result = bridges_result()
    if result is None:
        raise InputError("give both groups, e.g. a_sector=Housing&a_borough=Wigan&"
                         "b_sector=Faith group (or a=Housing&b=Faith group, with a_kind and "
                         "b_kind: sector, borough, community or id)", column="a")
    return jsonify({"ok": True, **result})


@route(bp, "/bridges.csv", role="viewer")
def bridges_csv():
    result = bridges_result() or {"contacts": []}
    columns = ["id", "name", "pairs", "ties_to_a", "ties_to_b"]
    rows = [{k: c.get(k) for k in columns} for c in result["contacts"]]
    return csv_response(columns, rows, "bridges.csv")


# -- introductions and communities ----------------------------------------------------------
def _end(field: str) -> dict:
    """What the user typed in ``field``, resolved to a person; or, for ``to``, the group its
    pickers chose (or a ``to`` holding ``attribute=value``). A person chosen before (their
    id in ``{field}_id``) stays chosen while the field still holds their name."""
    text = (request.args.get(field) or "").strip()
    group = pickers.picked(field) if field == "to" else {}
    if group and text:
        raise InputError("introduce them to a person or to a group, not both: clear one",
                         column="to", value=text)
    if group:
        return {"text": "", "id": pickers.selector(group), "group": group, "choices": []}
    if field == "to" and "=" in text:
        return {"text": "", "id": text, "group": parse_selector(text, "to"), "choices": []}
    if not text:
        return {"text": "", "id": None, "choices": []}
    chosen = (request.args.get(f"{field}_id") or "").strip()
    if chosen:
        end = service().views.resolve_person(g.user, chosen)
        if end["id"] and fold(end["name"]) == fold(text):
            return {**end, "text": end["name"]}
    return service().views.resolve_person(g.user, text)


def paths_result(page: str | None = None) -> tuple[dict | None, dict]:
    """The introduction paths (None until both ends resolve), and how each end resolved."""
    ends = {field: _end(field) for field in ("from", "to")}
    if not (ends["from"]["id"] and ends["to"]["id"]):
        return None, ends
    return _run("paths", "people", source=ends["from"]["id"], to=ends["to"]["id"],
                k=int(params.number("k", 3, 1, 10)), page=page), ends


@route(bp, "/introductions", role="facilitator")
def introductions_page():
    """The form, and the routes; a question that cannot be answered as asked (an unknown
    group) is said on the page, beside the form to correct it."""
    try:
        result, ends = paths_result(page="the introductions")
    except InputError as problem:
        ends = {field: {"text": (request.args.get(field) or "").strip(), "id": None,
                        "choices": []} for field in ("from", "to")}
        return _page("introductions.html", None, ends=ends, problem=str(problem)), 400
    return _page("introductions.html", result, ends=ends)


@route(bp, "/api/introductions", role="facilitator",
       summary="The best introduction paths between two people",
       params=(params.query("from", "a named person's id or name",
                            {"type": "string", "minLength": 1}, True),
               params.query("from_id", "the person chosen before: kept while from still "
                            "holds their name", {"type": "string"}),
               params.query("to_id", "likewise for to", {"type": "string"}),
               *pickers.query_params("to", "a group instead of a person"),
               params.query("to", "a named person's id or name, or a group such as "
                            "sector=Housing (or give the to_ pickers)",
                            {"type": "string", "minLength": 1}),
               params.query("k", "how many paths", {"type": "integer", "minimum": 1,
                                                     "maximum": 10}), *params.WINDOW),
       may_404=True, responses=params.NOTHING_LOADED)
def api_introductions():
    result, ends = paths_result()
    if result is None:
        field = "from" if not ends["from"]["id"] else "to"
        end = ends[field]
        if not end["text"]:
            raise InputError("give from=PERSON and to=PERSON (an id or a name), or a "
                             "group: to_sector=..., to_borough=..., to_community=...",
                             column=field)
        found = "; ".join(f"{m.name} ({m.id})" for m in end["choices"][:5])
        raise InputError(f"{field}={end['text']!r} matches "
                         + (f"several named people, e.g. {found}: give an id" if found
                            else "no named person"), column=field, value=end["text"])
    return jsonify({"ok": True, **result})


@route(bp, "/api/people", role="facilitator",
       summary="Named people whose name (or a word of it) or id starts with q",
       params=(params.query("q", "the start of a name, or an id", {"type": "string"}),
               params.LIMIT))
def api_people():
    """Named people whose name or id starts with q: for the person fields' suggestions."""
    matches = service().views.find_people(g.user, request.args.get("q", ""),
                                          limit=int(params.number("limit", 20, 1, 100)))
    return jsonify({"ok": True, "people": [{"id": m.id, "name": m.name} for m in matches]})


@route(bp, "/communities", role="viewer")
def communities_page():
    return _page("communities.html", _run("communities", page="the communities"))


@route(bp, "/api/communities", role="viewer",
       summary="Community health, and clusters against membership", params=params.WINDOW,
       responses=params.NOTHING_LOADED)
def api_communities():
    return jsonify({"ok": True, **_run("communities")})
