"""The rules of :mod:`graphsvc.rules` in SQLite's language: each fact is a view that folds the
claims of every loaded import with SQL aggregates, one per field policy.

The views are made on every connection (``TEMP``), from the rules as they are in this version
of graphsvc, so a rule is never written twice: not in a migration, not in a query.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from itertools import compress
from operator import itemgetter, ne

from graphsvc import rules
from graphsvc.rules import DERIVED
from graphsvc.rules import Fact, Largest, Latest, Ranked, Smallest, Sum, Union

WIDTH = rules.STAMP_WIDTH
DATES = {("communities", "started"), ("sessions", "held_on"), ("declared_ties", "declared_on")}
BOOLEANS = {("sessions", "online")}


def table(fact: Fact) -> str:
    return f"{fact.part}_claims"


def aggregate(fact: Fact, name: str) -> list[str]:
    """The SQL aggregate(s) folding one field over a group of claims (a stamped field gives
    its value and its stamp)."""
    policy = fact.policies[name]
    if isinstance(policy, Largest):
        return [f"max({name})"]
    if isinstance(policy, Smallest):
        return [f"min({name})"]
    if isinstance(policy, Sum):
        return [f"sum({name})"]
    if isinstance(policy, Ranked):
        ranks = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(policy.order))
        back = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(policy.order))
        return [f"CASE max(CASE {name} {ranks} END) {back} END"]
    if isinstance(policy, Latest):
        # stamp, then (where the rule prefers some values) one rank digit, then the value
        rank = "".join(f"WHEN '{v}' THEN '{i}' " for i, v in enumerate(policy.prefer))
        ranked = f"CASE {name} {rank}ELSE '' END || " if policy.prefer else ""
        best = f"max(CASE WHEN {name} IS NOT NULL THEN {name}_at || {ranked}{name} END)"
        skip = WIDTH + 1 + (1 if policy.prefer else 0)
        return [f"substr({best}, {skip})", f"substr({best}, 1, {WIDTH})"]
    if isinstance(policy, Union):
        return [f"gs_union({name})"]
    raise TypeError(f"no SQL for {policy!r}")


def pair(fact: Fact, name: str, old: str, new: str) -> str:
    """The SQL joining two claims' values of an unstamped field (``old`` and ``new`` are
    column expressions), as an upsert's SET uses it."""
    policy = fact.policies[name]
    if isinstance(policy, (Largest, Smallest)):
        best = "max" if isinstance(policy, Largest) else "min"
        return f"coalesce({best}({old}, {new}), {old}, {new})"
    if isinstance(policy, Sum):
        return f"CASE WHEN {old} IS NULL THEN {new} WHEN {new} IS NULL THEN {old} " \
               f"ELSE {old} + {new} END"
    if isinstance(policy, Ranked):
        def rank(x):
            return "CASE " + x + " " + " ".join(
                f"WHEN '{v}' THEN {i}" for i, v in enumerate(policy.order)) + " ELSE -1 END"
        return f"CASE WHEN {rank(new)} > {rank(old)} THEN {new} ELSE {old} END"
    raise TypeError(f"no pairwise SQL for {policy!r}")


def view(fact: Fact) -> str:
    """``CREATE TEMP VIEW <part>``: the fold of ``<part>_claims`` per key."""
    columns = list(fact.key)
    for name, policy in fact.policies.items():
        parts = aggregate(fact, name)
        columns.append(f"{parts[0]} AS {name}")
        if policy.stamped:
            columns.append(f"{parts[1]} AS {name}_at")
    key = ", ".join(fact.key)
    return (f"CREATE TEMP VIEW IF NOT EXISTS {fact.part} AS SELECT {', '.join(columns)} "
            f"FROM {table(fact)} GROUP BY {key}")


class _UnionAggregate:
    """``gs_union(json_array)``: every value of every array in the group, sorted, as JSON."""

    def __init__(self):
        self.values: set = set()

    def step(self, text):
        if text:
            self.values.update(json.loads(text))

    def finalize(self):
        return json.dumps(sorted(self.values)) if self.values else None


def prepare(connection: sqlite3.Connection) -> None:
    """Make the fact views (and the functions they use) on a new connection."""
    connection.create_aggregate("gs_union", 1, _UnionAggregate)
    for fact in rules.FACTS.values():
        connection.execute(view(fact))


def encode(fact: Fact, claim: dict) -> tuple:
    """A claim as the row of its claims table (without the import id)."""
    columns, special, every = _encoders(fact)
    try:
        row = every(claim)  # every column there, as Fact.claim_of makes them
    except KeyError:
        row = tuple(map(claim.get, columns))
    if not special:
        return row
    out = list(row)
    for i, convert in special:
        if out[i] is not None:
            out[i] = convert(out[i])
    return tuple(out)


