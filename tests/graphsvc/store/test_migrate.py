"""``graphsvc migrate`` copies a whole database, SQLite to Neo4j and back, and checks the copy."""

from __future__ import annotations

import shutil

from graphsvc.cli import main
from graphsvc.model import Batch, MatchReview, Organisation
from graphsvc.migrate import tie_checksum
from graphsvc.store import open_store


def test_sqlite_to_neo4j_and_back_keeps_everything(runner, demo_database, neo4j_url, tmp_path):
    original = tmp_path / "original.db"
    shutil.copy(demo_database, original)
    source = open_store(original)
    # history worth keeping: a sticky person merge, a rejected and a pending review, an erasure
    people = source.people()
    source.merge_people(people[0].id, people[1].id)
    source.forget_person(people[2].id)
    org = source.organisations()[0]
    source.apply(Batch(organisations=[Organisation("org:alfa", "Alfa"),
                                      Organisation("org:beta", "Beta")],
                       reviews=[MatchReview("Alfa", "org:alfa", org.id, 85.0),
                                MatchReview("Beta", "org:beta", org.id, 81.0)]))
    source.decide_review(source.reviews()[0].id, confirm=False)
    first_import = source.imports()[0]
    history = source.history()
    assert history.claims["attendance"] and history.person_aliases
    assert {r.status for r in history.reviews} == {"pending", "rejected"}
    assert set(history.forgotten) == {people[2].id}
    source.close()

    result = runner.invoke(main, ["migrate", "--from", f"sqlite:{original}", "--to", neo4j_url])
    assert result.exit_code == 0, result.output
    assert "people network checksum" in result.output

    back = tmp_path / "back.db"
    result = runner.invoke(main, ["migrate", "--from", neo4j_url, "--to", f"sqlite:{back}"])
    assert result.exit_code == 0, result.output

    a, b = open_store(original), open_store(back)
    for read in ("places", "sectors", "organisations", "people", "employments", "communities",
                 "sessions", "declared_ties", "person_aliases", "imports", "history",
                 "forgotten"):
        assert getattr(a, read)() == getattr(b, read)(), read
    assert list(a.attendance()) == list(b.attendance())
    assert tie_checksum(a, "people") == tie_checksum(b, "people")
    # the copied history still works: the import undoes on the copy as on the original
    assert b.undo_import(first_import.id) == a.undo_import(first_import.id)
    assert a.counts() == b.counts()


def test_migrating_into_a_store_that_holds_data_is_refused(runner, demo_database, tmp_path):
    target = tmp_path / "busy.db"
    shutil.copy(demo_database, target)
    result = runner.invoke(main, ["migrate", "--from", f"sqlite:{demo_database}",
                                  "--to", f"sqlite:{target}"])
    assert result.exit_code == 1 and "already holds data" in result.output
