"""The analyses on the demo data: they find the structure the generator put there, and the
CLI prints the same numbers as Python."""

import json
from collections import defaultdict
from datetime import date

import numpy as np
import pytest

from graphsvc.analyses.kernels import ROLES
from graphsvc.cli import main
from tests.conftest import ADMIN


def test_strength_index_is_the_mean_of_its_shown_components(demo_service):
    result = demo_service.analyses.compute("strength")
    assert len(result["boroughs"]) == 10
    for row in result["boroughs"]:
        known = [v for v in row["components"].values() if v is not None]
        assert row["index"] == pytest.approx(100 * sum(known) / len(known), abs=0.01)
        assert all(0 <= v <= 1 for v in known)
    assert "mean of seven components" in result["method"]
    assert all(len(row["components"]) == 7 for row in result["boroughs"])
    assert "1/(n-1)" in result["rule"]


def test_wigan_is_thin(demo_service):
    rows = {r["borough"]: r for r in demo_service.analyses.compute("strength", window_months=None)["boroughs"]}
    per_org = {b: r["ties_per_organisation"] for b, r in rows.items()}
    assert min(per_org, key=per_org.get) == "Wigan"


def test_sessions_held_per_borough_match_the_stored_sessions(demo_service):
    places = {p.id: p.name for p in demo_service.store.places() if p.kind == "borough"}
    held = defaultdict(int)
    for session in demo_service.store.sessions():
        held[places.get(session.place_id, "")] += 1
    rows = demo_service.analyses.compute("strength", window_months=None)["boroughs"]
    assert sum(held[b] for b in places.values()) > 20
    for row in rows:
        assert row["sessions"] == held[row["borough"]]


def met_by_sector(store, node_of) -> dict:
    """From the stored attendance alone: for each node (a person, or an organisation by
    ``node_of``), the nodes it attended a session with, and each node's sectors."""
    sectors = {s.id: s.name for s in store.sectors()}
    org_sectors = {o.id: {sectors[s] for s in o.sector_ids} for o in store.organisations()}
    jobs = defaultdict(set)
    for job in store.employments():
        jobs[job.person_id].add(job.organisation_id)
    by_session = defaultdict(set)
    for row in store.attendance():
        if node_of(row):  # people taking part as patients or carers have no organisation
            by_session[row.session_id].add(node_of(row))
    met = defaultdict(set)
    for nodes in by_session.values():
        for node in nodes:
            met[node] |= nodes - {node}
    def sector_of(node):
        orgs = jobs[node] if node.startswith("person:") else {node}
        return set().union(*(org_sectors.get(o, set()) for o in orgs))
    return met, sector_of


@pytest.mark.parametrize("window", [18, None])
def test_faith_groups_and_housing_are_the_only_gap_and_its_bridges_meet_both(demo_service,
                                                                             window):
    result = demo_service.analyses.compute("gaps", window_months=window)
    assert [(g["a"], g["b"], g["observed"]) for g in result["gaps"]] == [
        ("Faith group", "Housing", 0)]  # and not, say, 190 ties against 210 expected
    top = result["gaps"][0]
    assert top["why"].startswith("Faith group and Housing: 0 ties where about ")
    assert len(top["candidate_brokers"]) == 3 and len(top["convening_organisations"]) == 3
    people = {p.id: p for p in demo_service.store.people()}
    assert all(people[c["id"]].consent == "named" for c in top["candidate_brokers"])
    if window is None:  # every session counts: the ties are exactly the meetings
        for key, node_of in (("candidate_brokers", lambda row: row.person_id),
                             ("convening_organisations", lambda row: row.organisation_id)):
            met, sector_of = met_by_sector(demo_service.store, node_of)
            for contact in top[key]:
                faith = [n for n in met[contact["id"]] if "Faith group" in sector_of(n)]
                housing = [n for n in met[contact["id"]] if "Housing" in sector_of(n)]
                assert (contact["ties_to_a"], contact["ties_to_b"]) == (len(faith),
                                                                        len(housing))
                assert contact["pairs"] == len(faith) * len(housing) > 0


