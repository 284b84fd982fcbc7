"""What only the SQLite store promises: one file, WAL, claims tables that follow the rules,
migrations (an older file's facts come through the change to claims unchanged)."""

import sqlite3
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.errors import ConfigurationError, SchemaError, StoreError
from graphsvc.store import open_store
from graphsvc.store.schema import LATEST
from graphsvc.store.sqlite import SQLiteStore
from tests.graphsvc.test_ties import random_attendance


def test_one_file_in_wal_mode_with_a_claims_table_per_fact(tmp_path):
    from graphsvc import rules

    store = SQLiteStore(tmp_path / "g.db")
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version() == LATEST
    for part, fact in rules.FACTS.items():  # the frozen migration keeps up with the rules
        columns = [row[1] for row in store._db.execute(f"PRAGMA table_info({part}_claims)")]
        assert sorted(columns) == sorted([*fact.columns, "import_id"]), part
    store.close()
    raw = sqlite3.connect(tmp_path / "g.db")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_migrations_run_forward_from_an_older_file(tmp_path, monkeypatch):
    from graphsvc.store import schema, sqlite as module

    path = tmp_path / "old.db"
    SQLiteStore(path).close()
    extra = "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)"
    monkeypatch.setattr(module, "MIGRATIONS", [*schema.MIGRATIONS, extra])
    monkeypatch.setattr(module, "LATEST", schema.LATEST + 1)
    store = SQLiteStore(path)
    assert store.schema_version() == schema.LATEST + 1
    assert store._db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_a_file_from_a_newer_graphsvc_is_refused(tmp_path):
    path = tmp_path / "new.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {LATEST + 5}")
    raw.close()
    with pytest.raises(SchemaError, match="newer"):
        SQLiteStore(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="not a graphsvc SQLite database"):
        SQLiteStore(path)


def test_database_urls(tmp_path):
    assert open_store(f"sqlite:{tmp_path / 'a.db'}").url == f"sqlite:{tmp_path / 'a.db'}"
    with pytest.raises(ConfigurationError, match="unknown database"):
        open_store("postgres://localhost/x")


