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
import numpy as np

from graphsvc.analyses.facts import Facts
from graphsvc.analyses.network import DEFAULT_WINDOW_MONTHS, Network
from graphsvc.attributes import organisation_attributes, people_attributes
from graphsvc.exports import export_text, to_networkx
from graphsvc.imports import ImportPlan, apply_import, plan_import
from graphsvc.store import Store, open_store
from graphsvc.ties import AttendanceTable, ProjectionRule, TieNetwork, project
from loaders import SessionDefaults
from loaders.reference import read_reference


class Graphsvc:
    """A partnership's relationship map: its store, the projection rule, and what they give."""

    def __init__(self, database: str | Path | Store | None = None, *,
                 rule: ProjectionRule | None = None, max_upload_bytes: int | None = None,
                 archive: str | Path | None = None):
        self.store: Store = database if hasattr(database, "apply") else open_store(database)
        local = getattr(self.store, "path", None)
        self.archive = Path(archive) if archive else (
            Path(f"{local}.archive") if local is not None else Path("graphsvc-archive"))
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
        """Apply an import that :meth:`preview` planned, in one transaction; the original
        files are kept in the archive folder."""
        return apply_import(self.store, plan, self.archive)

    # -- networks ---------------------------------------------------------------------
    def attendance_table(self) -> AttendanceTable:
        return self.cached(("attendance",), lambda: AttendanceTable.from_records(
            self.store.sessions(), self.store.attendance()))

    def ties(self, network: str = "people", *, window: tuple[date | None, date | None] = (None, None),
             half_life_days: float | None = None, as_of: date | None = None) -> TieNetwork:
        """The tie network, cached by store revision and parameters."""
        key = ("ties", network, window, half_life_days, as_of)
        return self.cached(key, lambda: project(
            self.attendance_table(), network, rule=self.rule, window=window,
            half_life_days=half_life_days, as_of=as_of))

    def node_attributes(self, network: str) -> dict[str, dict]:
        table = self.attendance_table()
        orgs = self.cached(("nodes", "organisations"),
                            lambda: organisation_attributes(self.store, table))
        if network == "organisations":
            return orgs
        return self.cached(("nodes", "people"), lambda: people_attributes(self.store, orgs, table))

    def latest_session(self) -> date | None:
        table = self.attendance_table()
        return table.session_dates.max().astype(object) if len(table.session_ids) else None

    def network(self, network: str = "organisations", *, as_of: date | None = None,
                window_months: int | None = DEFAULT_WINDOW_MONTHS) -> Network:
        """The active network as of a date (default: the latest session), for analyses."""
        as_of = as_of or self.latest_session() or date.today()
        key = ("network", network, as_of, window_months)
        return self.cached(key, lambda: Network.from_ties(
            self.ties(network, window=(None, as_of)), self.node_attributes(network),
            as_of=as_of, window_months=window_months))

    def facts(self) -> Facts:
        return self.cached(("facts",), self._facts)

    def _facts(self) -> Facts:
        table = self.attendance_table()
        sessions = {s.id: s for s in self.store.sessions()}
        communities = {c.id: c.name for c in self.store.communities()}
        places = {p.id: p for p in self.store.places()}
        ordered = [sessions[sid] for sid in table.session_ids]
        person_ids = np.array(table.person_ids, dtype=object)
        org_ids = np.array([*table.organisation_ids, ""], dtype=object)  # -1 picks the ""

        def borough(session) -> str:
            place = places.get(session.place_id)
            return place.name if place is not None and place.kind == "borough" else ""

        return Facts(
            session_ids=table.session_ids, session_dates=table.session_dates,
            session_community=[communities.get(s.community_id, "") for s in ordered],
            session_borough=[borough(s) for s in ordered],
            attendance_session=table.session.astype(np.int64),
            attendance_person=person_ids[table.person],
            attendance_organisation=org_ids[table.organisation],
            attendance_role=table.role,
            people=self.node_attributes("people"),
            organisations=self.node_attributes("organisations"),
        )

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

    # -- caching ----------------------------------------------------------------------
    def is_cached(self, key: tuple) -> bool:
        return self._cache.get("revision") == self.store.revision() and key in self._cache

    def cached(self, key: tuple, compute: Callable[[], object]):
        """``compute()``, kept until the database's revision changes."""
        revision = self.store.revision()
        if self._cache.get("revision") != revision:
            self._cache = {"revision": revision}
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def close(self) -> None:
        self.store.close()
