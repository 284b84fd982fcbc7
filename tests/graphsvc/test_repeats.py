"""When a file is a repeat: the same content loaded with the same options that define its
sessions. The same sheet given for another date (or community, place, title, format or column
map) is another session; given again for the same, nothing changes."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from graphsvc.store import open_store
from loaders import SessionDefaults
from tests.conftest import ADMIN, build

SHEET = "Name,Email\nAnn Lee,ann@moss.example\nBob Khan,bob@moss.example\n"


def defaults(day: int, **more) -> SessionDefaults:
    return SessionDefaults(more.get("community", "Peer support"), date(2021, 3, day),
                           more.get("place", "Bolton"), more.get("title"))


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "sign-in.csv"
    path.write_text(SHEET)
    return path


def test_the_same_sheet_for_another_date_is_another_session(service, sheet):
    first = service.imports.load(ADMIN, [sheet], defaults=defaults(4))
    second = service.imports.load(ADMIN, [sheet], defaults=defaults(11))
    assert first.record is not None and second.record is not None
    assert not second.reports[0].already_loaded
    assert sorted(s.held_on.day for s in service.store.sessions()) == [4, 11]
    assert len(list(service.store.attendance())) == 4


def test_the_same_sheet_for_the_same_session_is_a_repeat(service, sheet):
    service.imports.load(ADMIN, [sheet], defaults=defaults(4))
    again = service.imports.load(ADMIN, [sheet], defaults=defaults(4))
    assert again.record is None and again.reports[0].already_loaded
    assert len(service.store.imports()) == 1


@pytest.mark.parametrize("change", [{"community": "Carers"}, {"place": "Wigan"},
                                    {"title": "Spring"}])
def test_any_option_that_defines_the_session_makes_it_another_load(service, sheet, change):
    service.imports.load(ADMIN, [sheet], defaults=defaults(4))
    other = service.imports.load(ADMIN, [sheet], defaults=defaults(4, **change))
    assert other.record is not None


def test_sheets_named_for_two_dates_in_one_import_are_two_sessions(service, tmp_path):
    names = ["Peer support - 2021-03-04 - Bolton - Tea.csv",
             "Peer support - 2021-03-11 - Bolton - Tea.csv"]
    for name in names:
        (tmp_path / name).write_text(SHEET)
    plan = service.imports.load(ADMIN, [tmp_path / n for n in names],
                                defaults=SessionDefaults(community="Peer support"))
    assert [r.already_loaded for r in plan.reports] == [False, False]
    assert sorted(s.held_on.day for s in service.store.sessions()) == [4, 11]
    assert len({f.options for f in plan.record.files}) == 2


def test_a_file_loaded_before_options_were_kept_is_a_repeat_whatever_the_options(tmp_path,
                                                                                  sheet):
    """A database from before (schema 4) knows only the content: it stays a repeat."""
    service = build(tmp_path / "graphsvc.db")
    service.imports.load(ADMIN, [sheet], defaults=defaults(4))
    service.close()
    with sqlite3.connect(tmp_path / "graphsvc.db") as db:
        db.execute("UPDATE import_files SET options = ''")
    service = build(tmp_path / "graphsvc.db")
    assert service.imports.load(ADMIN, [sheet], defaults=defaults(11)).record is None
    service.close()


@pytest.mark.neo4j
def test_neo4j_keeps_options_apart_too(neo4j_url, tmp_path, sheet):
    from graphsvc.service import Graphsvc

    service = Graphsvc(open_store(neo4j_url), archive=tmp_path / "archive")
    service.imports.load(ADMIN, [sheet], defaults=defaults(4))
    assert service.imports.load(ADMIN, [sheet], defaults=defaults(11)).record is not None
    assert service.imports.load(ADMIN, [sheet], defaults=defaults(11)).record is None
    assert len(service.store.sessions()) == 2
    service.close()
