"""The committed demo data: reproducible from its seed, in every real format, realistic, and
with the structure the analyses should find."""

import filecmp
from collections import Counter, defaultdict

from graphsvc.data import generate_demo
from graphsvc.resources import demo_dir
from loaders import FORMATS, detect_format
from loaders.files import read_rows
from tests.conftest import demo_files


def test_the_committed_demo_is_exactly_what_the_seeded_generator_writes(tmp_path):
    summary = generate_demo.write(tmp_path, seed=2016)
    committed = demo_dir()
    ours = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file()
                  and p.suffix in (".csv", ".xlsx"))
    theirs = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert ours == theirs
    for relative in ours:
        assert filecmp.cmp(committed / relative, tmp_path / relative, shallow=False), relative
    assert summary["organisations"] == 250 and summary["sessions"] == 150


# The Meet extension's files name people only (no email, no organisation), so in the demo each of
# its attendees would become a second person beside the one the other files know by email; the
# real file in tests/fixtures/real covers it instead.
NAMES_ONLY = {"meet-extension"}


def test_the_demo_uses_every_format_the_loaders_read():
    found = set()
    for path in demo_files():
        rows = read_rows(path)
        found.add(detect_format(rows[0], rows))
    assert found == set(FORMATS) - NAMES_ONLY


def test_the_demo_is_the_size_the_brief_asks_for(demo_service):
    store = demo_service.store
    counts = store.counts()
    assert counts["organisations"] == 250 and counts["sessions"] == 150
    assert 850 <= counts["people"] <= 950
    assert counts["communities"] == 7
    boroughs = {p.name for p in store.places() if p.kind == "borough"}
    places = {p.id: p.name for p in store.places()}
    assert {places.get(o.place_id) for o in store.organisations()} >= boroughs
    days = [s.held_on for s in store.sessions()]
    assert min(days).year >= 2016 and max(days).year <= 2019
    people = store.people()
    lived = [p for p in people if p.lived_experience != "none"]
    assert 0.10 <= len(lived) / len(people) <= 0.20
    assert all(p.consent in ("named", "aggregate") for p in people)
    assert sum(1 for j in store.employments() if j.seniority == "senior") >= 20


def test_emails_use_only_the_reserved_example_domain(demo_service):
    domains = {p.email.rsplit("@", 1)[1] for p in demo_service.store.people() if p.email}
    assert domains and all(d.endswith(".example") for d in domains)


def test_consent_of_people_with_lived_experience_follows_what_they_said(demo_service):
    """They are recorded from a file that says how they took part (not only from exports
    that say nothing), so nobody who said no is named."""
    generator = generate_demo.Generator(2016, generate_demo.DEMO)
    said = {p["name"]: p for p in generator.people(generator.organisations())}
    checked = 0
    for person in demo_service.store.people():
        source = said[person.name]
        if source["attending_as"] == "Professional":
            continue
        assert person.lived_experience != "none", person.name
        assert person.consent == ("named" if source["consent"] == "Yes" else "aggregate")
        checked += 1
    assert checked > 80


def sectors_by_session(store):
    sector = {o.id: o.sector_ids[0] for o in store.organisations() if o.sector_ids}
    found = defaultdict(set)
    for visit in store.attendance():
        if visit.organisation_id in sector:
            found[visit.session_id].add(sector[visit.organisation_id])
    return found


def test_faith_groups_and_housing_never_meet(demo_service):
    found = sectors_by_session(demo_service.store)
    assert any("sector:faith-group" in s for s in found.values())
    assert any("sector:housing" in s for s in found.values())
    assert not any({"sector:faith-group", "sector:housing"} <= s for s in found.values())


def test_wigan_is_the_borough_with_thin_participation(demo_service):
    store = demo_service.store
    places = {p.id: p.name for p in store.places()}
    borough = {o.id: places.get(o.place_id, "") for o in store.organisations()}
    orgs = Counter(borough.values())
    visits = Counter(borough[v.organisation_id] for v in store.attendance() if v.organisation_id)
    per_org = {b: visits[b] / orgs[b] for b in orgs if b}
    assert min(per_org, key=per_org.get) == "Wigan"
    assert per_org["Wigan"] < 0.5 * sorted(per_org.values())[1]


def test_a_few_brokers_span_several_communities(demo_service):
    community = {s.id: s.community_id for s in demo_service.store.sessions()}
    spans = defaultdict(set)
    for visit in demo_service.store.attendance():
        spans[visit.person_id].add(community[visit.session_id])
    assert 3 <= sum(1 for found in spans.values() if len(found) >= 4) <= 15


def test_there_are_conference_sized_sessions(demo_service):
    sizes = Counter(v.session_id for v in demo_service.store.attendance())
    assert max(sizes.values()) > 60
