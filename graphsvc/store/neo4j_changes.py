"""What changes a Neo4j graphsvc database: an import's reviews, undoing an import (and
recovering a load that never finished), merging two people or two organisations, consent by
hand, erasure. (An import's claims are written by :mod:`graphsvc.store.neo4j_load`.) Each
function runs inside the caller's write transaction and works through
:mod:`graphsvc.store.neo4j_claims`, so the rules (:mod:`graphsvc.rules`) fold every element's
claims, as they do in the SQLite store.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from graphsvc import rules
from graphsvc.archive import names_in, without_name
from graphsvc.errors import NotFound, StoreError
from graphsvc.model import MatchReview
from graphsvc.store import neo4j_claims as claims
from graphsvc.store.base import check_consent
from graphsvc.store.sqlite_changes import HAND


def write_reviews(tx, reviews: list[MatchReview], source: str | None) -> None:
    for review in reviews:  # few; each numbered from the meta node's counter
        tx.run("""MATCH (m:Meta {key: 'graphsvc'})
            OPTIONAL MATCH (old:MatchReview {new_id: $new_id, candidate_id: $candidate_id})
            WITH m, old WHERE old IS NULL
            SET m.next_review = m.next_review + 1
            CREATE (:MatchReview {id: m.next_review, name: $name, new_id: $new_id,
                candidate_id: $candidate_id, score: $score, status: 'pending', import_id: $by})""",
               name=review.name, new_id=review.new_id, candidate_id=review.candidate_id,
               score=review.score, by=source).consume()


def drop_forgotten(tx) -> int:
    """Inside an import's transaction: people erased before stay erased."""
    return tx.run("MATCH (f:Forgotten) MATCH (p:Person {id: f.id}) "
                  "DETACH DELETE p RETURN count(p) AS n").single()["n"]


def undo(tx, import_id: str) -> dict[str, int]:
    """Remove an import's claims and refold what is left; refused while a later import relies
    on something only this one added."""
    try:
        removed = remove_claims(tx, import_id)
    except claims.Dependency as exc:
        raise StoreError(
            f"import {import_id} cannot be undone: import {exc.user} uses {exc.node!r} "
            f"({exc.part}), which only import {import_id} added; undo {exc.user} first"
        ) from None
    tx.run("MATCH (r:MatchReview {import_id: $id, status: 'pending'}) DELETE r",
           id=import_id).consume()
    _tidy(tx)
    tx.run("MATCH (i:Import {id: $id}) SET i.undone_at = $at", id=import_id,
           at=_now()).consume()
    return removed


def remove_claims(tx, import_id: str, *, check: bool = True) -> dict[str, int]:
    """Every claim of one import gone, and what it was about refolded (deleted where nothing
    else claims it); how many things went, by part."""
    removed = {}
    for part in reversed(claims.ORDER):  # relationships before the nodes they join
        held = claims.with_import(tx, part, import_id)
        left = {key: [c for c in cs if c["import_id"] != import_id] for key, cs in held.items()}
        claims.write(tx, part, left, check=check)
        gone = sum(1 for cs in left.values() if not cs)
        if gone:
            removed[part] = gone
    return removed


def only_claimed(tx, import_id: str) -> dict[str, int]:
    """How many things, per part, only this import claims (what undoing it removes)."""
    found = {}
    for part in claims.ORDER:
        held = claims.with_import(tx, part, import_id).values()
        alone = sum(1 for cs in held if all(c["import_id"] == import_id for c in cs))
        if alone:
            found[part] = alone
    return found


def recover(tx) -> list[str]:
    """Inside a write holding the writers' lock (so no import is being loaded): remove what
    loads that never finished wrote (see :mod:`graphsvc.store.neo4j_load`); their ids."""
    abandoned = [r["id"] for r in tx.run("MATCH (l:Loading) SET l.abandoned = true "
                                         "RETURN l.id AS id ORDER BY id")]
    for source in abandoned:  # nothing can rely on them yet: their writer held the lock
        remove_claims(tx, source, check=False)
    tx.run("MATCH (l:Loading) DELETE l").consume()
    return abandoned


