"""How a batch is written to Neo4j: one ``UNWIND $rows ... MERGE`` statement per part, sent in
chunks inside the caller's transaction, after a check that everything the batch refers to
exists (Neo4j has no foreign keys; SQLite's would refuse the same batch).

Labels and relationship types are fixed in this module; values only ever travel as parameters.
The upsert rules are SQLite's (:mod:`graphsvc.store.sqlite`): a later import fills in what an
earlier one left unknown but never blanks a known value.
"""

from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator

from graphsvc.errors import StoreError
from graphsvc.model import Batch

CHUNK = 10_000

_UPSERT = {
    "places": """UNWIND $rows AS r MERGE (n:Place {id: r.id})
        SET n.kind = r.kind, n.name = r.name, n.code = r.code,
            n.parent_id = coalesce(r.parent_id, n.parent_id)""",
    "sectors": """UNWIND $rows AS r MERGE (n:Sector {id: r.id})
        SET n.name = r.name, n.category = r.category""",
    "organisations": """UNWIND $rows AS r MERGE (n:Organisation {id: r.id})
        ON CREATE SET n.created_by = $by, n.scope = r.scope, n.type = r.type
        SET n.name = r.name, n.place_id = coalesce(r.place_id, n.place_id),
            n.scope = CASE WHEN r.scope <> 'local' THEN r.scope ELSE n.scope END,
            n.type = CASE WHEN r.type <> 'other' THEN r.type ELSE n.type END
        WITH n, r UNWIND r.sector_ids AS sector
        MATCH (s:Sector {id: sector}) MERGE (n)-[:IN_SECTOR]->(s)""",
    "aliases": """UNWIND $rows AS r MERGE (a:OrganisationAlias {alias: r.alias})
        SET a.organisation_id = r.organisation_id""",
    "people": """UNWIND $rows AS r MERGE (n:Person {id: r.id})
        ON CREATE SET n.created_by = $by, n.lived_experience = r.lived_experience,
            n.consent = r.consent, n.expertise = r.expertise
        SET n.name = r.name, n.email = coalesce(r.email, n.email),
            n.lived_experience = CASE WHEN r.lived_experience <> 'none'
                THEN r.lived_experience ELSE n.lived_experience END,
            n.consent = CASE WHEN n.consent = 'withdrawn' THEN n.consent ELSE r.consent END,
            n.expertise = CASE WHEN r.expertise <> '' THEN r.expertise ELSE n.expertise END,
            n.place_id = coalesce(r.place_id, n.place_id)""",
    "employments": """UNWIND $rows AS r
        MATCH (p:Person {id: r.person_id}), (o:Organisation {id: r.organisation_id})
        MERGE (p)-[w:WORKS_AT]->(o)
        ON CREATE SET w.role = r.role, w.seniority = r.seniority
        SET w.role = CASE WHEN r.role <> '' THEN r.role ELSE w.role END,
            w.seniority = CASE WHEN r.seniority = 'senior' THEN 'senior' ELSE w.seniority END""",
    "communities": """UNWIND $rows AS r MERGE (n:Community {id: r.id})
        ON CREATE SET n.created_by = $by, n.domain = r.domain
        SET n.name = r.name,
            n.domain = CASE WHEN r.domain <> '' THEN r.domain ELSE n.domain END,
            n.scope = r.scope, n.place_id = coalesce(r.place_id, n.place_id),
            n.started = coalesce(r.started, n.started)""",
    "sessions": """UNWIND $rows AS r MATCH (c:Community {id: r.community_id})
        MERGE (n:Session {id: r.id})
        ON CREATE SET n.created_by = $by, n.community_id = r.community_id,
            n.held_on = r.held_on
        SET n.title = r.title, n.place_id = coalesce(r.place_id, n.place_id),
            n.online = r.online
        MERGE (n)-[:OF]->(c)""",
    "attendance": """UNWIND $rows AS r
        MATCH (p:Person {id: r.person_id}), (s:Session {id: r.session_id})
        MERGE (p)-[a:ATTENDED]->(s)
        ON CREATE SET a.import_id = $by, a.minutes = r.minutes
        SET a.organisation_id = coalesce(r.organisation_id, a.organisation_id),
            a.minutes = coalesce(r.minutes, a.minutes), a.role = r.role""",
    "declared_ties": """UNWIND $rows AS r
        OPTIONAL MATCH (sp:Person {id: r.source_id}) OPTIONAL MATCH (so:Organisation {id: r.source_id})
        OPTIONAL MATCH (tp:Person {id: r.target_id}) OPTIONAL MATCH (to:Organisation {id: r.target_id})
        WITH r, coalesce(sp, so) AS source, coalesce(tp, to) AS target
        MERGE (source)-[d:DECLARED]->(target)
        ON CREATE SET d.import_id = $by
        SET d.weight = r.weight, d.declared_on = r.declared_on, d.note = r.note""",
}

# what each part refers to: (part, field, label of the node it names)
_REFERENCES = (
    ("places", "parent_id", "Place"),
    ("organisations", "place_id", "Place"),
    ("organisations", "sector_ids", "Sector"),
    ("people", "place_id", "Place"),
    ("employments", "person_id", "Person"),
    ("employments", "organisation_id", "Organisation"),
    ("communities", "place_id", "Place"),
    ("sessions", "community_id", "Community"),
    ("sessions", "place_id", "Place"),
    ("attendance", "session_id", "Session"),
    ("attendance", "person_id", "Person"),
    ("attendance", "organisation_id", "Organisation"),
    ("declared_ties", "source_id", "Actor"),
    ("declared_ties", "target_id", "Actor"),
    ("reviews", "candidate_id", "Organisation"),
)
_CREATES = {"places": "Place", "sectors": "Sector", "organisations": "Organisation",
            "people": "Person", "communities": "Community", "sessions": "Session"}
