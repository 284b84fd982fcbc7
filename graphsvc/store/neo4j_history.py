"""A Neo4j database whole (claims, imports, merges, reviews, erasures): read, written into an
empty database inside the caller's transaction (``graphsvc migrate``), and the one-off change
of a database written before facts became claims (schema 1) into claims."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from graphsvc import rules
from graphsvc.store import neo4j_claims as claims
from graphsvc.store.base import History


def _all_claims(values, part: str) -> list[dict]:
    if part in claims.NODES:
        query = f"MATCH (n:{claims.NODES[part]}) RETURN n.claims"
    else:
        query = f"MATCH ()-[x:{claims.RELATIONSHIPS[part][0]}]->() RETURN x.claims"
    return [c for (texts,) in values(query) for c in claims.decode_all(texts)]


def read_history(values, imports, person_aliases, reviews) -> History:
    """``values(query)`` runs a read and gives its rows as lists."""
    found = {part: sorted(_all_claims(values, part), key=rules.FACTS[part].sort_key)
             for part in claims.ORDER}
    forgotten = dict(values("MATCH (f:Forgotten) RETURN f.id, f.erased_at"))
    return History(imports, found, person_aliases, reviews, forgotten)


def restore_history(tx, history: History) -> None:
    for part in claims.ORDER:
        if history.claims.get(part):
            claims.put(tx, part, history.claims[part])
    for record in history.imports:
        tx.run("CREATE (:Import {id: $id, source: $source, format: $format, loaded_at: $at, "
               "counts: $counts, undone_at: $undone})", id=record.id, source=record.source,
               format=",".join(sorted({f.format for f in record.files})), at=record.loaded_at,
               counts=json.dumps(record.counts), undone=record.undone_at).consume()
        tx.run("UNWIND $files AS f CREATE (:ImportFile {import_id: $id, sha256: f.sha256, "
               "source: f.source, format: f.format, rows: f.rows, archive: f.archive, "
               "options: f.options})",
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


# -- schema 1 (facts as properties) to 2 (claims) ---------------------------------------------
_OLD_NODES = {  # part -> (query of the old properties, as the model's fields in order)
    "places": "MATCH (n:Place) RETURN n.id, n.kind, n.name, n.code, n.parent_id, 'reference'",
    "sectors": "MATCH (n:Sector) RETURN n.id, n.name, n.category, 'reference'",
    "organisations": "MATCH (n:Organisation) OPTIONAL MATCH (n)-[:IN_SECTOR]->(s:Sector) "
                     "WITH n, collect(s.id) AS sectors OPTIONAL MATCH (a:OrganisationAlias "
                     "{organisation_id: n.id}) RETURN n.id, n.name, sectors, n.place_id, "
                     "n.scope, n.type, collect(a.alias), n.created_by",
    "people": "MATCH (n:Person) RETURN n.id, n.name, n.email, n.lived_experience, n.consent, "
              "n.expertise, n.place_id, n.created_by",
    "communities": "MATCH (n:Community) RETURN n.id, n.name, n.domain, n.scope, n.place_id, "
                   "n.started, n.created_by",
    "sessions": "MATCH (n:Session) RETURN n.id, n.community_id, n.title, n.held_on, "
                "n.place_id, n.online, n.created_by",
    "employments": "MATCH (p:Person)-[w:WORKS_AT]->(o:Organisation) RETURN p.id, o.id, w.role, "
                   "w.seniority, p.created_by",
    "attendance": "MATCH (p:Person)-[a:ATTENDED]->(s:Session) RETURN s.id, p.id, "
                  "a.organisation_id, a.minutes, a.role, a.import_id",
    "declared_ties": "MATCH (a)-[d:DECLARED]->(b) RETURN a.id, b.id, d.weight, d.declared_on, "
                     "d.note, d.import_id",
}


def _old_value(part: str, name: str, value):
    if isinstance(value, list):
        return tuple(sorted(value))
    if part == "people" and name == "expertise":
        return tuple(x for x in (value or "").split(";") if x)
    if name in ("started", "held_on", "declared_on") and value:
        return date.fromisoformat(value)
    return value


def to_claims(tx) -> None:
    """Every fact of a schema 1 database becomes a claim of the import that first wrote it
    ('legacy' where none did), stamped as the weakest evidence."""
    for part in claims.ORDER:
        fact = rules.FACTS[part]
        names = list(fact.model.__dataclass_fields__)
        elements = {}
        for record in tx.run(_OLD_NODES[part]):
            *row, source = record.values()
            item = fact.model(**{n: _old_value(part, n, v) for n, v in zip(names, row)})
            claim = fact.claim(item) | {"import_id": source or "legacy"}
            elements[fact.key_of(claim)] = [claim]
        claims.write(tx, part, elements, check=False)
    tx.run("MATCH (a:OrganisationAlias) DELETE a").consume()
    tx.run("MATCH (m:Meta {key: 'graphsvc'}) SET m.schema_version = 2").consume()