def _tidy(tx) -> None:
    """Reviews of organisations and aliases of people that no longer exist go too."""
    tx.run("MATCH (r:MatchReview) WHERE NOT EXISTS { MATCH (o:Organisation "
           "{id: r.candidate_id}) } DELETE r").consume()
    tx.run("MATCH (a:PersonAlias) WHERE NOT EXISTS { MATCH (p:Person {id: a.person_id}) } "
           "DELETE a").consume()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _require(tx, part: str, *ids: str) -> None:
    label = claims.NODES[part]
    for node in ids:
        if tx.run(f"MATCH (n:{label} {{id: $id}}) RETURN n.id", id=node).single() is None:
            raise NotFound(f"no {'person' if part == 'people' else 'organisation'} {node!r}")


def _take(tx, part: str, column: str, node: str) -> list[dict]:
    """Remove and return every claim of ``part`` whose ``column`` names ``node``."""
    if part in claims.NODES:
        held = {(node,): claims.decode_all(tx.run(
            f"MATCH (n:{claims.NODES[part]} {{id: $id}}) RETURN n.claims AS c",
            id=node).single()["c"])}
    else:
        kind, _, _ = claims.RELATIONSHIPS[part]
        where = {"person_id": "a", "organisation_id": "b", "source_id": "a",
                 "target_id": "b", "session_id": "b"}[column]
        rows = tx.run(f"MATCH (a)-[x:{kind}]->(b) WHERE {where}.id = $id "
                      "RETURN [a.id, b.id] AS k, x.claims AS c", id=node)
        held = {claims.key_of(part, r["k"]): claims.decode_all(r["c"]) for r in rows}
    claims.write(tx, part, {key: [] for key in held}, check=False)
    return [c for cs in held.values() for c in cs]


def _move(tx, part: str, column: str, old: str, new: str, change=None) -> None:
    moved = []
    for claim in _take(tx, part, column, old):
        claim = claim | {column: new}
        claim = change(claim) if change is not None else claim
        if claim is not None:
            moved.append(claim)
    if moved:
        claims.put(tx, part, moved)


def _declared_ends(claim):
    ends = sorted((claim["source_id"], claim["target_id"]))
    return None if ends[0] == ends[1] else claim | {"source_id": ends[0], "target_id": ends[1]}


def merge_people(tx, keep: str, other: str) -> None:
    if keep == other:
        raise NotFound("a person cannot be merged with themself")
    _require(tx, "people", keep, other)
    for part, column in (("attendance", "person_id"), ("employments", "person_id")):
        _move(tx, part, column, other, keep)
    for column in ("source_id", "target_id"):
        _move(tx, "declared_ties", column, other, keep, _declared_ends)
    _move(tx, "people", "id", other, keep)
    tx.run("MATCH (a:PersonAlias {person_id: $other}) SET a.person_id = $keep",
           keep=keep, other=other).consume()
    tx.run("MERGE (a:PersonAlias {alias: $other}) SET a.person_id = $keep",
           keep=keep, other=other).consume()


def merge_organisations(tx, keep: str, other: str) -> None:
    if keep == other:
        raise NotFound("an organisation cannot be merged with itself")
    _require(tx, "organisations", keep, other)

    def as_alias(claim):  # what the other called itself becomes another name of keep's
        name = claim.pop("name", None)
        return claim | {"name_at": None, "aliases": rules.Union().join(
            claim.get("aliases"), (name,) if name else ())}

    _move(tx, "employments", "organisation_id", other, keep)
    for column in ("source_id", "target_id"):
        _move(tx, "declared_ties", column, other, keep, _declared_ends)
    visits = [c | {"organisation_id": keep if c.get("organisation_id") == other
                   else c.get("organisation_id")} for c in _visits_naming(tx, other)]
    _move(tx, "organisations", "id", other, keep, as_alias)
    if visits:
        claims.put(tx, "attendance", visits)
    tx.run("MATCH (r:MatchReview) WHERE (r.new_id = $other AND r.status = 'pending') "
           "OR r.candidate_id = $other DELETE r", other=other).consume()