def test_a_missing_extra_names_the_install_command(monkeypatch):
    import builtins

    from graphsvc.errors import MissingExtraError

    real_import = builtins.__import__

    def no_neo4j(name, *args, **kwargs):
        if name == "neo4j":
            raise ImportError("No module named 'neo4j'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_neo4j)
    monkeypatch.delitem(__import__("sys").modules, "neo4j", raising=False)
    with pytest.raises(MissingExtraError, match=r"pip install 'graphsvc\[neo4j\]'"):
        open_store("neo4j://127.0.0.1:7687")


def test_a_file_from_before_claims_keeps_its_facts(tmp_path):
    """A database written before facts became claims (schema 3) reads back the same."""
    from graphsvc.store import schema
    from graphsvc.store.sqlite import statements

    path = tmp_path / "v3.db"
    raw = sqlite3.connect(path, isolation_level=None)
    for migration in schema.MIGRATIONS[:3]:
        for statement in statements(migration):
            raw.execute(statement)
    raw.execute("PRAGMA user_version = 3")
    raw.executescript("""
        INSERT INTO places VALUES ('place:E47000001', 'region', 'Greater Manchester',
            'E47000001', NULL);
        INSERT INTO places VALUES ('place:E08000001', 'borough', 'Bolton', 'E08000001',
            'place:E47000001');
        INSERT INTO sectors VALUES ('sector:housing', 'Housing', 'statutory');
        INSERT INTO organisations VALUES ('org:a', 'Alpha', 'place:E08000001', 'regional',
            'vcse', 'imp1');
        INSERT INTO organisation_sectors VALUES ('org:a', 'sector:housing');
        INSERT INTO organisation_aliases VALUES ('Alfa', 'org:a');
        INSERT INTO people VALUES ('person:1', 'Ann Lee', 'ann@a.example', 'carer', 'named',
            'peer support;"quotes"', 'place:E08000001', 'imp1');
        INSERT INTO employments VALUES ('person:1', 'org:a', 'Chief Executive', 'senior');
        INSERT INTO communities VALUES ('community:c', 'Peer support', 'peer', 'place',
            'place:E47000001', '2016-01-01', 'imp1');
        INSERT INTO sessions VALUES ('session:1', 'community:c', 'Kick-off', '2016-02-03',
            'place:E08000001', 0, 'imp1');
        INSERT INTO attendance VALUES ('session:1', 'person:1', 'org:a', 60, 'facilitator',
            'imp1');
        INSERT INTO imports (id, source, sha256, format, loaded_at) VALUES
            ('imp1', 'x.csv', '', 'sign-in', '2020-01-01');
    """)
    raw.close()
    store = SQLiteStore(path)
    [org] = store.organisations()
    assert (org.name, org.sector_ids, org.place_id, org.scope, org.type, org.aliases) == (
        "Alpha", ("sector:housing",), "place:E08000001", "regional", "vcse", ("Alfa",))
    [person] = store.people()
    assert (person.name, person.email, person.lived_experience, person.consent,
            person.expertise) == ("Ann Lee", "ann@a.example", "carer", "named",
                                  ('"quotes"', "peer support"))
    [job] = store.employments()
    assert (job.role, job.seniority) == ("Chief Executive", "senior")
    [visit] = store.attendance()
    assert (visit.minutes, visit.role, visit.organisation_id) == (60, "facilitator", "org:a")
    assert store.undo_import("imp1")["attendance"] == 1  # still the import's, so undoable
    assert store.counts()["people"] == 0


def test_attendance_columns_hold_any_ids_and_fold_repeated_claims(tmp_path):
    """The bulk read joins each session's claims with control characters: ids holding them,
    an organisation id that is one, visits without an organisation or role, and visits two
    imports claimed, all read as the visits one by one."""
    from graphsvc.model import Attendance, Batch, Organisation, Person, Session
    from graphsvc.store import ImportFile, ImportRecord
    from graphsvc.store.base import attendance_columns, coded_visits

    store = SQLiteStore(tmp_path / "g.db")
    day = date(2020, 1, 1)
    odd = ["a\x1eb", "p\x1f2", "p3", "\x1f"]
    first = Batch(
        organisations=[Organisation(o, f"Org {k}") for k, o in enumerate(
            ["o\x1e", "\x1f", "o1", "o2"])],
        people=[Person(p, f"Person {k}") for k, p in enumerate(odd)],
        sessions=[Session(f"s{k}", None, "Meeting", day) for k in range(4)],
        attendance=[Attendance("s0", "a\x1eb", "o\x1e"), Attendance("s0", "p3", None),
                    Attendance("s1", "p\x1f2", "\x1f"), Attendance("s1", "p3", None),
                    Attendance("s2", "p3", None, None, "facilitator"),
                    Attendance("s2", "\x1f", "o1"), Attendance("s3", "p3", "o1")])
    again = Batch(attendance=[Attendance("s2", "p3", "o2", 5, "organiser"),
                              Attendance("s3", "p3", None)])
    for k, batch in enumerate((first, again)):
        store.apply(batch, ImportRecord(f"imp{k}", f"2026-01-0{k + 1}T00:00:00+00:00",
                                        (ImportFile("x.csv", str(k) * 64, "sign-in", 1),)))
    visits = list(store.attendance())
    assert len(visits) == 7
    assert store.attendance_columns() == attendance_columns(visits)
    assert store.attendance_coded() == coded_visits(attendance_columns(visits))


def test_coded_attendance_refolds_only_the_sessions_two_imports_claimed(tmp_path, monkeypatch):
    """A visit claimed twice is read again with its session alone and folded into the coded
    columns (no read of everything the plain way); an organisation only the folded-away
    claim named is no longer among the organisations."""
    from graphsvc.model import Attendance, Batch, Organisation, Person, Session
    from graphsvc.store import ImportFile, ImportRecord, sqlite_visits
    from graphsvc.store.base import attendance_columns, coded_visits
    from graphsvc.store.sqlite_reads import _visit

    store = SQLiteStore(tmp_path / "g.db")
    sessions = [Session(f"s{k}", None, "Meeting", date(2020, 1, k + 1)) for k in range(3)]
    first = Batch(organisations=[Organisation(o, o) for o in ("o1", "o2", "o3")],
                  people=[Person(p, p) for p in ("p1", "p2", "p3")], sessions=sessions,
                  attendance=[Attendance("s0", "p1", "o1"), Attendance("s0", "p2", "o3"),
                              Attendance("s1", "p2", None, None, "registered"),
                              Attendance("s2", "p3", "o1")])
    again = Batch(attendance=[Attendance("s0", "p2", "o2", 5, "organiser")])
    for k, batch in enumerate((first, again)):
        store.apply(batch, ImportRecord(f"imp{k}", f"2026-01-0{k + 1}T00:00:00+00:00",
                                        (ImportFile("x.csv", str(k) * 64, "sign-in", 1),)))
    read = []
    monkeypatch.setattr(sqlite_visits, "session_visit_columns",
                        lambda *args: pytest.fail("read everything the plain way"))
    coded = sqlite_visits.session_visits_coded(
        store._reader().execute(sqlite_visits.SESSION_VISITS),
        lambda session: read.append(session) or store._visit_claims([session]).fetchall(),
        _visit)
    assert read == ["s0"]
    assert coded == coded_visits(attendance_columns(list(store.attendance())))
    assert coded.organisation_ids == ["o1", "o2"]  # o3's claim folded away by the later one
    assert coded.role_names == ["attendee", "organiser", "registered"]


def test_people_read_in_bulk_are_read_as_one_by_one(tmp_path):
    """The bulk read of a part makes each thing as its claims would alone: a consent nobody
    stated derived from lived experience, unknowns as the model's defaults, and a person
    two imports claimed folded."""
    from graphsvc import rules
    from graphsvc.model import Batch, Person
    from graphsvc.store import ImportFile, ImportRecord
    from graphsvc.store.sqlite_rules import decode

    store = SQLiteStore(tmp_path / "g.db")
    people = [Person("p1", "Ann", None, "carer", None, ("peer support",)),
              Person("p2", "Bob", "bob@x.example", "none", None),
              Person("p3", "Cy", None, "lived_experience", "named", ("a", "b")),
              Person("p4", "Di", None, "none", "aggregate", ("peer support",))]
    later = [Person("p2", "Bob Khan", None, "carer", None)]
    for k, batch in enumerate((Batch(people=people), Batch(people=later))):
        store.apply(batch, ImportRecord(f"imp{k}", f"2026-01-0{k + 1}T00:00:00+00:00",
                                        (ImportFile("x.csv", str(k) * 64, "sign-in", 1),)))
    fact = rules.PEOPLE
    rows = store._db.execute(f"SELECT {', '.join(fact.columns)} FROM people_claims "
                             "ORDER BY id").fetchall()
    by_id = {}
    for row in rows:
        by_id.setdefault(row[0], []).append(decode(fact, row))
    assert store.people() == [fact.to_model(fact.fold(claims)) for claims in by_id.values()]
    assert [p.consent for p in store.people()] == ["aggregate", "aggregate", "named",
                                                   "aggregate"]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), again=st.floats(0, 1), unknown=st.floats(0, 1))
