"""Running analyses for the CLI and the web: parse options, build the networks, call the pure
functions, and wrap the result with what it was computed from.

Every result states the network, the "as of" date, the activity window and the large-session
rule in force, and is cached by store revision and options.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    key = cache_key(service, name, network=network, as_of=as_of, window_months=window_months,
                    **options)
    as_of = key[3]
    return service.cached(key, lambda: _run(service, name, network, as_of, window_months, options))


def cache_key(service, name: str, *, network: str = "organisations", as_of: date | None = None,
              window_months: int | None = DEFAULT_WINDOW_MONTHS, **options) -> tuple:
    """The key :func:`run` caches an analysis under (to ask whether it is ready)."""
    if name not in ANALYSES:
        raise InputError("unknown analysis; accepted: " + ", ".join(ANALYSES), value=name)
    as_of = as_of or service.latest_session() or date.today()
    return ("analysis", name, network, as_of, window_months, tuple(sorted(options.items())))


@dataclass
class _Request:
    """What one analysis is asked for: the service, the dates and the options."""

    service: object
    network: str
    as_of: date
    window_months: int | None
    options: dict

    def net(self, network: str | None = None, *, windowed: bool = True, as_of: date | None = None):
        return self.service.network(network or self.network, as_of=as_of or self.as_of,
                                    window_months=self.window_months if windowed else None)

    def get(self, key: str, default=None):
        return self.options.get(key) or default


def _brokers(r: _Request) -> dict:
    return brokers(r.net(), r.get("partition", "sector"), k=r.get("k"), seed=r.get("seed", 0))


def _bridges(r: _Request) -> dict:
    return bridging_contacts(r.net(), parse_selector(r.get("a"), "--a"),
                             parse_selector(r.get("b"), "--b"), limit=r.get("limit", 10))


def _paths(r: _Request) -> dict:
    target = r.get("to", "")
    target = parse_selector(target, "--to") if "=" in target else target
    result = introduction_paths(r.net("people"), r.get("source", ""), target, k=r.get("k", 3))
    return {**result, "network": "people"}


def _gaps(r: _Request) -> dict:
    within = parse_selector(r.get("within"), "--within") if r.get("within") else None
    partition = r.get("partition", "sector")
    result = sector_gaps(r.net(), partition, within=within, bridges_network=r.net("people"))
    if r.get("columns"):
        result["cross_matrix"] = mixing(r.net(), partition, r.get("columns"), within=within)
    return result


def _strength(r: _Request) -> dict:
    facts = r.service.facts()
    result = borough_strength(r.net("organisations"), r.net("people"), facts, as_of=r.as_of,
                              window_months=r.window_months)
    first = facts.session_dates.min().astype(object)
    result["trend"] = borough_trend(r.net("organisations", windowed=False), facts,
                                    first=first, last=r.as_of)
    return result


def _communities(r: _Request) -> dict:
    return {"clusters": clusters_against_membership(r.net("organisations"), seed=r.get("seed", 0)),
            "health": community_health(r.service.facts(), r.net("people", windowed=False),
                                       as_of=r.as_of, window_months=r.window_months)}


def _change(r: _Request) -> dict:
    before = r.get("before") or months_before(r.as_of, 12)
    return {
        "ties_after_meeting": ties_after_meeting(r.net("people", windowed=False),
                                                 r.service.facts()),
        "cross_sector_by_quarter": cross_sector_by_quarter(r.net("organisations", windowed=False)),
        "brokers": brokers_gained_and_lost(r.net(as_of=before), r.net(), seed=r.get("seed", 0)),
    }


_ANALYSE = {"strength": _strength, "brokers": _brokers, "bridges": _bridges, "paths": _paths,
            "gaps": _gaps, "communities": _communities, "change": _change}


def _run(service, name, network, as_of, window_months, options) -> dict:
    request = _Request(service, network, as_of, window_months, options)
    net = request.net()
    envelope = {"analysis": name, "network": network, "as_of": as_of.isoformat(),
                "window_months": window_months, "rule": service.rule.describe(),
                "nodes_in_network": net.n, "active_ties": net.edges}
    return {**envelope, **_ANALYSE[name](request)}


__all__ = ["ANALYSES", "cache_key", "eligible", "parse_selector", "run"]
