"""Claims in Neo4j: every node and relationship that holds facts keeps the claims made about it
(``claims``: JSON texts, each naming its ``import_id``; ``claim_imports``: those ids), and its
properties are their fold by :mod:`graphsvc.rules`, worked out in Python whenever its claims
change. So the graph reads as what it describes, and undo is exact.

Labels, relationship types and property names come from the tables in this module; values
only ever travel as parameters.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import Iterable, Iterator

from graphsvc import rules
from graphsvc.errors import StoreError

CHUNK = 10_000
NODES = {"places": "Place", "sectors": "Sector", "organisations": "Organisation",
         "people": "Person", "communities": "Community", "sessions": "Session"}
# relationship parts: (type, label of the start, label of the end); None: Person or Organisation
RELATIONSHIPS = {"employments": ("WORKS_AT", "Person", "Organisation"),
                 "attendance": ("ATTENDED", "Person", "Session"),
                 "declared_ties": ("DECLARED", None, None)}
ORDER = ("places", "sectors", "organisations", "people", "communities", "sessions",
         "employments", "attendance", "declared_ties")
ACTOR = "coalesce({v}p, {v}o)"


def chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def _ends(part: str, k: str = "r.k") -> str:
    """MATCH clauses binding ``a`` and ``b``, the ends of a relationship part, from ``k[0]``
    and ``k[1]`` (``k``: how the query names the ends' ids)."""
    _, start, end = RELATIONSHIPS[part]
    if start is None:
        return (f"OPTIONAL MATCH (ap:Person {{id: {k}[0]}}) OPTIONAL MATCH (ao:Organisation "
                f"{{id: {k}[0]}}) OPTIONAL MATCH (bp:Person {{id: {k}[1]}}) OPTIONAL MATCH "
                f"(bo:Organisation {{id: {k}[1]}}) WITH r, coalesce(ap, ao) AS a, "
                "coalesce(bp, bo) AS b")
    return f"MATCH (a:{start} {{id: {k}[0]}}), (b:{end} {{id: {k}[1]}})"


def _read(tx, part: str, keys: list[tuple]) -> dict[tuple, list[dict]]:
    """The claims already held about these keys."""
    out: dict[tuple, list[dict]] = {}
    if part in NODES:
        query = (f"UNWIND $keys AS k MATCH (n:{NODES[part]} {{id: k[0]}}) "
                 "RETURN [n.id] AS k, n.claims AS claims")
        batches = chunks([list(k) for k in keys])
    elif part == "attendance":  # by session: a new session has none, and costs one look-up
        query = ("UNWIND $keys AS sid MATCH (s:Session {id: sid})<-[x:ATTENDED]-(p:Person) "
                 "RETURN [sid, p.id] AS k, x.claims AS claims")
        batches = chunks(sorted({k[0] for k in keys}))
    else:
        kind = RELATIONSHIPS[part][0]
        query = ("UNWIND $keys AS k WITH {k: k} AS r " + _ends(part)
                 + f" MATCH (a)-[x:{kind}]->(b) RETURN r.k AS k, x.claims AS claims")
        batches = chunks([list(k) for k in keys])
    for batch in batches:
        for record in tx.run(query, keys=batch):
            out[tuple(record["k"])] = [decode(c) for c in record["claims"] or ()]
    return out


def decode_all(texts) -> list[dict]:
    return [decode(t) for t in texts or ()]


def decode(text: str) -> dict:
    claim = json.loads(text)
    for name in ("started", "held_on", "declared_on"):
        if claim.get(name):
            claim[name] = date.fromisoformat(claim[name])
    for name, value in list(claim.items()):
        if isinstance(value, list):
            claim[name] = tuple(value)
    return claim


_ENCODER = json.JSONEncoder(default=lambda v: v.isoformat(), sort_keys=True)


def encode(claim: dict) -> str:
    return _ENCODER.encode(claim)  # json.dumps(claim, sort_keys=True, ...) without its set-up


@lru_cache(maxsize=None)
def columns(part: str) -> tuple[str, ...]:
    """An element's properties, in order: the model's fields (a relationship's without its
    key, which its ends give), then its claims and the imports that made them."""
    fact = rules.FACTS[part]
    names = [f.name for f in fields(fact.model) if part in NODES or f.name not in fact.key]
    return (*names, "claims", "claim_imports")


def properties(part: str, claims: list[dict]) -> list:
    """What the element's properties are, in the order of :func:`columns`: its claims folded,
    and the claims themselves."""
    fact = rules.FACTS[part]
    values = fact.values(fact.fold(claims))
    if part in RELATIONSHIPS:
        for name in fact.key:
            del values[name]
    out = [list(v) if isinstance(v, tuple) else v.isoformat() if isinstance(v, date) else v
           for v in values.values()]
    out.append([encode(c) for c in claims])
    out.append(sorted({c["import_id"] for c in claims}))
    return out


def put(tx, part: str, incoming: list[dict]) -> int:
    """Add claims (each naming its import_id) to what the store holds and refold; a second
    claim from the same import about the same thing is joined with the first. How many
    things were claimed."""
    changes, count = plan(tx, part, incoming)
    write_rows(tx, part, changes)
    return count


def plan(tx, part: str, incoming: list[dict]) -> tuple[Rows, int]:
    """What :func:`put` writes (what is held is read in ``tx``), and how many things."""
    fact = rules.FACTS[part]
    grouped: dict[tuple, dict[str, dict]] = {}
    for claim in incoming:
        bucket = grouped.setdefault(fact.key_of(claim), {})
        source = claim["import_id"]
        bucket[source] = claim if source not in bucket else (
            fact.join(bucket[source], claim) | {"import_id": source})
    held = _read(tx, part, list(grouped))
    elements = {}
    for key, new in grouped.items():
        claims = []
        for claim in held.get(key, []):
            source = claim["import_id"]
            if source in new:  # the same import's word again (a merge): join them
                new[source] = fact.join(claim, new[source]) | {"import_id": source}
            else:
                claims.append(claim)
        elements[key] = claims + list(new.values())
    return rows(part, elements, grouped.keys() - held.keys()), len(grouped)


Rows = tuple[list, list, list]  # elements to create, to set, to delete


def rows(part: str, elements: dict[tuple, list[dict]], fresh=frozenset()) -> Rows:
    """The rows :func:`write_rows` writes: an element whose key is ``fresh`` is known not to
    exist yet (created without looking for it first), one left without claims is deleted."""
    made, kept, gone = [], [], []
    for key, held in elements.items():
        ends = _ends_of(part, key)
        if not held:
            gone.append(ends)
        elif key in fresh:  # a node's id is its first property; a relationship's ends lead
            made.append(properties(part, held) if part in NODES
                        else [*ends, *properties(part, held)])
        else:
            kept.append({"k": ends, "props": dict(zip(columns(part), properties(part, held)))})
    return made, kept, gone


def write(tx, part: str, elements: dict[tuple, list[dict]], *, check: bool = True) -> None:
    """Set each element's properties from its claims; an element left with none is deleted
    (a node only when nothing else still refers to it: see :func:`check_unused`; ``check``
    False when what refers to it is being moved)."""
    write_rows(tx, part, rows(part, elements), check=check)


def write_rows(tx, part: str, changes: Rows, *, check: bool = True) -> None:
    made, kept, gone = changes
    for batch in (by_session(made) if part == "attendance" else chunks(made)):
        tx.run(_create(part), rows=batch).consume()
    for batch in chunks(kept):
        tx.run(_upsert(part), rows=batch).consume()
    if part in NODES and gone and check:
        check_unused(tx, part, [k[0] for k in gone])
    for batch in chunks(gone):
        tx.run(_delete(part), rows=batch).consume()
    if part == "organisations":  # new ones were linked as they were made
        _sync_sectors(tx, [r["k"][0] for r in kept])
    elif part == "sessions":
        _sync_communities(tx, [r["k"][0] for r in kept])


def by_session(made: list[list]) -> Iterator[list]:
    """New visits ([person, session, values...]) as [session, [[person, values...], ...]],
    in batches of about :data:`CHUNK` visits: the server looks each session up once.

    >>> list(by_session([["p1", "s1", 5], ["p2", "s2", 6], ["p3", "s1", 7]]))
    [[['s1', [['p1', 5], ['p3', 7]]], ['s2', [['p2', 6]]]]]
    """
    sessions: dict[str, list] = {}
    for person, session, *values in made:
        sessions.setdefault(session, []).append([person, *values])
    batch, size = [], 0
    for session, visits in sessions.items():
        batch.append([session, visits])
        size += len(visits)
        if size >= CHUNK:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


# what a new node is linked to as it is made (property names from this module's tables)
_LINKS = {"organisations": " WITH n UNWIND n.sector_ids AS sid MATCH (s:Sector {id: sid}) "
                           "CREATE (n)-[:IN_SECTOR]->(s)",
          "sessions": " WITH n MATCH (c:Community {id: n.community_id}) CREATE (n)-[:OF]->(c)"}


@lru_cache(maxsize=None)
def _create(part: str) -> str:
    """New elements from rows of values in the order of :func:`columns` (after a
    relationship's two ends; visits come by session, see :func:`by_session`): created with
    their properties, which costs about half of creating them and then setting a map
    (property names from the model, never from input)."""
    offset = 0 if part in NODES else 1 if part == "attendance" else 2
    inline = ", ".join(f"{name}: r[{i + offset}]" for i, name in enumerate(columns(part)))
    if part in NODES:
        return f"UNWIND $rows AS r CREATE (n:{NODES[part]} {{{inline}}})" + _LINKS.get(part, "")
    kind = RELATIONSHIPS[part][0]
    if part == "attendance":
        return ("UNWIND $rows AS g MATCH (b:Session {id: g[0]}) UNWIND g[1] AS r "
                f"MATCH (a:Person {{id: r[0]}}) CREATE (a)-[x:{kind} {{{inline}}}]->(b)")
    return f"UNWIND $rows AS r {_ends(part, 'r')} CREATE (a)-[x:{kind} {{{inline}}}]->(b)"


@lru_cache(maxsize=None)
def _upsert(part: str) -> str:
    if part in NODES:
        return f"UNWIND $rows AS r MERGE (n:{NODES[part]} {{id: r.k[0]}}) SET n = r.props"
    kind = RELATIONSHIPS[part][0]
    return f"UNWIND $rows AS r {_ends(part)} MERGE (a)-[x:{kind}]->(b) SET x = r.props"


@lru_cache(maxsize=None)
def _delete(part: str) -> str:
    if part in NODES:
        return f"UNWIND $rows AS k MATCH (n:{NODES[part]} {{id: k[0]}}) DETACH DELETE n"
    kind = RELATIONSHIPS[part][0]
    return (f"UNWIND $rows AS k WITH {{k: k}} AS r {_ends(part)} "
            f"MATCH (a)-[x:{kind}]->(b) DELETE x")


def _sync_sectors(tx, ids: list[str]) -> None:
    """IN_SECTOR relationships follow each organisation's sectors."""
    for batch in chunks(ids):
        tx.run("UNWIND $ids AS id MATCH (o:Organisation {id: id}) "
               "OPTIONAL MATCH (o)-[x:IN_SECTOR]->() DELETE x", ids=batch).consume()
        tx.run("UNWIND $ids AS id MATCH (o:Organisation {id: id}) UNWIND o.sector_ids AS sid "
               "MATCH (s:Sector {id: sid}) MERGE (o)-[:IN_SECTOR]->(s)", ids=batch).consume()


def _sync_communities(tx, ids: list[str]) -> None:
    """OF relationships follow each session's community."""
    for batch in chunks(ids):
        tx.run("UNWIND $ids AS id MATCH (s:Session {id: id}) MATCH (c:Community "
               "{id: s.community_id}) MERGE (s)-[:OF]->(c)", ids=batch).consume()


# what refers to a node of each part by property: (label, property)
_USED_BY = {
    "places": (("Place", "parent_id"), ("Organisation", "place_id"), ("Person", "place_id"),
               ("Community", "place_id"), ("Session", "place_id")),
    "communities": (("Session", "community_id"),),
}


def check_unused(tx, part: str, ids: list[str]) -> None:
    """Refuse to delete nodes that claims of another import still refer to."""
    label = NODES[part]
    found = tx.run(f"UNWIND $ids AS id MATCH (n:{label} {{id: id}})-[x:WORKS_AT|ATTENDED|"
                   "DECLARED]-() RETURN id, x.claim_imports AS by LIMIT 1", ids=ids).single()
    for other, prop in _USED_BY.get(part, ()):
        found = found or tx.run(f"MATCH (n:{other}) WHERE n.{prop} IN $ids "
                                f"RETURN n.{prop} AS id, n.claim_imports AS by LIMIT 1",
                                ids=ids).single()
    if found:
        raise Dependency(found["id"], part, (found["by"] or ["?"])[0])


class Dependency(StoreError):
    """Something an import would take away is still used by another import's claims."""

    def __init__(self, node: str, part: str, user: str):
        super().__init__(f"{node!r} ({part}) is still used by import {user}")
        self.node, self.part, self.user = node, part, user


def with_import(tx, part: str, import_id: str) -> dict[tuple, list[dict]]:
    """Every element an import made a claim about, with all its claims."""
    if part in NODES:
        query = (f"MATCH (n:{NODES[part]}) WHERE $id IN n.claim_imports "
                 "RETURN [n.id] AS k, n.claims AS claims")
    else:
        kind = RELATIONSHIPS[part][0]
        query = (f"MATCH (a)-[x:{kind}]->(b) WHERE $id IN x.claim_imports "
                 "RETURN [a.id, b.id] AS k, x.claims AS claims")
    return {key_of(part, r["k"]): [decode(c) for c in r["claims"]]
            for r in tx.run(query, id=import_id)}


def key_of(part: str, ends: list) -> tuple:
    """A relationship's key in the order of the fact's key (attendance is session first)."""
    return (ends[1], ends[0]) if part == "attendance" else tuple(ends)


def _ends_of(part: str, key: tuple) -> list:
    """A fact's key as the ids at the relationship's start and end (or a node's id)."""
    return [key[1], key[0]] if part == "attendance" else list(key)


def as_claims(part: str, claims: Iterable[dict], import_id: str) -> list[dict]:
    return [c | {"import_id": import_id} for c in claims]


def check_references(tx, made: dict[str, set[str]], named) -> None:
    """Refuse claims that name something neither the import nor the store holds (Neo4j has
    no foreign keys; SQLite's store checks the same). ``made``: the ids the import claims, by
    part; ``named(part, column)``: the values its claims give a column."""
    from graphsvc.store.sqlite_changes import REFERENCES

    for part, column, targets in REFERENCES:
        wanted = {v for v in named(part, column)
                  if not any(v in made.get(t, ()) for t in targets.split())}
        for target in targets.split():
            for batch in chunks(sorted(wanted)):
                wanted -= {r["id"] for r in tx.run(
                    f"UNWIND $ids AS id MATCH (n:{NODES[target]} {{id: id}}) RETURN n.id AS id",
                    ids=batch)}
        if wanted:
            raise StoreError(f"the import breaks the database's integrity ({part}.{column} "
                             f"names {min(wanted)!r}, which does not exist); nothing was written")


def named_in(claims: Iterable[dict], column: str) -> set:
    """Every value claims give a column (each of a tuple's values)."""
    return {v for claim in claims for v in _as_tuple(claim.get(column)) if v is not None}


def _as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)
