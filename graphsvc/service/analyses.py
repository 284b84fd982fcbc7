"""The analyses, registered once: each with its options, its least role and a plain-text
summary. The CLI makes a subcommand of each (``graphsvc analyse gaps --within ...``), and the web
runs them through :meth:`Analyses.run`, as the acting user may see the result.

Every result states the network, the "as of" date, the activity window and the large-session
rule in force, and is kept by the revision-checked cache; what each audience may see is applied
on the way out (:mod:`graphsvc.service.present`), so one computation serves everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from graphsvc.accounts import User
from graphsvc.analyses import brokers
from graphsvc.analyses.bridges import bridging_contacts
from graphsvc.analyses.change import (brokers_gained_and_lost, cross_sector_by_quarter,
                                      ties_after_meeting)
from graphsvc.analyses.communities import clusters_against_membership, community_health
from graphsvc.analyses.gaps import bridge_in_words, mixing, sector_gaps
from graphsvc.analyses.introductions import introduction_paths
from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS, TieHistory, months_before
from graphsvc.analyses.strength import borough_strength
from graphsvc.analyses.trend import borough_trend
from graphsvc.errors import InputError, NothingLoaded, NotFound
from graphsvc.service.audience import Audiences, one_value_each
from graphsvc.service.cache import Work
from graphsvc.service.data import Data
from graphsvc.service.groups import check_known, known_groups

NETWORKS = ("organisations", "people")
PARTITIONS = ("sector", "borough", "type", "scope", "community")


@dataclass(frozen=True)
class Option:
    """One option of an analysis: its name (the Python keyword and query parameter), what it
    takes (``choice``, ``selector``, ``person``, ``date``, ``int``), and a sentence of help."""

    name: str
    kind: str
    help: str
    choices: tuple[str, ...] = ()
    default: object = None
    flag: str | None = None  # the CLI flag, when not --name

    @property
    def field(self) -> str:
        """What the user gives it as: the CLI flag and the query parameter (``from``)."""
        return (self.flag or self.name).lstrip("-")


@dataclass(frozen=True)
class Analysis:
    name: str
    summary: str
    compute: Callable[["Request"], dict]
    options: tuple[Option, ...] = ()
    role: str = "viewer"
    text: Callable[[dict], list[str]] = field(default=lambda result: [])
    network: str | None = None  # the network it always works on (None: the one asked for)


ANALYSES: dict[str, Analysis] = {}
COMMON = (
    Option("network", "choice", "which network", NETWORKS, "organisations"),
    Option("as_of", "date", "the date to look from (default: the latest session)"),
    Option("window_months", "int", "ties are active when last seen this many months before "
           "as_of (0: all)", default=DEFAULT_WINDOW_MONTHS),
)


def analysis(name: str, summary: str, *options: Option, role: str = "viewer",
             text: Callable[[dict], list[str]] | None = None, network: str | None = None):
    """Register an analysis (used as a decorator on its compute function); ``network`` for
    one that always works on that network, whichever is asked for."""
    def register(compute):
        ANALYSES[name] = Analysis(name, summary, compute, options, role,
                                  text or (lambda result: []), network)
        return compute
    return register


def selector_text(selector: dict[str, str]) -> str:
    """A group as it is typed: ``{"sector": "Housing"}`` -> ``"sector=Housing"``."""
    return ",".join(f"{key}={value}" for key, value in selector.items())


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


@dataclass
class Request:
    """What one analysis is asked for: the data, the dates and the options."""

    data: Data
    network: str
    as_of: date
    window_months: int | None
    options: dict

    def net(self, network: str | None = None, *, as_of: date | None = None):
        return self.data.network(network or self.network, as_of=as_of or self.as_of,
                                 window_months=self.window_months)

    def ties(self, network: str):
        """Every tie up to the as-of date, with its history (for analyses that need no
        adjacency: a network is not built)."""
        return self.data.ties(network, window=(None, self.as_of))

    def history(self, network: str = "organisations") -> TieHistory:
        """Every tie up to the as-of date with its first sighting and its ends' attributes
        (for the analyses that count new ties: no adjacency is built)."""
        return TieHistory.from_ties(self.ties(network), self.data.node_attributes(network),
                                    self.as_of)

    def get(self, key: str, default=None):
        value = self.options.get(key)
        return default if value is None or value == "" else value


class Analyses:
    def __init__(self, data: Data, audiences: Audiences):
        self._data, self._audiences = data, audiences

    def key(self, name: str, *, network: str = "organisations", as_of: date | None = None,
            window_months: int | None = DEFAULT_WINDOW_MONTHS, **options) -> tuple:
        """The key a result is kept under (to ask whether it is ready)."""
        if name not in ANALYSES:
            raise InputError("unknown analysis; accepted: " + ", ".join(ANALYSES), value=name)
        if network not in NETWORKS:
            raise InputError("accepted: " + ", ".join(NETWORKS), column="network", value=network)
        network = ANALYSES[name].network or network  # the result says which it worked on
        as_of = as_of or self._data.latest_session() or date.today()
        known = {o.name for o in ANALYSES[name].options}
        unknown = set(options) - known
        if unknown:
            raise InputError(f"{name} takes no option {sorted(unknown)[0]!r}; it takes "
                             + (", ".join(sorted(known)) or "none"), value=sorted(unknown)[0])
        return ("analysis", name, network, as_of, window_months or None,
                tuple(sorted((k, v) for k, v in options.items() if v not in (None, ""))))

    def ready(self, name: str, **question) -> bool:
        return self._data.is_cached(self.key(name, **question))

    def compute(self, name: str, **question) -> dict:
        """The result as it is, for everyone (not for the edges: see :meth:`run`)."""
        key = self.key(name, **question)
        require_attendance(self._data)
        _, _, network, as_of, window, options = key
        # the whole result, for everyone: kept on disk too (the audience applies on the way out)
        return self._data.persisted(key, lambda: _run(self._data, name, network, as_of, window,
                                                      dict(options)))

    def work(self, actor: User, name: str, **question) -> Work:
        """What :meth:`run` will work out for ``actor``'s question, as :class:`Work`; the
        question is checked as :meth:`run` checks it."""
        actor.require(ANALYSES[name].role if name in ANALYSES else "viewer")
        question = self._chosen(actor, name, question)
        key = self.key(name, **question)
        return Work(key, self._data.is_cached(key), lambda: self.compute(name, **question))

    def run(self, actor: User, name: str, **question) -> dict:
        """Run one analysis by name, as ``actor`` may see its result; a result that shows
        people is audited (by id: typed names are never kept)."""
        actor.require(ANALYSES[name].role if name in ANALYSES else "viewer")
        question = self._chosen(actor, name, question)
        key = self.key(name, **question)
        result = self.compute(name, **question)
        return self._audiences.show(actor, key, result, f"analysis {name}")

    def _chosen(self, actor: User, name: str, question: dict) -> dict:
        """The question with its groups and people checked for this user: a group is chosen
        by sector, borough, community or organisation only, by a name that is known (else an
        error naming the nearest), and a person only by an id the user may name (any case;
        made canonical), else as if there were no such person."""
        options = {o.name: o for o in ANALYSES.get(name, Analysis(name, "", None)).options}
        out = dict(question)
        for key, text in question.items():
            kind = options[key].kind if key in options else None
            if kind not in ("selector", "person") or not text:
                continue
            option = options[key].field  # errors name it as the user gave it (from, not source)
            one_value_each(actor, option, str(text))
            if kind == "person" or "=" not in str(text):
                out[key] = self._node(actor, str(text).strip(), option)
                continue
            chosen = parse_selector(str(text), option)
            unknown = sorted(set(chosen) - GROUP_KEYS)
            if unknown:
                raise InputError("a group is chosen by " + ", ".join(sorted(GROUP_KEYS)),
                                 column=option, value=unknown[0])
            check_known(chosen, option, known_groups(self._data))
        return out

    def _node(self, actor: User, node: str, option: str) -> str:
        if node.casefold().startswith("person:"):
            if not self._audiences.of(actor).may_name(node):
                raise NotFound("no such person that you may see")
            return node.casefold()
        if node.casefold().startswith("org:"):
            return node.casefold()
        raise InputError("give an organisation's id (org:...), a person's (person:...), or a "
                         "group as attribute=value", column=option, value=node)


def require_attendance(data: Data) -> None:
    """Every analysis and network counts attendance: before any is loaded, say so
    (:class:`NothingLoaded`) rather than analyse a network with no one in it."""
    if not data.counts()["attendance"]:
        raise NothingLoaded("nothing to analyse yet: no attendance has been loaded (an admin "
                            "loads it with Import files in the web app, or graphsvc load FILE)")


GROUP_KEYS = frozenset({"sector", "borough", "community", "organisation"})


def _run(data: Data, name: str, network: str, as_of: date, window_months, options) -> dict:
    request = Request(data, network, as_of, window_months, options)
    net = request.net()
    envelope = {"analysis": name, "network": network, "as_of": as_of.isoformat(),
                "window_months": window_months, "rule": data.rule.describe(),
                "nodes_in_network": net.n, "active_ties": net.edges}
    return {**envelope, **ANALYSES[name].compute(request)}


# -- the analyses ---------------------------------------------------------------------------
PARTITION = Option("partition", "choice", "the groups: a node attribute", PARTITIONS, "sector")
SEED = Option("seed", "int", "random seed (results repeat for a seed)", default=0)


@analysis("strength", "per borough: ties, attendance, cross-sector and statutory-VCSE shares, "
          "lived experience, local ownership, senior involvement, an index and why; trend by "
          "quarter", text=lambda r: [f"  {b['borough']:<12} index {b['index']:>6}  {b['why']}"
                                     for b in r["boroughs"]])
def _strength(r: Request) -> dict:
    facts = r.data.facts()
    boroughs = [p.name for p in r.data.read("places") if p.kind == "borough"]
    result = borough_strength(r.net("organisations"), r.net("people"), facts, as_of=r.as_of,
                              window_months=r.window_months, boroughs=boroughs,
                              small_cell=r.data.small_cell)
    first = facts.session_dates.min().astype(object)
    result["trend"] = borough_trend(r.history(), facts, first=first, last=r.as_of,
                                    boroughs=boroughs)
    return result


@analysis("brokers", "betweenness, constraint, effective size and brokerage roles", PARTITION,
          Option("k", "int", "betweenness pivots (estimate above 5,000 nodes)"), SEED,
          text=lambda r: [f"  {n['name'] or n['id']:<40} betweenness {n['betweenness'] or 0:.4f}"
                          f"  constraint {n['constraint'] or 0:.3f}" for n in r["nodes"][:15]])
def _brokers(r: Request) -> dict:
    return brokers(r.net(), r.get("partition", "sector"), k=r.get("k"), seed=r.get("seed", 0))


@analysis("bridges", "who has ties into both of two groups",
          Option("a", "selector", "group A, e.g. sector=Housing,borough=Wigan"),
          Option("b", "selector", "group B"),
          Option("limit", "int", "how many contacts", default=10),
          text=lambda r: _bridges_text(r))
def _bridges(r: Request) -> dict:
    return bridging_contacts(r.net(), parse_selector(r.get("a"), "a"),
                             parse_selector(r.get("b"), "b"), limit=r.get("limit", 10))


@analysis("paths", "introduction paths from one person to another (or to a group)",
          Option("source", "person", "the person to start from (an id)", flag="--from"),
          Option("to", "selector", "a person id, or a group such as sector=Housing"),
          Option("k", "int", "how many paths", default=3), role="facilitator",
          text=lambda r: _paths_text(r), network="people")
def _paths(r: Request) -> dict:
    target = r.get("to", "")
    target = parse_selector(target, "to") if "=" in target else target
    return introduction_paths(r.net(), r.get("source", ""), target, k=r.get("k", 3))


@analysis("gaps", "observed against expected ties between groups, with candidate brokers",
          PARTITION, Option("within", "selector", "only ties inside a group, e.g. borough=Wigan"),
          Option("columns", "choice", "a second partition for a cross matrix", PARTITIONS),
          text=lambda r: _gaps_text(r))
def _gaps(r: Request) -> dict:
    within = parse_selector(r.get("within"), "within") if r.get("within") else None
    partition = r.get("partition", "sector")
    result = sector_gaps(r.net(), partition, within=within, bridges_network=r.net("people"))
    if r.get("columns"):
        result["cross_matrix"] = mixing(r.net(), partition, r.get("columns"), within=within)
    return result


def _bridges_text(result: dict) -> list[str]:
    empty = [f"{side.upper()} ({selector_text(result[side])})" for side in ("a", "b")
             if result["group_sizes"][side] == 0]
    if empty:
        who = (f"neither group, {' nor '.join(empty)}, has anyone" if len(empty) == 2
               else f"group {empty[0]} has no one")
        return [f"  {who} in the {result['network']} network in this window, so no one can "
                "work with both: try a longer window (--window-months 0: all time) or "
                "another group"]
    if not result["contacts"]:
        return ["  no one works with both groups in this window"]
    return [f"  {c['name'] or c['id']:<40} {c['pairs']:>6} pairs  ties to A "
            f"{c['ties_to_a']}, to B {c['ties_to_b']}" for c in result["contacts"]]


def _paths_text(result: dict) -> list[str]:
    if result.get("already_know_each_other"):
        who = ("they already know each other" if isinstance(result["target"], str)
               else "already tied to people in that group")
        return [f"  {who}: " + "; ".join(
            f"{h['from_name'] or '(not named)'} - {h['to_name'] or '(not named)'}, "
            f"shared sessions: {h.get('sessions', '?')}" for h in result["direct"])]
    lines = [f"  route {i}: " + " -> ".join(
        (p.get("name") or "(not named)") + " (" + ", ".join(
            p.get(key) or "-" for key in ("organisation", "sector", "borough")) + ")"
        if "organisation" in p else "(not named)" for p in path["persons"])
        for i, path in enumerate(result["paths"], 1)]
    return lines or ["  no route between them in this window"]


def _gaps_text(result: dict) -> list[str]:
    lines = []
    for gap in result["gaps"][:15]:
        lines.append(f"  {gap['why'] or gap['a'] + ' and ' + gap['b']}")
        for label, key in (("bridge", "candidate_brokers"), ("convene", "convening_organisations")):
            who = "; ".join(bridge_in_words(c, gap) for c in gap[key])
            lines.append(f"    could {label}: {who or 'no one is tied to both'}")
    if not result["gaps"]:
        lines.append("  no pair is clearly short of ties. " + result["method"])
    lines.append(f"  {len(result['too_few_to_judge'])} pairs too few to judge "
                 f"(under {result['min_expected']:g} ties expected)")
    return lines


def _waning_words(community: dict) -> str:
    if community["waning_why"] == "stopped":
        return f"no session since {community['last_met']}"
    return "attendance and new ties falling"


@analysis("communities", "each community of practice's health (from everyone's attendance), "
          "and clusters of organisations", SEED,
          text=lambda r: [f"  {c['community']:<45} members {c['members']:>4}"
                          + (f"  WANING: {_waning_words(c)}" if c["waning"] else "")
                          for c in r["health"]["communities"]], network="organisations")
def _communities(r: Request) -> dict:
    return {"clusters": clusters_against_membership(r.net(), seed=r.get("seed", 0)),
            "health": community_health(r.data.facts(), r.ties("people"),
                                       as_of=r.as_of, window_months=r.window_months)}


@analysis("change", "new ties after meetings, cross-sector ties by quarter, brokers gained "
          "and lost", Option("before", "date", "the earlier date (default: a year before)"),
          SEED, text=lambda r: [f"  brokers gained {len(r['brokers']['gained'])}, "
                                f"lost {len(r['brokers']['lost'])}"])
def _change(r: Request) -> dict:
    before = r.get("before") or months_before(r.as_of, 12)
    return {
        "ties_after_meeting": ties_after_meeting(r.ties("people"), r.data.facts()),
        "cross_sector_by_quarter": cross_sector_by_quarter(r.history()),
        "brokers": brokers_gained_and_lost(r.net(as_of=before), r.net(), seed=r.get("seed", 0)),
    }


__all__ = ["ANALYSES", "Analyses", "Analysis", "Option", "analysis", "parse_selector",
           "require_attendance"]
