"""The whole service as one object you can configure in Python; the CLI and the app wrap it.

>>> import tempfile, os
>>> service = Graphsvc(os.path.join(tempfile.mkdtemp(), "demo.db"))
>>> service.stats()["counts"]["places"]
11
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable, Sequence

import networkx as nx

from graphsvc.exports import export_text, to_networkx
from graphsvc.imports import ImportPlan, apply_import, plan_import
from graphsvc.store import Store, open_store
from graphsvc.ties import AttendanceTable, ProjectionRule, TieNetwork, project
from loaders import SessionDefaults
from loaders.reference import read_reference


class Graphsvc:
    """A partnership's relationship map: its store, the projection rule, and what they give."""

    def __init__(self, database: str | Path | Store | None = None, *,
                 rule: ProjectionRule | None = None, max_upload_bytes: int | None = None):
        self.store: Store = database if hasattr(database, "apply") else open_store(database)
        self.rule = rule or ProjectionRule()
        self.max_upload_bytes = max_upload_bytes
        self._cache: dict[tuple, object] = {}
        if not self.store.places():
            self.store.apply(read_reference())

    # -- imports ----------------------------------------------------------------------
    def preview(self, paths: Sequence[str | Path], *, format: str | None = None,
                defaults: SessionDefaults = SessionDefaults(), mapping: dict | None = None,
                progress: Callable[[str], None] | None = None) -> ImportPlan:
        """What loading these files would do, without writing anything."""
        return plan_import(self.store, paths, format=format, defaults=defaults,
                           mapping=mapping, max_bytes=self.max_upload_bytes, progress=progress)

    def load(self, paths: Sequence[str | Path], **options) -> ImportPlan:
        """Load files as one import: all of it, or (on any problem) none of it."""
        plan = self.preview(paths, **options)
        self.load_plan(plan)
        return plan

    def load_plan(self, plan: ImportPlan) -> dict[str, int]:
        """Apply an import that :meth:`preview` planned, in one transaction."""
        return apply_import(self.store, plan)

    # -- networks ---------------------------------------------------------------------
    def attendance_table(self) -> AttendanceTable:
        return self._cached(("attendance",), lambda: AttendanceTable.from_records(
            self.store.sessions(), self.store.attendance()))

    def ties(self, network: str = "people", *, window: tuple[date | None, date | None] = (None, None),
             half_life_days: float | None = None, as_of: date | None = None) -> TieNetwork:
        """The tie network, cached by store revision and parameters."""
        key = ("ties", network, window, half_life_days, as_of)
        return self._cached(key, lambda: project(
            self.attendance_table(), network, rule=self.rule, window=window,
            half_life_days=half_life_days, as_of=as_of))

    def node_attributes(self, network: str) -> dict[str, dict]:
        return self._cached(("nodes", network), lambda: (
            self._people_attributes() if network == "people" else self._organisation_attributes()))

    def graph(self, network: str = "people", **options) -> nx.Graph:
        return to_networkx(self.ties(network, **options), self.node_attributes(network))

    def export(self, fmt: str, network: str = "people", **options) -> str:
        return export_text(self.graph(network, **options), fmt)

    # -- summaries --------------------------------------------------------------------
    def stats(self) -> dict:
        counts = self.store.counts()
        ties = {}
        if counts["attendance"]:
            ties = {name: len(self.ties(name)) for name in ("people", "organisations")}
        return {"database": self.store.url, "revision": self.store.revision(),
                "counts": counts, "ties": ties, "rule": self.rule.describe()}

    # -- internals --------------------------------------------------------------------
    def _cached(self, key: tuple, compute: Callable[[], object]):
        revision = self.store.revision()
        if self._cache.get("revision") != revision:
            self._cache = {"revision": revision}
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _places(self) -> dict[str, str]:
        return {p.id: p.name for p in self.store.places()}

    def _people_attributes(self) -> dict[str, dict]:
        places = self._places()
        works_at: dict[str, list] = {}
        for job in self.store.employments():
            works_at.setdefault(job.person_id, []).append(job)
        orgs = {o.id: o.name for o in self.store.organisations()}
        out = {}
        for person in self.store.people():
            jobs = works_at.get(person.id, [])
            named = person.consent == "named"
            out[person.id] = {
                "kind": "person",
                "name": person.name if named else "",
                "consent": person.consent,
                "lived_experience": person.lived_experience,
                "organisation": orgs.get(jobs[0].organisation_id, "") if jobs else "",
                "senior": any(j.seniority == "senior" for j in jobs),
                "borough": places.get(person.place_id, ""),
            }
        return out

    def _organisation_attributes(self) -> dict[str, dict]:
        places = self._places()
        sectors = {s.id: s.name for s in self.store.sectors()}
        return {
            o.id: {
                "kind": "organisation",
                "name": o.name,
                "sector": sectors.get(o.sector_ids[0], "") if o.sector_ids else "",
                "sectors": ";".join(sectors.get(s, s) for s in o.sector_ids),
                "borough": places.get(o.place_id, ""),
                "scope": o.scope,
                "type": o.type,
            }
            for o in self.store.organisations()
        }

    def close(self) -> None:
        self.store.close()
