"""Running analyses for the CLI and the web: parse options, build the networks, call the pure
functions, and wrap the result with what it was computed from.

Every result states the network, the "as of" date, the activity window and the large-session
rule in force, and is cached by store revision and options.
"""

from __future__ import annotations

from datetime import date

from graphsvc.analyses import brokers
from graphsvc.analyses.bridges import bridging_contacts, eligible
from graphsvc.analyses.change import brokers_gained_and_lost, cross_sector_by_quarter, ties_after_meeting
from graphsvc.analyses.communities import clusters_against_membership, community_health
from graphsvc.analyses.gaps import mixing, sector_gaps
from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS, months_before
from graphsvc.analyses.paths import introduction_paths
from graphsvc.analyses.strength import borough_strength, borough_trend
from graphsvc.errors import InputError

ANALYSES = ("strength", "brokers", "bridges", "paths", "gaps", "communities", "change")


def parse_selector(text: str | None, what: str) -> dict[str, str]:
    """``"sector=Housing,borough=Wigan"`` -> ``{"sector": "Housing", "borough": "Wigan"}``;
    a bare id (``org:...``, ``person:...``) selects that node."""
    if not text:
        raise InputError(f"give {what} as attribute=value pairs, e.g. sector=Housing,borough=Wigan",
                         column=what)
    if "=" not in text:
        return {"id": text.strip()}
    out = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        if not key.strip() or not value.strip():
            raise InputError("each part must be attribute=value", column=what, value=text)
        out[key.strip()] = value.strip()
    return out


def run(service, name: str, *, network: str = "organisations", as_of: date | None = None,
        window_months: int | None = DEFAULT_WINDOW_MONTHS, **options) -> dict:
    """Run one analysis by name; see :data:`ANALYSES`."""
    if name not in ANALYSES:
        raise InputError("unknown analysis; accepted: " + ", ".join(ANALYSES), value=name)
    as_of = as_of or service.latest_session() or date.today()
    key = ("analysis", name, network, as_of, window_months, tuple(sorted(options.items())))
    return service._cached(key, lambda: _run(service, name, network, as_of, window_months, options))


def _run(service, name, network, as_of, window_months, options) -> dict:
    net = service.network(network, as_of=as_of, window_months=window_months)
    envelope = {"analysis": name, "network": network, "as_of": as_of.isoformat(),
                "window_months": window_months, "rule": service.rule.describe(),
                "nodes_in_network": net.n, "active_ties": net.edges}
    if name == "brokers":
        result = brokers(net, options.get("partition") or "sector", k=options.get("k"),
                         seed=options.get("seed") or 0)
    elif name == "bridges":
        result = bridging_contacts(net, parse_selector(options.get("a"), "--a"),
                                   parse_selector(options.get("b"), "--b"),
                                   limit=options.get("limit") or 10)
    elif name == "paths":
        target = options.get("to")
        target = parse_selector(target, "--to") if target and "=" in target else target
        result = introduction_paths(service.network("people", as_of=as_of,
                                                    window_months=window_months),
                                    options.get("source") or "", target or "",
                                    k=options.get("k") or 3)
        envelope["network"] = "people"
    elif name == "gaps":
        within = parse_selector(options["within"], "--within") if options.get("within") else None
        people = service.network("people", as_of=as_of, window_months=window_months)
        result = sector_gaps(net, options.get("partition") or "sector", within=within,
                             bridges_network=people)
        columns = options.get("columns")
        if columns:
            result["cross_matrix"] = mixing(net, options.get("partition") or "sector", columns,
                                            within=within)
    elif name == "strength":
        result = borough_strength(service.network("organisations", as_of=as_of,
                                                  window_months=window_months),
                                  service.network("people", as_of=as_of,
                                                  window_months=window_months),
                                  service.facts(), as_of=as_of, window_months=window_months)
        first = service.facts().session_dates.min().astype(object)
        result["trend"] = borough_trend(service.network("organisations", as_of=as_of,
                                                        window_months=None),
                                        service.facts(), first=first, last=as_of)
    elif name == "communities":
        result = {"clusters": clusters_against_membership(
                      service.network("organisations", as_of=as_of, window_months=window_months),
                      seed=options.get("seed") or 0),
                  "health": community_health(service.facts(),
                                             service.network("people", as_of=as_of,
                                                             window_months=None),
                                             as_of=as_of, window_months=window_months)}
    else:  # change
        before_date = options.get("before") or months_before(as_of, 12)
        everything = service.network("people", as_of=as_of, window_months=None)
        result = {
            "ties_after_meeting": ties_after_meeting(everything, service.facts()),
            "cross_sector_by_quarter": cross_sector_by_quarter(
                service.network("organisations", as_of=as_of, window_months=None)),
            "brokers": brokers_gained_and_lost(
                service.network(network, as_of=before_date, window_months=window_months), net,
                seed=options.get("seed") or 0),
        }
    return {**envelope, **result}


__all__ = ["ANALYSES", "eligible", "parse_selector", "run"]
