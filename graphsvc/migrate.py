"""Copying a whole database from one store to another (SQLite to Neo4j, or back), verified.

The copy is one transaction on the target: every claim (so imports stay undoable), the imports,
sticky merges, reviews and erasures. It is then checked: the counts of every part must match, and so must
a checksum of each tie network projected from each store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from graphsvc.errors import StoreError
from graphsvc.store import Store
from graphsvc.ties import AttendanceTable, project


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
    target.restore(source.history())
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
