"""The committed demo data: reproducible from its seed, realistic, with structure to find."""

import csv
import filecmp
from collections import Counter, defaultdict

import pytest

from graphsvc.data import generate_demo
from graphsvc.paths import demo_dir


def test_the_committed_demo_is_exactly_what_the_seeded_generator_writes(tmp_path):
    summary = generate_demo.write(tmp_path, seed=2016)
    committed = demo_dir()
    for path in [committed / "organisations.csv", committed / "communities.csv",
                 *sorted((committed / "attendance").glob("*.csv"))]:
        assert filecmp.cmp(path, tmp_path / path.relative_to(committed), shallow=False), path
    assert sorted(p.name for p in (tmp_path / "attendance").iterdir()) == sorted(
        p.name for p in (committed / "attendance").iterdir())
    assert summary["organisations"] == 250 and summary["sessions"] == 150


def read(name):
    with open(demo_dir() / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def attendance():
    rows = []
    for path in sorted((demo_dir() / "attendance").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def test_the_demo_is_the_size_the_brief_asks_for(attendance):
    organisations = read("organisations.csv")
    assert len(organisations) == 250
    assert {o["Borough"] for o in organisations} >= {
        "Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport",
        "Tameside", "Trafford", "Wigan"}
    people = {r["Name"] for r in attendance}
    assert 850 <= len(people) <= 950
    sessions = {(r["Date"], r["Session"], r["Community"]) for r in attendance}
    assert 140 <= len(sessions) <= 160
    assert min(r["Date"] for r in attendance) >= "2016-01-01"
    assert max(r["Date"] for r in attendance) <= "2019-12-31"
    lived = {r["Name"] for r in attendance if r["Attending as"] != "Professional"}
    assert 0.10 <= len(lived) / len(people) <= 0.20
    assert any(title in {r["Job title"] for r in attendance} for title in
               generate_demo.SENIOR_TITLES)
    assert len(read("communities.csv")) == 7


def test_emails_use_only_the_reserved_example_domain(attendance):
    domains = {r["Email"].rsplit("@", 1)[1] for r in attendance if r["Email"]}
    assert domains and all(d.endswith(".example") for d in domains)


def test_faith_groups_and_housing_never_meet(attendance):
    sector = {o["Name"]: o["Sector"] for o in read("organisations.csv")}
    sectors_at = defaultdict(set)
    for r in attendance:
        if r["Organisation"]:
            sectors_at[(r["Date"], r["Session"])].add(sector[r["Organisation"]])
    assert any("Faith group" in s for s in sectors_at.values())
    assert any("Housing" in s for s in sectors_at.values())
    assert not any({"Faith group", "Housing"} <= s for s in sectors_at.values())


def test_wigan_is_the_borough_with_thin_participation(attendance):
    borough = {o["Name"]: o["Borough"] for o in read("organisations.csv")}
    orgs = Counter(o["Borough"] for o in read("organisations.csv"))
    rows = Counter(borough[r["Organisation"]] for r in attendance if r["Organisation"])
    per_org = {b: rows[b] / orgs[b] for b in orgs if b}
    assert min(per_org, key=per_org.get) == "Wigan"
    assert per_org["Wigan"] < 0.5 * sorted(per_org.values())[1]


def test_a_few_brokers_span_several_communities(attendance):
    communities = defaultdict(set)
    for r in attendance:
        communities[r["Name"]].add(r["Community"])
    spanning = [name for name, found in communities.items() if len(found) >= 4]
    assert 3 <= len(spanning) <= 15


def test_there_are_conference_sized_sessions(attendance):
    sizes = Counter((r["Date"], r["Session"]) for r in attendance)
    assert max(sizes.values()) > 60
