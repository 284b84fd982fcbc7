"""Changes to a Neo4j graphsvc database beyond loading: undoing an import, merging two people or
two organisations, deciding a review. Each function runs inside the caller's transaction and
keeps the rules of :mod:`graphsvc.store.sqlite_undo` (where SQLite cascades a delete, these
delete the dependants themselves)."""

from __future__ import annotations

from datetime import datetime, timezone

from graphsvc.errors import NotFound
from graphsvc.model import MatchReview


def _count(tx, query: str, **params) -> int:
    return tx.run(query, **params).single()["n"]


def undo(tx, import_id: str) -> dict[str, int]:
    """Remove the rows an import first added, and what it created that nothing else uses."""
    removed = {
        "attendance": _count(tx, "MATCH ()-[a:ATTENDED {import_id: $id}]->() DELETE a "
                                 "RETURN count(*) AS n", id=import_id),
        "declared_ties": _count(tx, "MATCH ()-[d:DECLARED {import_id: $id}]->() DELETE d "
                                    "RETURN count(*) AS n", id=import_id),
        "sessions": _count(tx, "MATCH (s:Session {created_by: $id}) "
                               "WHERE NOT EXISTS { ()-[:ATTENDED]->(s) } "
                               "DETACH DELETE s RETURN count(*) AS n", id=import_id),
    }
    gone = [r["id"] for r in tx.run(
        "MATCH (p:Person {created_by: $id}) WHERE NOT EXISTS { (p)-[:ATTENDED]->() } "
        "AND NOT EXISTS { (p)-[:DECLARED]-() } WITH p, p.id AS id DETACH DELETE p RETURN id",
        id=import_id)]
    tx.run("MATCH (a:PersonAlias) WHERE a.person_id IN $ids DELETE a", ids=gone).consume()
    removed["people"] = len(gone)
    tx.run("MATCH (r:MatchReview {import_id: $id, status: 'pending'}) DELETE r",
           id=import_id).consume()
    gone = [r["id"] for r in tx.run(
        "MATCH (o:Organisation {created_by: $id}) "
        "WHERE NOT EXISTS { MATCH ()-[a:ATTENDED]->() WHERE a.organisation_id = o.id } "
        "AND NOT EXISTS { (o)<-[:WORKS_AT]-() } AND NOT EXISTS { (o)-[:DECLARED]-() } "
        "AND NOT EXISTS { MATCH (r:MatchReview) WHERE r.candidate_id = o.id } "
        "WITH o, o.id AS id DETACH DELETE o RETURN id", id=import_id)]
    tx.run("MATCH (a:OrganisationAlias) WHERE a.organisation_id IN $ids DELETE a",
           ids=gone).consume()
    removed["organisations"] = len(gone)
    removed["communities"] = _count(
        tx, "MATCH (c:Community {created_by: $id}) WHERE NOT EXISTS { (c)<-[:OF]-() } "
            "DETACH DELETE c RETURN count(*) AS n", id=import_id)
    tx.run("MATCH (i:Import {id: $id}) SET i.undone_at = $at", id=import_id,
           at=datetime.now(timezone.utc).isoformat(timespec="seconds")).consume()
    return removed


def _require(tx, label: str, *ids: str) -> None:
    queries = {"Person": "MATCH (n:Person {id: $id}) RETURN n.id",
               "Organisation": "MATCH (n:Organisation {id: $id}) RETURN n.id"}
    for node in ids:
        if tx.run(queries[label], id=node).single() is None:
            raise NotFound(f"no {'person' if label == 'Person' else 'organisation'} {node!r}")


_REPOINT = {  # the label comes from this table, never from input
    label: (f"""MATCH (k:{label} {{id: $keep}}), (:{label} {{id: $other}})-[d:DECLARED]->(t)
        WHERE t.id <> $keep MERGE (k)-[n:DECLARED]->(t) ON CREATE SET n = properties(d)""",
            f"""MATCH (k:{label} {{id: $keep}}), (s)-[d:DECLARED]->(:{label} {{id: $other}})
        WHERE s.id <> $keep AND s.id <> $other
        MERGE (s)-[n:DECLARED]->(k) ON CREATE SET n = properties(d)""")
    for label in ("Person", "Organisation")
}


def _repoint_declared(tx, label: str, keep: str, other: str) -> None:
    """Ties of ``other`` become ties of ``keep`` (one already there wins; a tie between the
    two is dropped), in the direction they had."""
    for query in _REPOINT[label]:
        tx.run(query, keep=keep, other=other).consume()


