"""The rules (graphsvc/rules.py) are joins, and the SQLite store's SQL says what they say.

Every field's policy must be commutative, associative and idempotent: that is what makes the
facts independent of how files are split into imports and of their order, and undo exact.
"""

from __future__ import annotations

import functools
import sqlite3
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc import rules
from graphsvc.rules import Latest, Ranked, Sum, Union
from graphsvc.store import sqlite_rules as sql
from graphsvc.store.schema import MIGRATIONS
from graphsvc.store.sqlite import statements

STAMPS = st.sampled_from([rules.LOWEST, rules.REGISTER, rules.stamp(date(2019, 3, 4)),
                          rules.stamp(date(2018, 1, 1))])
TEXT = st.sampled_from(["Ann", "ann", "Ann Lee", "Zoë", "place:E08000001", "b"])


def value(fact: rules.Fact, name: str):
    policy = fact.policies[name]
    if isinstance(policy, Ranked):
        return st.sampled_from(policy.order)
    if isinstance(policy, Latest) and policy.prefer:
        return st.sampled_from(policy.prefer)
    if isinstance(policy, Union):
        return st.lists(TEXT, max_size=3).map(lambda v: tuple(sorted(set(v))) or None)
    if (fact.part, name) in sql.DATES:
        return st.dates(date(2015, 1, 1), date(2020, 1, 1))
    if (fact.part, name) in sql.BOOLEANS:
        return st.booleans()
    if name == "minutes":
        return st.integers(0, 300)
    if name == "weight":
        return st.sampled_from([0.5, 1.0, 2.0])
    return TEXT


@st.composite
def claim(draw, fact: rules.Fact, key: tuple) -> dict:
    out = dict(zip(fact.key, key))
    for name, policy in fact.policies.items():
        known = draw(st.booleans())
        out[name] = draw(value(fact, name)) if known else None
        if policy.stamped:
            out[f"{name}_at"] = draw(STAMPS) if known else None
    return out


FACTS = st.sampled_from([f for f in rules.FACTS.values()])


@settings(max_examples=300)
@given(data=st.data(), fact=FACTS)
def test_every_rule_is_a_join(data, fact):
    key = tuple(f"k{i}" for i in range(len(fact.key)))
    a, b, c = (data.draw(claim(fact, key)) for _ in range(3))
    assert fact.join(a, b) == fact.join(b, a)
    assert fact.join(fact.join(a, b), c) == fact.join(a, fact.join(b, c))
    assert fact.fold([a, a]) == fact.fold([a])


@settings(max_examples=300)
@given(data=st.data(), fact=FACTS)
def test_folding_many_claims_is_joining_them_two_by_two(data, fact):
    key = tuple(f"k{i}" for i in range(len(fact.key)))
    claims = data.draw(st.lists(claim(fact, key), min_size=1, max_size=6))
    assert fact.fold(claims) == functools.reduce(fact.join, claims[1:],
                                                 fact.join(claims[0], claims[0]))


def test_rejoins_add_up_within_a_file_only():
    assert isinstance(rules.REJOINS.policies["minutes"], Sum)
    assert rules.REJOINS.join({"minutes": 20, "session_id": "s", "person_id": "p"},
                              {"minutes": 25, "session_id": "s", "person_id": "p"})[
        "minutes"] == 45
    assert rules.ATTENDANCE.join({"minutes": 20, "session_id": "s", "person_id": "p"},
                                 {"minutes": 25, "session_id": "s", "person_id": "p"})[
        "minutes"] == 25


def claims_database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    for migration in MIGRATIONS:
        for statement in statements(migration):
            db.execute(statement)
    sql.prepare(db)
    return db


@settings(max_examples=150, deadline=None)
@given(data=st.data(), fact=FACTS)
def test_the_sql_views_fold_as_the_rules_do(data, fact):
    """What SQLite reads back for a thing is the Python fold of its claims."""
    db = claims_database()
    key = tuple(f"k{i}" for i in range(len(fact.key)))
    claims = data.draw(st.lists(claim(fact, key), min_size=1, max_size=5))
    for number, c in enumerate(claims):
        db.execute(sql.insert(fact), sql.encode(fact, c) + (f"import{number}",))
    row = db.execute(f"SELECT {', '.join(fact.columns)} FROM {fact.part}").fetchone()
    assert sql.decode(fact, row) == fact.fold(claims)