def test_the_demos_pairs_of_sectors_get_bridges_of_their_own(demo_service):
    pairs = [("Faith group", "Housing"), ("Charity", "Public health"),
             ("Community group", "NHS trust"), ("Carers' organisation", "Primary care")]
    found = {}
    for a, b in pairs:
        result = demo_service.analyses.compute("bridges", network="people",
                                               a=f"sector={a}", b=f"sector={b}", limit=3)
        found[a, b] = [(c["id"], c["ties_to_a"], c["ties_to_b"]) for c in result["contacts"]]
    assert len({tuple(contacts) for contacts in found.values()}) == len(pairs)
    assert len({frozenset(c for c, *_ in contacts) for contacts in found.values()}) > 1


def test_the_generators_brokers_lead_the_person_brokerage(demo_service, tmp_path):
    from graphsvc.data import generate_demo

    planted = set(generate_demo.write(tmp_path, seed=2016)["brokers"])
    result = demo_service.analyses.compute("brokers", network="people", window_months=None)
    assert result["betweenness"]["method"] == "exact"
    named = {n["name"] for n in result["nodes"]} & planted
    top = {n["name"] for n in result["nodes"][:15]}
    assert len(named) >= 3 and len(top & named) >= len(named) - 1


def test_communities_report_health_and_cluster_agreement(demo_service):
    result = demo_service.analyses.compute("communities")
    health = {c["community"]: c for c in result["health"]["communities"]}
    assert len(health) == 7
    for c in health.values():
        assert c["quarters"] and {"attendance", "retention", "new_person_ties", "waning"} <= set(
            c["quarters"][0]) | {"waning"}
    assert 0 <= result["clusters"]["nmi"] <= 1


def test_new_ties_by_community_add_up_to_all_person_ties(demo_service):
    result = demo_service.analyses.compute("communities", window_months=None)
    total = sum(q["new_person_ties"] for c in result["health"]["communities"]
                for q in c["quarters"])
    assert total == len(demo_service.data.ties("people"))


def test_change_counts_pairs_who_met_again(demo_service):
    result = demo_service.analyses.compute("change")
    ties = demo_service.data.ties("people")
    assert sum(q["first_met"] for q in result["ties_after_meeting"]) == len(ties)
    assert sum(q["met_again"] for q in result["ties_after_meeting"]) == int(
        (ties.shared_sessions > 1).sum())
    assert {"gained", "lost", "kept"} <= set(result["brokers"])


def test_results_are_cached_by_revision(demo_service, tmp_path):
    first = demo_service.analyses.compute("gaps")
    assert demo_service.analyses.compute("gaps") is first
    sheet = tmp_path / "s.csv"
    sheet.write_text("Name,Organisation\nAnn Lee,New Trust\nBob Khan,Other Trust\n")
    demo_service.imports.load(ADMIN, [sheet], defaults=__import__("loaders").SessionDefaults(
        "Peer support", date(2019, 12, 1)))
    assert demo_service.analyses.compute("gaps") is not first