def merge_people(tx, keep: str, other: str) -> None:
    if keep == other:
        raise NotFound("a person cannot be merged with themself")
    _require(tx, "Person", keep, other)
    tx.run("""MATCH (k:Person {id: $keep}), (o:Person {id: $other})-[a:ATTENDED]->(s)
        MERGE (k)-[b:ATTENDED]->(s)
        ON CREATE SET b = properties(a)
        ON MATCH SET b.minutes = CASE WHEN coalesce(b.minutes, 0) >= coalesce(a.minutes, 0)
            THEN coalesce(b.minutes, 0) ELSE coalesce(a.minutes, 0) END""",
           keep=keep, other=other).consume()
    tx.run("""MATCH (k:Person {id: $keep}), (o:Person {id: $other})-[w:WORKS_AT]->(org)
        MERGE (k)-[n:WORKS_AT]->(org) ON CREATE SET n = properties(w)""",
           keep=keep, other=other).consume()
    tx.run("""MATCH (k:Person {id: $keep}), (o:Person {id: $other})
        SET k.email = coalesce(k.email, o.email), k.place_id = coalesce(k.place_id, o.place_id)""",
           keep=keep, other=other).consume()
    _repoint_declared(tx, "Person", keep, other)
    tx.run("MATCH (a:PersonAlias {person_id: $other}) SET a.person_id = $keep",
           keep=keep, other=other).consume()
    tx.run("MATCH (o:Person {id: $other}) DETACH DELETE o", other=other).consume()
    tx.run("MERGE (a:PersonAlias {alias: $other}) SET a.person_id = $keep",
           keep=keep, other=other).consume()


def merge_organisations(tx, keep: str, other: str) -> None:
    if keep == other:
        raise NotFound("an organisation cannot be merged with itself")
    _require(tx, "Organisation", keep, other)
    name = tx.run("MATCH (o:Organisation {id: $id}) RETURN o.name AS name", id=other).single()
    tx.run("MATCH ()-[a:ATTENDED {organisation_id: $other}]->() SET a.organisation_id = $keep",
           keep=keep, other=other).consume()
    tx.run("""MATCH (k:Organisation {id: $keep}), (p:Person)-[w:WORKS_AT]->(:Organisation {id: $other})
        MERGE (p)-[n:WORKS_AT]->(k) ON CREATE SET n = properties(w)""",
           keep=keep, other=other).consume()
    tx.run("""MATCH (k:Organisation {id: $keep}), (:Organisation {id: $other})-[:IN_SECTOR]->(s)
        MERGE (k)-[:IN_SECTOR]->(s)""", keep=keep, other=other).consume()
    tx.run("MATCH (a:OrganisationAlias {organisation_id: $other}) SET a.organisation_id = $keep",
           keep=keep, other=other).consume()
    tx.run("""MATCH (k:Organisation {id: $keep}), (o:Organisation {id: $other})
        SET k.place_id = coalesce(k.place_id, o.place_id)""", keep=keep, other=other).consume()
    _repoint_declared(tx, "Organisation", keep, other)
    tx.run("MATCH (r:MatchReview {new_id: $other, status: 'pending'}) DELETE r",
           other=other).consume()
    tx.run("MATCH (r:MatchReview {candidate_id: $other}) DELETE r", other=other).consume()
    tx.run("MATCH (o:Organisation {id: $other}) DETACH DELETE o", other=other).consume()
    tx.run("MERGE (a:OrganisationAlias {alias: $name}) SET a.organisation_id = $keep",
           name=name["name"], keep=keep).consume()


def decide(tx, review: MatchReview, confirm: bool) -> None:
    tx.run("MATCH (r:MatchReview {id: $id}) SET r.status = $status", id=review.id,
           status="confirmed" if confirm else "rejected").consume()
    if not confirm:
        return
    if tx.run("MATCH (o:Organisation {id: $id}) RETURN o.id", id=review.new_id).single():
        merge_organisations(tx, review.candidate_id, review.new_id)
    else:
        tx.run("MERGE (a:OrganisationAlias {alias: $name}) SET a.organisation_id = $keep",
               name=review.name, keep=review.candidate_id).consume()


def forget_person(tx, person_id: str) -> dict:
    """Delete a person with their attendance, employment, declared ties and aliases."""
    found = tx.run("MATCH (p:Person {id: $id}) RETURN p.name AS name, p.email AS email, "
                   "COUNT { (p)-[:ATTENDED]->() } AS attendance, "
                   "COUNT { (p)-[:DECLARED]-() } AS declared_ties, "
                   "COUNT { (p)-[:WORKS_AT]->() } AS employments", id=person_id).single()
    if found is None:
        raise NotFound(f"no person {person_id!r}")
    tx.run("MATCH (a:PersonAlias {person_id: $id}) WITH collect(a.alias) + [$id] AS ids "
           "UNWIND ids AS i MERGE (f:Forgotten {id: i}) ON CREATE SET f.erased_at = $now",
           id=person_id, now=datetime.now(timezone.utc).isoformat(timespec="seconds")).consume()
    aliases = tx.run("MATCH (a:PersonAlias) WHERE a.person_id = $id OR a.alias = $id "
                     "DELETE a RETURN count(*) AS n", id=person_id).single()["n"]
    tx.run("MATCH (p:Person {id: $id}) DETACH DELETE p", id=person_id).consume()
    return {"name": found["name"], "email": found["email"],
            "removed": {"attendance": found["attendance"],
                        "declared_ties": found["declared_ties"],
                        "employments": found["employments"], "aliases": aliases}}
