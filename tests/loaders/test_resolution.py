"""Who is who across imports: fuzzy organisations, reviews, domains, merges, undo."""

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphsvc.cli import main
from graphsvc.errors import GraphsvcError, InputError
from graphsvc.rules import FACTS
from graphsvc.service import Graphsvc
from graphsvc.service.planning import plan_import
from loaders import SessionDefaults, parse_rows
from loaders.files import stream_rows
from loaders.resolve import organisation_key, shared_domain
from tests.conftest import ADMIN
from tests.graphsvc.store import test_rules_on_stores as rules_on_stores

FILES = Path(__file__).parent / "files"
SESSION = SessionDefaults("Peer support", date(2019, 5, 1), "Bolton")


def sheet(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def register(tmp_path):
    return sheet(tmp_path, "register.csv",
                 "Name,Sector,Borough,Scope,Type,Aliases\n"
                 "Bolton Carers Network,Carers' organisation,Bolton,local,vcse,BCN\n"
                 "Elm Trust,Charity,Wigan,local,vcse,\n")


def test_organisation_names_normalise():
    assert organisation_key("The Elm Trust Ltd.") == organisation_key("elm trust")
    assert organisation_key("Oak & Ash CIC") == organisation_key("Oak and Ash")


def test_close_spellings_match_and_uncertain_ones_wait_for_review(service, tmp_path):
    service.imports.load(ADMIN, [register(tmp_path)])
    attendance = sheet(tmp_path, "a.csv",
                       "Name,Email,Organisation\n"
                       "Ann Lee,ann@x.example,Bolton Carers Netwrok\n"  # a close spelling
                       "Bob Khan,bob@y.example,BCN\n"                     # an alias
                       "Cat Ng,cat@z.example,Elm Trust UK\n")  # resembles, unsure
    plan = service.imports.load(ADMIN, [attendance], defaults=SESSION)
    report = plan.reports[0]
    assert [m["matched"] for m in report.matched_fuzzily] == ["Bolton Carers Network"]
    [uncertain] = report.uncertain
    assert uncertain["candidate"] == "Elm Trust"
    orgs = {o.name for o in service.store.organisations()}
    assert "Elm Trust UK" in orgs  # kept apart, never merged silently
    [review] = service.store.reviews()
    service.store.decide_review(review.id, confirm=True)
    assert "Elm Trust UK" not in {o.name for o in service.store.organisations()}
    again = sheet(tmp_path, "b.csv", "Name,Email,Organisation\nDan Roe,dan@z.example,"
                                      "Elm Trust UK\n")
    plan = service.imports.load(ADMIN, [again], defaults=SessionDefaults("Peer support", date(2019, 6, 1)))
    assert plan.reports[0].new_organisations == 0 and plan.reports[0].uncertain == []


def test_a_rejected_match_is_not_asked_again(service, tmp_path):
    service.imports.load(ADMIN, [register(tmp_path)])
    service.imports.load(ADMIN, [sheet(tmp_path, "a.csv", "Name,Organisation\nCat Ng,Elm Trust UK\n")],
                 defaults=SESSION)
    [review] = service.store.reviews()
    service.store.decide_review(review.id, confirm=False)
    plan = service.imports.load(ADMIN, [sheet(tmp_path, "b.csv", "Name,Organisation\nDan Roe,"
                                                  "Elm Trust UK\n")],
                        defaults=SessionDefaults("Peer support", date(2019, 7, 1)))
    assert plan.reports[0].uncertain == [] and service.store.reviews() == []


def test_an_email_domain_finds_the_organisation_unless_it_is_shared(service, tmp_path):
    service.imports.load(ADMIN, [sheet(tmp_path, "a.csv", "Name,Email,Organisation\n"
                                           "Ann Lee,ann@elmtrust.example,Elm Trust\n"
                                           "Ben Cole,ben@nhs.net,Oak NHS Trust\n")], defaults=SESSION)
    plan = service.imports.load(ADMIN, [sheet(tmp_path, "b.csv", "Name,Email\nDee Roe,dee@elmtrust.example\n"
                                                  "Eli Fox,eli@nhs.net\n")],
                        defaults=SessionDefaults("Peer support", date(2019, 6, 1)))
    assert plan.reports[0].organisations == 1
    jobs = {j.person_id: j.organisation_id for j in service.store.employments()}
    people = {p.email: p.id for p in service.store.people()}
    assert jobs[people["dee@elmtrust.example"]] == "org:elm-trust"
    assert people["eli@nhs.net"] not in jobs
    assert shared_domain("bolton.gov.uk") and shared_domain("gmail.com")


def test_a_merge_of_two_people_sticks_for_later_imports(runner, tmp_path):
    db = tmp_path / "m.db"
    first = sheet(tmp_path, "a.csv", "Name,Email\nAnn Lee,ann@home.example\n")
    second = sheet(tmp_path, "b.csv", "Name,Email\nAnn Lee,ann.lee@work.example\n")
    for path, day in ((first, "2019-05-01"), (second, "2019-06-01")):
        assert runner.invoke(main, ["load", str(path), "--community", "Peer support", "--date",
                                    day, "--db", str(db)]).exit_code == 0
    stats = json.loads(runner.invoke(main, ["stats", "--json", "--db", str(db)]).output)
    assert stats["counts"]["people"] == 2
    from graphsvc.store import open_store

    store = open_store(db)
    ids = {p.email: p.id for p in store.people()}
    store.close()
    result = runner.invoke(main, ["merge", "people", ids["ann@home.example"],
                                  ids["ann.lee@work.example"], "--db", str(db)])
    assert result.exit_code == 0, result.output
    third = sheet(tmp_path, "c.csv", "Name,Email\nAnn Lee,ann.lee@work.example\n\n")
    runner.invoke(main, ["load", str(third), "--community", "Peer support", "--date",
                         "2019-07-01", "--db", str(db)])
    stats = json.loads(runner.invoke(main, ["stats", "--json", "--db", str(db)]).output)
    assert stats["counts"]["people"] == 1 and stats["counts"]["attendance"] == 3


def test_imports_are_archived_listed_and_undone(runner, tmp_path):
    db = tmp_path / "u.db"
    path = sheet(tmp_path, "a.csv", "Name,Email\nAnn Lee,ann@x.example\nBob Khan,bob@y.example\n")
    result = runner.invoke(main, ["load", str(path), "--community", "Peer support", "--date",
                                  "2019-05-01", "--json", "--db", str(db)])
    import_id = json.loads(result.stdout)["import"]
    listed = json.loads(runner.invoke(main, ["imports", "--json", "--db", str(db)]).output)
    [record] = listed
    archived = Path(record["files"][0]["archive"])
    assert archived.read_bytes() == path.read_bytes()
    assert archived.parent == Path(f"{db}.archive") and archived.name == record["files"][0]["sha256"]
    result = runner.invoke(main, ["undo", import_id, "--db", str(db)])
    assert result.exit_code == 0 and "2 attendance" in result.output
    stats = json.loads(runner.invoke(main, ["stats", "--json", "--db", str(db)]).output)
    assert stats["counts"]["attendance"] == 0 and stats["counts"]["people"] == 0
    again = runner.invoke(main, ["load", str(path), "--community", "Peer support", "--date",
                                 "2019-05-01", "--db", str(db)])
    assert "already loaded" not in again.output  # an undone import can be loaded again


def test_declared_ties_join_the_organisation_network(service, tmp_path):
    service.imports.load(ADMIN, [register(tmp_path), FILES / "declared_ties.csv"])
    ties = {(t.source_id, t.target_id): t for t in service.store.declared_ties()}
    assert ties[("org:elm-trust", "org:oak-trust")].weight == 3
    assert ties[("org:elm-trust", "org:oak-trust")].declared_on == date(2018, 6, 1)
    assert len(ties) == 2


def test_unknown_people_in_declared_ties_are_problems(service, tmp_path):
    path = sheet(tmp_path, "t.csv", "Person A,Person B\nann@x.example,Nobody Known\n")
    with pytest.raises(InputError, match="no single known person"):
        service.imports.load(ADMIN, [path])


def test_straddling_postcodes_are_noted_not_guessed(service, tmp_path):
    plan = service.imports.load(ADMIN, [sheet(tmp_path, "a.csv", "Name,Postcode\nAnn Lee,M3 4AB\nBob Khan,BL1 1AA\n")],
                        defaults=SESSION)
    assert any("M3 is split" in note for note in plan.reports[0].notes)
    places = {p.name: p.place_id for p in service.store.people()}
    assert places["Ann Lee"] is None and places["Bob Khan"] == "place:E08000001"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=600))
