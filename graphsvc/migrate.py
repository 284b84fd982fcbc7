"""Copying a whole database from one store to another (SQLite to Neo4j, or back), verified.

The copy is one transaction on the target: every fact, and the history that keeps imports
undoable and merges sticky. It is then checked: the counts of every part must match, and so must
a checksum of each tie network projected from each store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from graphsvc.errors import StoreError
from graphsvc.model import Batch
from graphsvc.store import Store
from graphsvc.ties import AttendanceTable, project


def snapshot(store: Store) -> Batch:
    """Every fact in the store, as one batch."""
    rank = {"region": 0, "borough": 1, "ward": 2}  # parents before the places within them
    places = sorted(store.places(), key=lambda p: (rank.get(p.kind, 3), p.id))
    return Batch(source=store.url, places=places, sectors=store.sectors(),
                 organisations=store.organisations(), people=store.people(),
                 employments=store.employments(), communities=store.communities(),
                 sessions=store.sessions(), attendance=list(store.attendance()),
                 declared_ties=store.declared_ties())


def tie_checksum(store: Store, network: str) -> str:
    """SHA-256 of a tie network projected from the store: every tie's ends, shared sessions,
    weight (every digit), first and last meeting, in a fixed order."""
    table = AttendanceTable.from_records(store.sessions(), store.attendance())
    ties = project(table, network)
    hasher = hashlib.sha256()
    for a, b, data in sorted(ties.edges(), key=lambda edge: (edge[0], edge[1])):
        hasher.update(f"{a}|{b}|{data['sessions']}|{data['weight']!r}|"
                      f"{data['first_seen']}|{data['last_seen']}\n".encode())
    return hasher.hexdigest()


@dataclass
class MigrationReport:
    counts: dict[str, int]
    checksums: dict[str, str]

    def lines(self) -> list[str]:
        return ([f"copied {', '.join(f'{n:,} {part}' for part, n in self.counts.items())}"]
                + [f"{network} network checksum {digest[:16]} (same on both stores)"
                   for network, digest in self.checksums.items()])


def migrate(source: Store, target: Store) -> MigrationReport:
    """Copy ``source`` into the empty ``target`` and verify the copy."""
    target.restore(snapshot(source), source.history())
    counts = source.counts()
    if target.counts() != counts:
        raise StoreError(f"the copy's counts differ: {target.counts()} against {counts}")
    checksums = {}
    for network in ("people", "organisations"):
        ours, theirs = tie_checksum(source, network), tie_checksum(target, network)
        if ours != theirs:
            raise StoreError(f"the {network} tie networks differ after the copy")
        checksums[network] = ours
    return MigrationReport(counts, checksums)