def _encoders(fact: Fact) -> tuple:
    """The claims table's columns, which of them are stored other than as they are (a
    union as a JSON list, a date as ISO text, a flag as 0 or 1: the inverse of decode's), and
    a reader of all the columns at once."""
    found = _ENCODERS.get(fact.part)
    if found is None:
        columns = fact.columns
        special = []
        for name, policy in fact.policies.items():
            if isinstance(policy, Union):
                special.append((columns.index(name), lambda v: json.dumps(list(v))))
            elif (fact.part, name) in DATES:
                special.append((columns.index(name), lambda v: v.isoformat()))
            elif (fact.part, name) in BOOLEANS:
                special.append((columns.index(name), int))
        found = _ENCODERS[fact.part] = (columns, tuple(special), itemgetter(*columns))
    return found


_ENCODERS: dict[str, tuple] = {}


def decode(fact: Fact, row) -> dict:
    """A row of a fact view (or claims table) as a claim dict with Python values."""
    out = dict(zip(fact.columns, row))
    for name, convert in _converters(fact):
        value = out[name]
        if value is not None:
            out[name] = convert(value)
    return out


def _converters(fact: Fact) -> tuple:
    """The fields whose stored form is not their Python value, and how to turn them back."""
    found = _CONVERTERS.get(fact.part)
    if found is None:
        found = _CONVERTERS[fact.part] = tuple(
            (name, (lambda v: tuple(sorted(set(json.loads(v))))) if isinstance(policy, Union)
             else date.fromisoformat if (fact.part, name) in DATES else bool)
            for name, policy in fact.policies.items()
            if isinstance(policy, Union) or (fact.part, name) in DATES | BOOLEANS)
    return found


_CONVERTERS: dict[str, tuple] = {}


def read_one(fact: Fact, row):
    """A thing with one claim, straight from its row: as ``fact.to_model(decode(fact, row))``
    but without the dict between (the common case, read by the hundred thousand)."""
    plan = _PLANS.get(fact.part)
    if plan is None:
        convert = dict(_converters(fact))
        plan = _PLANS[fact.part] = tuple(
            (fact.columns.index(name), convert.get(name), default)
            for name, default in fact.defaults)
    values = []
    for i, convert, default in plan:
        value = row[i]
        if value is None:
            value = default  # a key is never None; a derived default is worked out below
        elif convert is not None:
            value = convert(value)
        values.append(value)
    if DERIVED in values:  # a bare object(): equal to nothing but itself
        return fact.to_model(decode(fact, row))
    return fact.model(*values)


_PLANS: dict[str, tuple] = {}


def read_each(fact: Fact, rows: list[tuple], fold) -> list:
    """The things of claims' ``rows`` in key order: ``read_one`` of each thing with one
    claim, column by column (a stored form seen before is not converted again: unions and
    dates are immutable); ``fold(rows)`` of the claims of each thing with more, and of each
    whose derived default is wanted."""
    if not rows:
        return []
    width = len(fact.key)
    by_column = list(zip(*rows))  # the rows turned to columns in one pass
    keys = by_column[0] if width == 1 else list(zip(*by_column[:width]))
    starts = [0, *compress(range(1, len(rows)), map(ne, keys[1:], keys[:-1])), len(rows)]
    single = rows
    if len(starts) != len(rows) + 1:
        single = [rows[a] for a, b in zip(starts, starts[1:]) if b - a == 1]
        by_column = list(zip(*single)) or [()] * len(fact.columns)
    convert = dict(_converters(fact))
    columns = []
    for name, default in fact.defaults:
        column = by_column[fact.columns.index(name)]
        if name in convert:
            seen = {}
            column = [None if v is None else seen[v] if v in seen else
                      seen.setdefault(v, convert[name](v)) for v in column]
        if default is not None and None in column:
            column = [default if v is None else v for v in column]
        columns.append(column)
    things = list(map(fact.model, *columns))
    derived = {k for (_, default), column in zip(fact.defaults, columns) if default is DERIVED
               for k, v in enumerate(column) if v is DERIVED}
    for k in derived:
        things[k] = fold([single[k]])
    if len(starts) == len(rows) + 1:
        return things
    read = iter(things)
    return [next(read) if b - a == 1 else fold(rows[a:b]) for a, b in zip(starts, starts[1:])]


def insert(fact: Fact) -> str:
    """The statement that stores one import's claim (a repeat from the same import joins, as
    the rules join any two claims)."""
    columns = [*fact.columns, "import_id"]
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table(fact)} ({', '.join(columns)}) VALUES ({marks})"


def select_claims(fact: Fact, where: str = "") -> str:
    return f"SELECT {', '.join(fact.columns)}, import_id FROM {table(fact)} {where}"
