"""Erasure leaves no trace of the person: not in the SQLite file's bytes (nor its log), not in
the archived imports (UTF-16 Teams files and XLSX sheets included), not in any export, not in
Neo4j; sessions stay, and everyone else's attendance is untouched."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest

from graphsvc.cli import main
from graphsvc.exports import EXPORT_FORMATS
from graphsvc.service import Graphsvc
from graphsvc.store import open_store
from tests.conftest import ADMIN, demo_files


def some_demo_files() -> list[Path]:
    """Reference files and a few sessions of every format, XLSX sign-in sheets among them."""
    files = demo_files()
    chosen = [f for f in files if f.parent.name != "attendance"]
    for prefix in ("zoom", "teams", "sign-in", "meet", "eventbrite"):
        chosen += [f for f in files if f.name.startswith(prefix)][:4]
    chosen += [f for f in files if f.suffix == ".xlsx"][:2]
    return sorted(set(chosen))


def spellings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.lower().encode("utf-8"), text.encode("utf-16-le"),
            text.encode("utf-16-be")]


def archive_texts(service) -> dict[Path, bytes]:
    """Each archived file's bytes, and an XLSX's cells (they are compressed in the file)."""
    found = {}
    for record in service.store.imports():
        for f in record.files:
            data = Path(f.archive).read_bytes()
            if data[:2] == b"PK":
                with zipfile.ZipFile(f.archive) as book:
                    data = b"".join(book.read(n) for n in book.namelist())
            found[Path(f.archive)] = data
    return found


def pick_person(service):
    """A named person with an email, in two or more archived files, whose name no one and
    nothing else has."""
    people = service.store.people()
    texts = archive_texts(service)
    others = [p.name.lower() for p in people] + [o.name.lower() for o in
                                                 service.store.organisations()]
    for person in people:
        if not person.email or others.count(person.name.lower()) != 1:
            continue
        if sum(any(s in t.lower() for s in spellings(person.name)) for t in texts.values()) > 1:
            return person
    raise AssertionError("the demo files chosen hold no suitable person")


def everything_exported(service) -> str:
    return "".join(service.views.export(ADMIN, fmt, network, window_months=None).text
                   for fmt in EXPORT_FORMATS
                   for network in ("people", "organisations"))


def traces(person, blobs) -> list[str]:
    return [f"{where}: {token!r}" for where, blob in blobs.items()
            for text in (person.name, person.email)
            for token in spellings(text) if token in blob.lower() or token in blob]


def raw_database(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*")
            if p.is_file() and not p.name.endswith(".archive")}


def test_forget_leaves_no_trace_in_sqlite_archive_or_exports(tmp_path, runner):
    database = tmp_path / "graphsvc.db"
    service = Graphsvc(database)
    service.imports.load(ADMIN, some_demo_files())
    person = pick_person(service)
    sessions = len(service.store.sessions())
    rows = list(service.store.attendance())
    theirs = sum(r.person_id == person.id for r in rows)
    before = service.analyses.compute("brokers", network="people", window_months=None)
    assert person.id in {n["id"] for n in before["nodes"]}
    assert traces(person, raw_database(database)) and traces(person, archive_texts(service))
    assert person.name in everything_exported(service)
    service.close()

    result = runner.invoke(main, ["forget", person.email.upper(), "--yes", "--db",
                                  str(database)])
    assert result.exit_code == 0, result.output
    assert f'"attendance": {theirs}' in result.output

    service = Graphsvc(database)
    assert traces(person, raw_database(database)) == []
    assert traces(person, archive_texts(service)) == []
    assert person.name not in everything_exported(service)
    assert len(service.store.sessions()) == sessions
    assert Counter(service.store.attendance()) == Counter(
        r for r in rows if r.person_id != person.id)
    after = service.analyses.compute("brokers", network="people", window_months=None)
    assert person.id not in {n["id"] for n in after["nodes"]}
    service.close()


def test_forget_in_a_running_service_drops_its_cached_analyses(tmp_path):
    """Also where SQLite was built without secure deletion as its default (Debian's has it)."""
    service = Graphsvc(tmp_path / "graphsvc.db")
    service.imports.load(ADMIN, some_demo_files())
    service.store._db.execute("PRAGMA secure_delete = OFF")
    person = pick_person(service)
    assert person.id in {n["id"] for n in service.analyses.compute("brokers", network="people", window_months=None)["nodes"]}
    report = service.records.forget(ADMIN, person.id)
    assert report["archived_rows_removed"] >= 2
    assert traces(person, raw_database(tmp_path / "graphsvc.db")) == []
    assert person.id not in {n["id"] for n in service.analyses.compute("brokers", network="people", window_months=None)["nodes"]}
    service.close()


def sheet_naming(person, folder: Path) -> Path:
    """A later sign-in sheet on which the erased person appears again, beside someone new."""
    path = folder / "later-sign-in.csv"
    path.write_text("Session,Date,Place,Community,Name,Email,Organisation\n"
                    f"Later,2021-05-01,Bolton,Peer support,{person.name},{person.email},"
                    "Bolton Carers\n"
                    "Later,2021-05-01,Bolton,Peer support,New Person,new@later.example,"
                    "Bolton Carers\n")
    return path


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_an_erased_person_never_comes_back(backend, tmp_path, request):
    store = (open_store(request.getfixturevalue("neo4j_url")) if backend == "neo4j"
             else open_store(tmp_path / "graphsvc.db"))
    service = Graphsvc(store, archive=tmp_path / "archive")
    service.imports.load(ADMIN, some_demo_files())
    person = pick_person(service)
    service.records.forget(ADMIN, person.id)
    plan = service.imports.load(ADMIN, [sheet_naming(person, tmp_path)])
    assert plan.record is not None
    people = {p.id for p in service.store.people()}
    assert person.id not in people and "New Person" in {p.name for p in service.store.people()}
    assert person.id not in {r.person_id for r in service.store.attendance()}
    [latest] = [r for r in service.store.imports() if r.id == plan.record.id]
    assert latest.counts["erased_people_skipped"] == 1
    assert traces(person, archive_texts(service)) == []
    service.close()


@pytest.mark.neo4j
def test_forget_leaves_no_trace_in_neo4j(neo4j_url, tmp_path):
    service = Graphsvc(open_store(neo4j_url), archive=tmp_path / "archive")
    service.imports.load(ADMIN, some_demo_files())
    person = pick_person(service)
    # every property, lists (the claims) item by item; the id alone is kept, as :Forgotten
    holds = ("any(k IN keys({v}) WHERE any(x IN CASE WHEN valueType({v}[k]) STARTS WITH 'LIST' "
             "THEN {v}[k] ELSE [{v}[k]] END WHERE toLower(toString(x)) CONTAINS $text))")
    count = f"MATCH (n) WHERE NOT n:Forgotten AND {holds.format(v='n')} RETURN count(n) AS n"
    relationships = f"MATCH ()-[r]->() WHERE {holds.format(v='r')} RETURN count(r) AS n"

    def found(text: str) -> int:
        return sum(service.store._values(query, text=text.lower())[0][0]
                   for query in (count, relationships))

    assert found(person.name) and found(person.email) and found(person.id)
    sessions = len(service.store.sessions())
    service.records.forget(ADMIN, person.id)
    assert found(person.name) == found(person.email) == found(person.id) == 0
    assert len(service.store.sessions()) == sessions
    assert traces(person, archive_texts(service)) == []
    assert person.name not in everything_exported(service)
    service.close()