def _visits_naming(tx, organisation: str) -> list[dict]:
    """Remove and return the visit claims naming an organisation (to be put back renamed)."""
    rows = tx.run("MATCH (a:Person)-[x:ATTENDED]->(b:Session) WHERE x.organisation_id = $id "
                  "OR any(c IN x.claims WHERE c CONTAINS $named) "
                  "RETURN [a.id, b.id] AS k, x.claims AS c", id=organisation,
                  named=claims.encode({"organisation_id": organisation})[1:-1])
    held = {claims.key_of("attendance", r["k"]): claims.decode_all(r["c"]) for r in rows}
    taken = [c for cs in held.values() for c in cs]
    claims.write(tx, "attendance", {key: [] for key in held}, check=False)
    return taken


def add_alias(tx, organisation_id: str, alias: str) -> None:
    claims.put(tx, "organisations", [{"id": organisation_id, "aliases": (alias,),
                                      "import_id": HAND}])


def set_consent(tx, person_id: str, consent: str) -> None:
    """An admin's record of a person's consent: it replaces their earlier record, and stands
    until a file about a later session says otherwise."""
    check_consent(consent)
    _require(tx, "people", person_id)
    held = claims.decode_all(tx.run("MATCH (n:Person {id: $id}) RETURN n.claims AS c",
                                    id=person_id).single()["c"])
    others = [c for c in held if c["import_id"] != HAND]
    hand = next((c for c in held if c["import_id"] == HAND), {"id": person_id,
                                                               "import_id": HAND})
    hand = hand | {"consent": consent, "consent_at": rules.stamp(date.today())}
    claims.write(tx, "people", {(person_id,): [*others, hand]})


def decide_review(tx, review: MatchReview, confirm: bool) -> None:
    tx.run("MATCH (r:MatchReview {id: $id}) SET r.status = $status", id=review.id,
           status="confirmed" if confirm else "rejected").consume()
    if not confirm:
        return
    if tx.run("MATCH (o:Organisation {id: $id}) RETURN o.id", id=review.new_id).single():
        merge_organisations(tx, review.candidate_id, review.new_id)
    else:
        add_alias(tx, review.candidate_id, review.name)


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
           id=person_id, now=_now()).consume()
    aliases = tx.run("MATCH (a:PersonAlias) WHERE a.person_id = $id OR a.alias = $id "
                     "DELETE a RETURN count(*) AS n", id=person_id).single()["n"]
    tx.run("MATCH (p:Person {id: $id}) DETACH DELETE p", id=person_id).consume()
    return {"name": found["name"], "email": found["email"],
            "removed": {"attendance": found["attendance"],
                        "declared_ties": found["declared_ties"],
                        "employments": found["employments"], "aliases": aliases}}


def remember_erased(tx, person_id: str) -> None:
    tx.run("MERGE (f:Forgotten {id: $id}) ON CREATE SET f.erased_at = $now", id=person_id,
           now=_now()).consume()


def redact_name(tx, name: str) -> int:
    """An erased person's name out of session titles (their claims too) and import file
    names."""
    changed = 0
    held = {}
    for record in tx.run("MATCH (s:Session) RETURN s.id AS id, s.claims AS claims"):
        claims_ = claims.decode_all(record["claims"])
        if any(names_in(c.get("title"), name) for c in claims_):
            held[(record["id"],)] = [c | {"title": without_name(c["title"], name)}
                                     if names_in(c.get("title"), name) else c for c in claims_]
    claims.write(tx, "sessions", held)
    changed += len(held)
    for label, key in (("Import", "source"), ("ImportFile", "source"),
                       ("ImportFile", "options")):  # labels and keys from this fixed list
        rows = tx.run(f"MATCH (n:{label}) WHERE n.{key} IS NOT NULL "
                      f"RETURN elementId(n) AS e, n.{key} AS text").data()
        for row in rows:
            if names_in(row["text"], name):
                tx.run(f"MATCH (n:{label}) WHERE elementId(n) = $e SET n.{key} = $text",
                       e=row["e"], text=without_name(row["text"], name)).consume()
                changed += 1
    return changed