def test_cli_brokers_json_keeps_the_scripting_contract(runner, demo_database):
    result = runner.invoke(main, ["analyse", "brokers", "--network", "people", "--partition",
                                  "borough", "--json", "--db", str(demo_database)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    node = data["nodes"][0]
    assert {"id", "name", "betweenness", "effective_size", "efficiency", "constraint",
            "hierarchy", "roles"} <= set(node)
    assert all(set(node["roles"][r]) == {"observed", "expected", "z"} for r in ROLES)
    assert data["partition"] == "borough" and "rule" in data


@pytest.mark.parametrize("args", [
    ["strength"], ["gaps", "--within", "borough=Manchester"], ["communities"], ["change"],
    ["bridges", "--a", "sector=Housing", "--b", "sector=Faith group"],
    ["gaps", "--columns", "borough"],
])
def test_every_analysis_prints_json_from_the_cli(runner, demo_database, args):
    result = runner.invoke(main, ["analyse", *args, "--json", "--db", str(demo_database)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["analysis"] == args[0] and data["as_of"]


def test_cli_paths_between_two_people(runner, demo_service, demo_database):
    net = demo_service.data.network("people", window_months=None)
    people = {p.id: p for p in demo_service.store.people()}
    housing = net.select({"sector": "Housing"})
    tied = {i: housing[net.adjacency[i].indices].any() for i in range(net.n)}
    named = [i for i, n in enumerate(net.node_ids) if people[n].consent == "named"
             and net.adjacency[i].nnz and not housing[i]]
    far = next(net.node_ids[i] for i in named if not tied[i])
    near = next(net.node_ids[i] for i in named if tied[i])
    for person, already in ((far, False), (near, True)):
        result = runner.invoke(main, ["analyse", "paths", "--from", person, "--to",
                                      "sector=Housing", "--window-months", "0", "--json",
                                      "--db", str(demo_database)])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["already_know_each_other"] is already
        assert bool(data["direct"]) is already and bool(data["paths"]) is not already
        assert all(len(p["hops"]) == len(p["nodes"]) - 1 for p in data["paths"])


def test_cli_paths_errors_name_the_flags_given(runner, demo_database):
    """Without --from it said "no node ''"; a bad --from was called 'source'."""
    asked = {(): "column 'from': give the person to start from",
             ("--from", "x", "--to", "sector=Housing"): "column 'from': give an organisation's"}
    for args, said in asked.items():
        result = runner.invoke(main, ["analyse", "paths", *args, "--db", str(demo_database)])
        assert result.exit_code == 1 and said in result.output, result.output


def test_cli_bridges_says_which_group_is_empty(runner, demo_service, demo_database):
    net = demo_service.data.network("organisations")
    there = set(zip(net.attribute("sector"), net.attribute("borough")))
    sector, borough = next((s.name, p.name) for s in demo_service.store.sectors()
                           for p in demo_service.store.places()
                           if p.kind == "borough" and (s.name, p.name) not in there)
    result = runner.invoke(main, ["analyse", "bridges", "--a", f"sector={sector},borough="
                                  f"{borough}", "--b", "sector=Charity", "--db",
                                  str(demo_database)])
    assert result.exit_code == 0
    assert f"group A (sector={sector},borough={borough}) has no one" in result.output


def test_bad_selectors_are_a_sentence(runner, demo_database):
    result = runner.invoke(main, ["analyse", "bridges", "--a", "sector=", "--b", "x=y",
                                  "--db", str(demo_database)])
    assert result.exit_code == 1 and "attribute=value" in result.output


def test_each_node_is_placed_in_the_community_it_attended_most(demo_service):
    from collections import Counter, defaultdict

    from graphsvc.attributes import _main_community

    names = {c.id: c.name for c in demo_service.store.communities()}
    community = {s.id: names[s.community_id] for s in demo_service.store.sessions()}
    seen = defaultdict(Counter)
    for visit in demo_service.store.attendance():
        seen[visit.person_id][community[visit.session_id]] += 1
    expected = {n: min(c, key=lambda k: (-c[k], k)) for n, c in seen.items()}
    assert _main_community(demo_service.store, "person") == expected


def test_an_analysis_of_one_network_describes_that_one_whichever_is_asked(demo_service):
    """Introduction paths run on the people network and clusters on the organisations', as
    asked or not: the result's network and its counts are of the network worked on (the
    paths of a CLI run without --network said "people" with the organisations' counts)."""
    people = demo_service.data.network("people")
    organisations = demo_service.data.network("organisations")
    tied = np.flatnonzero(np.diff(people.adjacency.indptr))
    first, second = people.node_ids[tied[0]], people.node_ids[tied[1]]
    for asked in ("organisations", "people"):
        paths = demo_service.analyses.compute("paths", network=asked, source=first, to=second)
        assert (paths["network"], paths["nodes_in_network"], paths["active_ties"]) == (
            "people", people.n, people.edges), asked
        found = demo_service.analyses.compute("communities", network=asked)
        assert (found["network"], found["nodes_in_network"], found["active_ties"]) == (
            "organisations", organisations.n, organisations.edges), asked
        clustered = sum(row["size"] for row in found["clusters"]["clusters"])
        assert clustered == int((np.diff(organisations.adjacency.indptr) > 0).sum()), asked