def test_arbitrary_bytes_give_only_the_projects_own_errors(raw):
    """Through the path imports take: the file read as a stream, then parsed."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(raw)
        try:
            parsed = parse_rows(stream_rows(path), source="fuzz.csv", defaults=SESSION,
                                communities=("Peer support",))
        except InputError:
            return
    assert hasattr(parsed, "problems")


CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=8), min_size=1, max_size=8),
       header=st.sampled_from([["Name", "Email", "Minutes"], ["Date", "Community", "Name"],
                               ["Meeting ID", "Topic", "Start Time"], ["1. Summary"],
                               ["Order #", "Attendee Status", "First Name"],
                               ["First name", "Duration", "Time joined"],
                               ["Person A", "Person B"], ["Name", "Sector"]]))
def test_malformed_rows_fail_cleanly_and_leave_the_store_unchanged(service, tmp_path, rows, header):
    import csv

    path = tmp_path / "odd.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    before = (service.store.counts(), service.store.revision())
    try:
        service.imports.load(ADMIN, [path], defaults=SESSION)
    except GraphsvcError:
        assert (service.store.counts(), service.store.revision()) == before


def test_names_that_differ_in_a_number_are_different_organisations(service, tmp_path):
    service.imports.load(ADMIN, [sheet(tmp_path, "a.csv", "Name,Organisation\nAnn Lee,Unit 5 Arts Collective\n"
                                           "Bob Khan,Org 527\n")], defaults=SESSION)
    plan = service.imports.load(ADMIN, [sheet(tmp_path, "b.csv", "Name,Organisation\nCat Ng,Unit 55 Arts Collective\n"
                                                  "Dan Roe,Org 57\nEve Poe,Unit 5 Arts Colective\n")],
                        defaults=SessionDefaults("Peer support", date(2019, 6, 1)))
    report = plan.reports[0]
    assert [(m["name"], m["matched"]) for m in report.matched_fuzzily] == [
        ("Unit 5 Arts Colective", "Unit 5 Arts Collective")]
    assert report.uncertain == [] and report.new_organisations == 2


# -- the files of one import share the people they read ------------------------------------
def _logs(tmp_path, header: str, *days: tuple[str, str]) -> list[Path]:
    """Attendance logs, one per (date, rows), loaded as one import."""
    return [sheet(tmp_path, f"log-{day}.csv", "Date,Community,Place," + header + "\n" + "".join(
        f"{day},Peer support,Bolton,{line}\n" for line in rows.splitlines())) for day, rows in days]


def test_each_file_of_an_import_notes_what_it_read_even_of_people_read_before(service, tmp_path):
    rows = "Ann Lee,n/a,Elm Trust,M3 4AB,Volunteer\nBob Khan,bob@x.example,Oak CIC,BL1 1AA,-"
    files = _logs(tmp_path, "Name,Email,Organisation,Postcode,Job title", ("2019-05-01", rows),
                  ("2019-06-01", rows))
    plan = service.imports.load(ADMIN, files)
    for report in plan.reports:  # the second file's people were read by the first
        assert any("M3 is split" in note for note in report.notes), report.notes
        assert any("2 placeholder values read as blank" in note for note in report.notes), \
            report.notes


def test_two_spellings_of_one_id_in_one_import_claim_what_two_imports_would(service, tmp_path):
    """"Carers & Friends" and "Carers Friends" are one id but not one matching key: the later
    file renames the organisation as the resolver knows it, which must not change what the
    earlier file's people said of it (its spelling, as of its later session)."""
    files = _logs(tmp_path, "Name,Organisation", ("2019-05-01", "Ann Lee,Carers & Friends"),
                  ("2019-03-01", "Bob Roe,Carers Friends"))
    plan = plan_import(service.store, files)
    [claim] = [c for c in _claims(plan)["organisations"].values()
               if c["id"] == "org:carers-friends"]
    assert (claim["name"], claim["name_at"]) == ("Carers & Friends", "02019-05-01")
    assert plan.batch.reviews == []  # not a review of whether it is itself