def test_coded_attendance_is_the_visits_coded_plainly(tmp_path_factory, seed, again, unknown):
    """On random attendance in two imports (some visits claimed again with another
    organisation or role, some with none), the compiled coding equals the plain one of the
    visits read one by one."""
    from graphsvc.model import Attendance, Batch, Organisation, Person, Session
    from graphsvc.store import ImportFile, ImportRecord
    from graphsvc.store.base import attendance_columns, coded_visits

    sessions, rows = random_attendance(seed, sessions=12, people=30, orgs=6)
    sessions = [Session(s.id, None, s.title, s.held_on) for s in sessions]
    rng = np.random.default_rng(seed)
    rows = [Attendance(r.session_id, r.person_id,
                       None if rng.random() < unknown / 2 else r.organisation_id, None,
                       str(rng.choice(["attendee", "registered", "facilitator"])))
            for r in rows]
    repeats = [Attendance(r.session_id, r.person_id, f"o{rng.integers(0, 9)}", 5,
                          str(rng.choice(["organiser", "registered"])))
               for r in rows if rng.random() < again / 3]
    store = SQLiteStore(tmp_path_factory.mktemp("coded") / "g.db")
    first = Batch(organisations=[Organisation(f"o{k}", f"Org {k}") for k in range(9)],
                  people=[Person(f"p{k}", f"Person {k}") for k in range(30)],
                  sessions=sessions, attendance=rows)
    for k, batch in enumerate((first, Batch(attendance=repeats))):
        store.apply(batch, ImportRecord(f"imp{k}", f"2026-01-0{k + 1}T00:00:00+00:00",
                                        (ImportFile("x.csv", str(k) * 64, "sign-in", 1),)))
    assert store.attendance_coded() == coded_visits(attendance_columns(store.attendance()))
