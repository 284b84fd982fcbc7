"""What the pages show beyond the analyses, as use cases: a borough's profile, an
organisation's or a person's page, the network explorer, exports of the tie networks, the
choices a form offers, finding a person by name, and the headline counts. Each answers as the
acting user may see it, and a view of personal data by someone who may see names is audited.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import NamedTuple

from graphsvc.accounts import User
from graphsvc.errors import NotFound
from graphsvc.analyses.explore import View, explore
from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS
from graphsvc.exports import EXPORT_FORMATS, export_graph, export_text, window_in_words
from graphsvc.model import name_order
from graphsvc.service.analyses import Analyses, require_attendance
from graphsvc.service.audience import (Audiences, grouped_people, one_value_each, person_ids_in,
                                       scope_key, too_many_people)
from graphsvc.service.audit import Auditor
from graphsvc.service.data import Data
from graphsvc.service.finder import Match, finder
from graphsvc.service.groups import known_groups
from graphsvc.model import fold
from graphsvc.service.cache import Work
from graphsvc.service.profiles import borough_profile, borough_work, node_profile

NETWORKS = ("organisations", "people")


class Views:
    def __init__(self, data: Data, analyses: Analyses, audiences: Audiences, auditor: Auditor):
        self._data, self._analyses = data, analyses
        self._audiences, self._audit = audiences, auditor

    def _personal(self, actor: User, action: str, target: str, **detail) -> None:
        """Record a look at people (by id: what was typed to find them is never kept)."""
        self._audit.record(actor, action, target, **detail)

    def stats(self, actor: User) -> dict:
        """Counts and the revision, as ``actor`` may see them (a total of a few people is
        withheld like any count of people; where the data lives, only for admins)."""
        actor.require("viewer")
        return self._audiences.totals(actor, self._data.stats())

    def counts(self, actor: User) -> dict:
        """Counts only (cheap: no tie network is projected), as ``actor`` may see them."""
        actor.require("viewer")
        return self._audiences.totals(actor, {"counts": self._data.counts(),
                                              "rule": self._data.rule.describe()})

    def attendance_rows(self, actor: User) -> int:
        """How many attendance rows are held: how long work will take, never shown."""
        actor.require("viewer")
        return self._data.counts()["attendance"]

    def date_in_force(self, actor: User, as_of: date | None = None) -> date:
        """The date the pages look from: ``as_of`` if given, else the latest session's."""
        actor.require("viewer")
        return as_of or self._data.latest_session() or date.today()

    def reading_work(self, actor: User) -> Work:
        """The attendance as the analyses count it, as :class:`Work`: every page reads it
        first (a region's takes seconds)."""
        actor.require("viewer")
        return self._data.attendance_work()

    def revision(self) -> int:
        """The data's revision (public: it says nothing about anyone)."""
        return self._data.revision()

    def choices(self, actor: User) -> dict[str, list]:
        """What forms offer: the boroughs (name and code), sectors and communities."""
        actor.require("viewer")
        known = known_groups(self._data)
        return {"boroughs": sorted(((p.name, p.code) for p in self._data.read("places")
                                    if p.kind == "borough"), key=lambda b: name_order(b[0])),
                "sectors": known["sector"], "communities": known["community"]}

    def groups(self, actor: User) -> dict[str, list[str]]:
        """The groups a question may name, as its pickers offer them: every known sector,
        borough and community (the names the analyses accept)."""
        actor.require("viewer")
        known = known_groups(self._data)
        return {key: known[key] for key in ("sector", "borough", "community")}

    def borough(self, actor: User, name: str, *, as_of: date | None = None,
                window_months: int | None = DEFAULT_WINDOW_MONTHS) -> dict:
        actor.require("viewer")
        profile = borough_profile(self._data, self._analyses, name, as_of=as_of,
                                  window_months=window_months)
        return self._audiences.show(actor, ("borough", name.lower(), as_of, window_months),
                                    profile, f"borough {profile['borough']}")

    def borough_work(self, actor: User, name: str, *, as_of: date | None = None,
                     window_months: int | None = DEFAULT_WINDOW_MONTHS) -> Work:
        """What :meth:`borough` works out first, as :class:`Work`."""
        actor.require("viewer")
        return borough_work(self._data, self._analyses, name, as_of=as_of,
                            window_months=window_months)

    def node(self, actor: User, node_id: str, *, as_of: date | None = None,
             window_months: int | None = None) -> dict:
        """An organisation's page, or a named person's (facilitators, within their scope)."""
        self._may_see_node(actor, node_id)
        profile = node_profile(self._data, node_id, as_of=as_of, window_months=window_months)
        return self._audiences.show(actor, ("node", node_id, as_of, window_months), profile,
                                    node_id)

    def node_work(self, actor: User, node_id: str, *, as_of: date | None = None,
                  window_months: int | None = None) -> Work:
        """What :meth:`node` works out first (its network), as :class:`Work`."""
        self._may_see_node(actor, node_id)
        kind = "people" if node_id.casefold().startswith("person:") else "organisations"
        return self._data.network_work(kind, as_of=as_of, window_months=window_months)

    def _may_see_node(self, actor: User, node_id: str) -> None:
        if node_id.casefold().startswith("person:"):
            actor.require("facilitator")
            if not self._audiences.of(actor).may_name(node_id):
                raise NotFound("no such person that you may see")
        actor.require("viewer")

    def explore(self, actor: User, network: str = "organisations", *,
                as_of: date | None = None, window_months: int | None = DEFAULT_WINDOW_MONTHS,
                **filters) -> View:
        """The network explorer's piece of a network, as ``actor`` may see it (the same
        arguments, however written, are worked out once)."""
        work = self.explore_work(actor, network, as_of=as_of, window_months=window_months,
                                 **filters)
        key, view = work.key, work.compute()
        shown = self._audiences.show(actor, key, {"network": network, "matched": view.matched,
                                                  "nodes": view.nodes, "edges": view.edges},
                                     f"network of {network}")
        message = view.message
        if view.aggregated and actor.role != "admin" and network == "people":
            message = too_many_people(message)
        return dataclasses.replace(view, nodes=shown["nodes"], edges=shown["edges"],
                                   matched=shown["matched"], message=message)

    def explore_work(self, actor: User, network: str = "organisations", *,
                     as_of: date | None = None, window_months: int | None = DEFAULT_WINDOW_MONTHS,
                     **filters) -> Work:
        """What :meth:`explore` works out, as :class:`Work`; the question is checked first."""
        actor.require("viewer")
        if network not in NETWORKS:
            from graphsvc.errors import InputError

            raise InputError("accepted: " + ", ".join(NETWORKS), column="network", value=network)
        if filters.get("ego"):
            self.refuse_hidden_people(actor, [filters["ego"]])
        for option in ("borough", "sector", "community"):
            one_value_each(actor, option, str(filters.get(option) or ""))
        require_attendance(self._data)
        filters["grouped"] = grouped_people(actor, network, filters)
        key = ("explore", network, as_of, window_months, tuple(sorted(filters.items())))
        return self._data.work(key, lambda: explore(self._data.network(
            network, as_of=as_of, window_months=window_months), network, **filters))

    def drawing(self, actor: User, network: str = "organisations", **filters) -> dict:
        """The explorer's view as the interactive network draws it (vis-network's data,
        made by pyvis), once per revision, arguments and audience."""
        from viz.interactive import vis_data

        view = self.explore(actor, network, **filters)
        sectors = self.choices(actor)["sectors"]
        key = ("drawing", network, tuple(sorted(filters.items())),
               scope_key(self._audiences.of(actor)))
        return self._data.cached(key, lambda: vis_data(view, sectors))

    def refuse_hidden_people(self, actor: User, values) -> None:
        """A question naming a person ``actor`` may not name is answered as if there were no
        such person: an ego view or a bridge from them would show that they take part."""
        if actor.role == "admin":
            return
        audience = self._audiences.of(actor)
        for value in values:
            for person_id in person_ids_in(str(value)):
                if not audience.may_name(person_id):
                    raise NotFound("no such person that you may see")

    def find_people(self, actor: User, text: str, limit: int = 20) -> list[Match]:
        """Named people ``actor`` may see whose name (or a later word of it) starts with
        ``text``, or whose id it is."""
        actor.require("facilitator")
        found = finder(self._data, self._audiences.of(actor)).search(text, limit=limit)
        self._personal(actor, "view", "people search", people=[m.id for m in found])
        return found

    def resolve_person(self, actor: User, text: str) -> dict:
        """What someone typed to name a person: the id it names (when it names one person
        ``actor`` may see) and the people it could mean."""
        matches = self.find_people(actor, text, limit=20)
        exact = [m for m in matches if fold(m.name) == fold(text) or m.id == text]
        if len(matches) == 1 or len(exact) == 1:
            match = (exact or matches)[0]
            return {"text": text, "id": match.id, "name": match.name, "choices": []}
        return {"text": text, "id": None, "choices": matches}

    def export_attendance(self, actor: User) -> str:
        """The cleaned attendance as CSV, names and emails included: for admins, audited."""
        from graphsvc.exports import attendance_csv

        actor.require("admin")
        text = attendance_csv(self._data.store)
        self._personal(actor, "export", "attendance.csv")
        return text

    def export(self, actor: User, fmt: str, network: str = "organisations", *,
               as_of: date | None = None,
               window_months: int | None = DEFAULT_WINDOW_MONTHS) -> Export:
        """A tie network in a format other tools open, as ``actor`` may see it (names where
        they may see them, tokens otherwise), with the ties active in the window the pages
        use (``window_months=None``: all time); the people network is for admins."""
        from graphsvc.errors import InputError

        if network not in NETWORKS:
            raise InputError("accepted: " + ", ".join(NETWORKS), column="network",
                             value=network)
        if fmt not in EXPORT_FORMATS:
            raise InputError("accepted: " + ", ".join(EXPORT_FORMATS), column="format",
                             value=fmt)
        actor.require("admin" if network == "people" else "viewer")
        net = self._data.network(network, as_of=as_of, window_months=window_months)
        day = net.description["as_of"]
        key = ("export", network, day, window_months)
        shown = self._audiences.show(actor, key, self._data.cached(key, lambda: _export_view(
            net, self._data.node_attributes(network))), f"{network} export")
        ties = window_in_words(day, window_months)
        graph = export_graph(shown["nodes"], shown["edges"], {
            **net.description, "active_window_months": window_months or "all", "ties": ties})
        text = export_text(graph, fmt)
        if network == "people":
            self._personal(actor, "export", f"{network}.{fmt}")
        months = f"{window_months}-months" if window_months else "all-time"
        return Export(text, f"graphsvc-{network}-{months}-to-{day}", ties)


class Export(NamedTuple):
    """An export's text, the name its file takes (without the ending) and the ties it holds
    in words."""

    text: str
    name: str
    ties: str


def _export_view(net, attributes: dict[str, dict]) -> dict:
    """The nodes and active ties of ``net`` as a result the audiences present."""
    source, target, numbers = net.tie_ends()
    ties = net.ties
    nodes = [{"id": node, **attributes.get(node, {})} for node in net.node_ids]
    edges = [{"from": net.node_ids[u], "to": net.node_ids[v],
              "weight": float(ties.weight[k]), "sessions": int(ties.shared_sessions[k]),
              "first_seen": str(ties.first_seen[k]), "last_seen": str(ties.last_seen[k])}
             for u, v, k in zip(source.tolist(), target.tolist(), numbers.tolist())]
    return {"network": net.description["network"], "nodes": nodes, "edges": edges}
