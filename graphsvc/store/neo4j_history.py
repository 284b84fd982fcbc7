"""A Neo4j database's history (imports, provenance, merges, reviews): read whole, and written
into an empty database inside the caller's transaction (``graphsvc migrate``)."""

from __future__ import annotations

import json
from dataclasses import asdict

from graphsvc.store.base import History
from graphsvc.store.neo4j_write import chunks

_CREATED = {  # labels from this table, never from input
    label: (f"MATCH (n:{label}) WHERE n.created_by IS NOT NULL RETURN n.id, n.created_by",
            f"UNWIND $rows AS r MATCH (n:{label} {{id: r[0]}}) SET n.created_by = r[1]")
    for label in ("Person", "Organisation", "Session", "Community")
}


def read_history(values, imports, person_aliases, reviews) -> History:
    """``values(query)`` runs a read and gives its rows as lists."""
    created_by = {}
    for read, _ in _CREATED.values():
        created_by.update((node, by) for node, by in values(read))
    attendance = {(s, p): i for s, p, i in values(
        "MATCH (p:Person)-[a:ATTENDED]->(s:Session) WHERE a.import_id IS NOT NULL "
        "RETURN s.id, p.id, a.import_id")}
    declared = {(s, t): i for s, t, i in values(
        "MATCH (s)-[d:DECLARED]->(t) WHERE d.import_id IS NOT NULL "
        "RETURN s.id, t.id, d.import_id")}
    forgotten = dict(values("MATCH (f:Forgotten) RETURN f.id, f.erased_at"))
    return History(imports, created_by, attendance, declared, person_aliases, reviews,
                   forgotten)


def restore_history(tx, history: History) -> None:
    pairs = [[node, by] for node, by in history.created_by.items()]
    for _, write in _CREATED.values():
        for chunk in chunks(iter(pairs)):
            tx.run(write, rows=chunk).consume()
    for chunk in chunks(iter([[s, p, i] for (s, p), i in history.attendance.items()])):
        tx.run("UNWIND $rows AS r MATCH (:Person {id: r[1]})-[a:ATTENDED]->(:Session {id: r[0]}) "
               "SET a.import_id = r[2]", rows=chunk).consume()
    for chunk in chunks(iter([[s, t, i] for (s, t), i in history.declared.items()])):
        tx.run("UNWIND $rows AS r OPTIONAL MATCH (sp:Person {id: r[0]}) "
               "OPTIONAL MATCH (so:Organisation {id: r[0]}) WITH r, coalesce(sp, so) AS s "
               "MATCH (s)-[d:DECLARED]->(t) WHERE t.id = r[1] SET d.import_id = r[2]",
               rows=chunk).consume()
    for record in history.imports:
        tx.run("CREATE (:Import {id: $id, source: $source, format: $format, loaded_at: $at, "
               "counts: $counts, undone_at: $undone})", id=record.id, source=record.source,
               format=",".join(sorted({f.format for f in record.files})), at=record.loaded_at,
               counts=json.dumps(record.counts), undone=record.undone_at).consume()
        tx.run("UNWIND $files AS f CREATE (:ImportFile {import_id: $id, sha256: f.sha256, "
               "source: f.source, format: f.format, rows: f.rows, archive: f.archive})",
               id=record.id, files=[asdict(f) for f in record.files]).consume()
    tx.run("UNWIND $rows AS r CREATE (:PersonAlias {alias: r[0], person_id: r[1]})",
           rows=[[a, p] for a, p in history.person_aliases.items()]).consume()
    tx.run("UNWIND $rows AS r CREATE (:Forgotten {id: r[0], erased_at: r[1]})",
           rows=[[i, at] for i, at in history.forgotten.items()]).consume()
    tx.run("UNWIND $rows AS r CREATE (:MatchReview {id: r.id, name: r.name, new_id: r.new_id, "
           "candidate_id: r.candidate_id, score: r.score, status: r.status, "
           "import_id: r.import_id})", rows=[asdict(r) for r in history.reviews]).consume()
    tx.run("MATCH (m:Meta {key: 'graphsvc'}) SET m.next_review = $top",
           top=max((r.id for r in history.reviews), default=0)).consume()