def test_an_organisation_from_an_email_domain_learnt_in_a_later_file_of_the_import(
        service, tmp_path):
    """Ann (no organisation) comes first, before anyone shows that elmtrust.example is Elm
    Trust's; when she comes again in a third file, the domain is known: as if the three
    files had been loaded one import after another."""
    files = _logs(tmp_path, "Name,Email,Organisation",
                  ("2019-05-01", "Ann Lee,ann@elmtrust.example,"),
                  ("2019-06-01", "Dee Roe,dee@elmtrust.example,Elm Trust"),
                  ("2019-07-01", "Ann Lee,ann@elmtrust.example,"))
    service.imports.load(ADMIN, files)
    jobs = {j.person_id: j.organisation_id for j in service.store.employments()}
    people = {p.email: p.id for p in service.store.people()}
    assert jobs[people["ann@elmtrust.example"]] == "org:elm-trust"


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(files=rules_on_stores.FILES)
def test_one_import_claims_what_its_files_claim_one_by_one_joined(tmp_path_factory, files):
    """The claims of one import of several files, stamps included, are the join by the rules
    of what each file claims alone (the files read people once, and claim each once)."""
    folder = tmp_path_factory.mktemp("claims")
    store = Graphsvc(folder / "store.db").data.store
    paths = [sheet(folder, f"file{n}.csv", rules_on_stores.log_text(rows))
             for n, rows in enumerate(files)]
    together = _claims(plan_import(store, paths))
    joined: dict[str, dict] = {}
    for path in paths:
        for part, claims in _claims(plan_import(store, [path])).items():
            held = joined.setdefault(part, {})
            for key, claim in claims.items():
                held[key] = claim if key not in held else FACTS[part].join(held[key], claim)
    assert together == joined


def _claims(plan) -> dict[str, dict]:
    plan.close()
    return {part: {FACTS[part].key_of(c): c for c in claims}
            for part, claims in plan.batch.claims.items()}
