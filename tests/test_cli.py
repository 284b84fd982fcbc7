"""The graphsvc command, end to end on real files."""

import csv
import json
import sqlite3
from collections import defaultdict
from itertools import combinations

import networkx as nx
import pytest

from graphsvc.store import open_store

from graphsvc.cli import main
from tests.conftest import demo_files


def invoke(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def log_files(tmp_path_factory):
    """The demo written as attendance logs only, which this test reads without the loaders."""
    from graphsvc.data import generate_demo

    folder = tmp_path_factory.mktemp("logs")
    generate_demo.write(folder, seed=2016, formats="logs")
    return [folder / "organisations.csv", folder / "communities.csv",
            *sorted((folder / "attendance").glob("*.csv"))]


@pytest.fixture
def loaded_db(runner, tmp_path, log_files):
    db = tmp_path / "cli.db"
    result = invoke(runner, "load", *log_files, "--db", db)
    assert result.exit_code == 0, result.output
    return db


def test_help_names_the_default_database(runner):
    result = invoke(runner, "--help")
    assert "graphsvc.db" in result.output and "--db" in result.output


def test_init_then_stats(runner, tmp_path):
    db = tmp_path / "new.db"
    assert "11 places and 13 sectors" in invoke(runner, "init", "--db", db).output
    data = json.loads(invoke(runner, "stats", "--json", "--db", db).output)
    assert data["counts"]["places"] == 11 and data["counts"]["people"] == 0


def test_loading_the_demo_reports_each_file_and_loading_again_changes_nothing(runner, tmp_path):
    db = tmp_path / "demo.db"
    assert invoke(runner, "load", *demo_files(), "--db", db).exit_code == 0
    first = json.loads(invoke(runner, "stats", "--json", "--db", db).output)
    again = invoke(runner, "load", *demo_files(), "--db", db)
    loaded_db = db
    assert again.exit_code == 0
    assert again.output.count("already loaded") == len(demo_files())
    assert "nothing changed" in again.output
    assert json.loads(invoke(runner, "stats", "--json", "--db", loaded_db).output) == first


def independent_weights(files, network: str, rule_large=60, rule_max=200):
    """Tie weights straight from the demo's attendance logs, without the project's loaders."""
    sessions = defaultdict(set)
    people_at = defaultdict(set)
    for path in files[2:]:
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                key = (row["Date"], row["Session"], row["Community"])
                person = row["Email"].lower() or (row["Name"], row["Organisation"])
                people_at[key].add(person)
                node = person if network == "people" else row["Organisation"]
                if node:
                    sessions[key].add(node)
    weights = defaultdict(float)
    counts = defaultdict(int)
    for key, nodes in sessions.items():
        size = len(people_at[key])
        if size > rule_max or len(nodes) < 2:
            continue
        weight = 1.0 if size <= rule_large else 1.0 / (len(nodes) - 1)
        for pair in combinations(sorted(nodes, key=str), 2):
            weights[frozenset(pair)] += weight
            counts[frozenset(pair)] += 1
    return weights, counts


@pytest.mark.parametrize("fmt, read", [
    ("graphml", nx.read_graphml),
    ("gexf", nx.read_gexf),
    ("json", lambda path: nx.node_link_graph(json.loads(path.read_text()), edges="links")),
])
def test_exports_open_in_networkx_with_weights_equal_to_independent_counts(runner, loaded_db,
                                                                          tmp_path, fmt, read,
                                                                          log_files):
    out = tmp_path / f"orgs.{fmt}"
    assert invoke(runner, "export", "--format", fmt, "--network", "organisations",
                  "--window", "0", "--out", out, "--db", loaded_db).exit_code == 0
    graph = read(out)
    names = {n: d["name"] for n, d in graph.nodes(data=True)}
    weights, counts = independent_weights(log_files, "organisations")
    got = {frozenset((names[u], names[v])): d for u, v, d in graph.edges(data=True)}
    assert set(got) == set(weights)
    for pair, weight in weights.items():
        assert float(got[pair]["weight"]) == pytest.approx(weight, rel=1e-12)
        assert int(got[pair]["sessions"]) == counts[pair]
    rule = graph.graph.get("rule") or out.read_text().split("<description>")[1]
    assert "1/(n-1)" in rule and "more than 200 attendees add no ties" in rule


def test_person_export_as_csv_matches_independent_counts_and_states_the_rule(runner, loaded_db,
                                                                           log_files):
    result = invoke(runner, "export", "--format", "csv", "--network", "people", "--window", "0",
                    "--db", loaded_db)
    rows = list(csv.DictReader(result.output.splitlines()))
    store = open_store(loaded_db)
    org_names = {o.id: o.name for o in store.organisations()}
    org_of = {j.person_id: org_names[j.organisation_id] for j in store.employments()}
    key_of = {p.id: (p.email or (p.name, org_of.get(p.id, ""))) for p in store.people()}
    weights, counts = independent_weights(log_files, "people")
    got = {frozenset((key_of[r["source_id"]], key_of[r["target_id"]])): r for r in rows}
    assert set(got) == set(weights)
    for pair, row in got.items():
        assert float(row["weight"]) == pytest.approx(weights[pair], rel=1e-12)
        assert int(row["shared_sessions"]) == counts[pair]
    assert all("Newman" in r["projection_rule"] for r in rows)


def dump(db_path):
    """Every row of every table, to compare a database before and after."""
    db = sqlite3.connect(db_path)
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def test_a_broken_row_fails_the_whole_load_and_leaves_the_database_as_it_was(runner, loaded_db,
                                                                              tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("Date,Session,Community,Place,Name,Email,Minutes\n"
                    "2019-06-01,New,Peer support,Online,Zed Able,zed@new.example,60\n")
    broken = tmp_path / "broken.csv"
    broken.write_text("Date,Session,Community,Place,Name,Email,Minutes\n"
                      "2019-06-01,New,Peer support,Online,Amy Bell,amy@new.example,60\n"
                      "2019-06-31,New,Peer support,Online,Ian Cole,ian@new.example,60\n")
    before = dump(loaded_db)
    result = runner.invoke(main, ["load", str(good), str(broken), "--db", str(loaded_db)])
    assert result.exit_code != 0
    assert "broken.csv" in result.output and "row 3" in result.output
    assert "'Date'" in result.output and "2019-06-31" in result.output
    assert "Traceback" not in result.output
    assert dump(loaded_db) == before


def test_a_sign_in_sheet_with_the_session_given_on_the_command_line(runner, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Name,Organisation,Email\nAnn Lee,Oak Trust,ann@oak.example\n"
                     "Bob Khan,Elm Trust,bob@elm.example\n")
    db = tmp_path / "s.db"
    result = invoke(runner, "load", sheet, "--community", "GM peer support", "--date",
                    "2019-05-01", "--place", "Bolton", "--db", db)
    assert result.exit_code == 0, result.output
    assert "1 sessions, 2 people (2 new), 2 organisations (2 new)" in result.output
    data = json.loads(invoke(runner, "stats", "--json", "--db", db).output)
    assert data["ties"] == {"people": 1, "organisations": 1}


def test_user_mistakes_are_one_sentence_not_a_traceback(runner, tmp_path):
    result = runner.invoke(main, ["load", str(tmp_path / "missing.csv"), "--db",
                                  str(tmp_path / "x.db")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    result = runner.invoke(main, ["stats", "--db", "postgres://nowhere"])
    assert result.exit_code == 1 and "unknown database" in result.output


def test_demo_builds_the_database_and_reports_counts(runner, tmp_path):
    db = tmp_path / "demo.db"
    result = invoke(runner, "demo", "--no-serve", "--db", db)
    assert result.exit_code == 0, result.output
    assert "250 organisations" in result.output and "person ties" in result.output