_EXISTING = {
    "Place": "UNWIND $ids AS id MATCH (n:Place {id: id}) RETURN n.id AS id",
    "Sector": "UNWIND $ids AS id MATCH (n:Sector {id: id}) RETURN n.id AS id",
    "Organisation": "UNWIND $ids AS id MATCH (n:Organisation {id: id}) RETURN n.id AS id",
    "Person": "UNWIND $ids AS id MATCH (n:Person {id: id}) RETURN n.id AS id",
    "Community": "UNWIND $ids AS id MATCH (n:Community {id: id}) RETURN n.id AS id",
    "Session": "UNWIND $ids AS id MATCH (n:Session {id: id}) RETURN n.id AS id",
}


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def rows(part: str, items: Iterable) -> Iterator[dict]:
    """Model objects as the parameter maps of ``_UPSERT[part]``."""
    for x in items:
        if part == "places":
            yield {"id": x.id, "kind": x.kind, "name": x.name, "code": x.code,
                   "parent_id": x.parent_id}
        elif part == "sectors":
            yield {"id": x.id, "name": x.name, "category": x.category}
        elif part == "organisations":
            yield {"id": x.id, "name": x.name, "place_id": x.place_id, "scope": x.scope,
                   "type": x.type, "sector_ids": list(x.sector_ids)}
        elif part == "people":
            yield {"id": x.id, "name": x.name, "email": x.email,
                   "lived_experience": x.lived_experience, "consent": x.consent,
                   "expertise": ";".join(x.expertise), "place_id": x.place_id}
        elif part == "employments":
            yield {"person_id": x.person_id, "organisation_id": x.organisation_id,
                   "role": x.role, "seniority": x.seniority}
        elif part == "communities":
            yield {"id": x.id, "name": x.name, "domain": x.domain, "scope": x.scope,
                   "place_id": x.place_id, "started": _iso(x.started)}
        elif part == "sessions":
            yield {"id": x.id, "community_id": x.community_id, "title": x.title,
                   "held_on": x.held_on.isoformat(), "place_id": x.place_id,
                   "online": bool(x.online)}
        elif part == "attendance":
            yield {"session_id": x.session_id, "person_id": x.person_id,
                   "organisation_id": x.organisation_id, "minutes": x.minutes, "role": x.role}
        elif part == "declared_ties":
            yield {"source_id": x.source_id, "target_id": x.target_id, "weight": x.weight,
                   "declared_on": _iso(x.declared_on), "note": x.note}


def chunks(items: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    while chunk := list(islice(items, size)):
        yield chunk


def check_references(tx, batch: Batch) -> None:
    """Refuse a batch that names something neither it nor the store holds."""
    created = {label: {x.id for x in getattr(batch, part)} for part, label in _CREATES.items()}
    created["Actor"] = created["Person"] | created["Organisation"]
    wanted: dict[str, dict[str, tuple[str, str]]] = {}
    for part, field, label in _REFERENCES:
        for item in getattr(batch, part):
            values = getattr(item, field)
            for value in values if isinstance(values, tuple) else (values,):
                if value is not None and value not in created[label]:
                    wanted.setdefault(label, {}).setdefault(value, (part, field))
    for label, names in wanted.items():
        found: set[str] = set()
        for kind in (("Person", "Organisation") if label == "Actor" else (label,)):
            ids = [i for i in names if i not in found]
            for chunk in chunks(iter(ids)):
                found |= {r["id"] for r in tx.run(_EXISTING[kind], ids=chunk)}
        missing = sorted(set(names) - found)
        if missing:
            part, field = names[missing[0]]
            raise StoreError(
                f"the import breaks the database's integrity ({part}.{field} names "
                f"{missing[0]!r}, which does not exist); nothing was written")


def write_batch(tx, batch: Batch, by: str | None) -> dict[str, int]:
    """Write every part of the batch inside ``tx``; return rows written per part."""
    check_references(tx, batch)
    written: dict[str, int] = {}
    for part in ("places", "sectors", "organisations", "people", "employments", "communities",
                 "sessions", "attendance", "declared_ties"):
        items = getattr(batch, part)
        if not len(items):
            continue
        for chunk in chunks(rows(part, items)):
            tx.run(_UPSERT[part], rows=chunk, by=by).consume()
        written[part] = len(items)
        if part == "organisations":
            aliases = [{"alias": a, "organisation_id": o.id}
                       for o in items for a in o.aliases]
            for chunk in chunks(iter(aliases)):
                tx.run(_UPSERT["aliases"], rows=chunk).consume()
    for review in batch.reviews:  # few; each numbered from the meta node's counter
        tx.run("""MATCH (m:Meta {key: 'graphsvc'})
            OPTIONAL MATCH (old:MatchReview {new_id: $new_id, candidate_id: $candidate_id})
            WITH m, old WHERE old IS NULL
            SET m.next_review = m.next_review + 1
            CREATE (:MatchReview {id: m.next_review, name: $name, new_id: $new_id,
                candidate_id: $candidate_id, score: $score, status: 'pending', import_id: $by})""",
               name=review.name, new_id=review.new_id, candidate_id=review.candidate_id,
               score=review.score, by=by).consume()
    return written
