"""The network as of a date is the network as it stood: someone first seen after the date
changes nothing of it. Checked from outside, against the same data never given the latecomers
(not against numbers taken from the code's own output)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from graphsvc.analyses import Network, brokers
from graphsvc.analyses.network import TieHistory
from graphsvc.model import Attendance, Session
from graphsvc.ties import AttendanceTable, project
from loaders import SessionDefaults
from tests.conftest import ADMIN

AS_OF = date(2019, 6, 30)
SECTOR = {"ann": "Housing", "bob": "Housing", "cat": "Charity", "dan": "Charity",
          "eve": "Primary care", "fay": "Primary care", "gus": "Charity", "hal": "Housing",
          "late1": "Primary care", "late2": "Housing"}
EMPLOYER = {p: f"org:{p}" for p in SECTOR}
SESSIONS = {  # session -> (date, attendees)
    "s1": (date(2018, 1, 10), ["ann", "bob", "cat"]),
    "s2": (date(2018, 3, 5), ["cat", "dan", "eve"]),
    "s3": (date(2018, 9, 1), ["eve", "fay", "ann"]),
    "s4": (date(2019, 2, 1), ["gus", "hal", "bob", "dan"]),
    "s5": (date(2019, 6, 30), ["fay", "gus", "cat"]),
    "s6": (date(2019, 8, 1), ["late1", "late2", "ann", "hal"]),  # after the date
    "s7": (date(2019, 9, 9), ["late1", "eve"]),
}
LATE = {"late1", "late2"}


def records(with_latecomers: bool) -> tuple[list[Session], list[Attendance]]:
    sessions = [Session(s, "community:c", "t", day) for s, (day, _) in SESSIONS.items()]
    rows = [Attendance(s, f"person:{p}", EMPLOYER[p]) for s, (_, who) in SESSIONS.items()
            for p in who if with_latecomers or p not in LATE]
    # the latecomers' rows first, so that they would take the lowest node numbers
    rows.sort(key=lambda row: row.person_id.removeprefix("person:") not in LATE)
    return sessions, rows


def network_as_of(network: str, with_latecomers: bool, window_months) -> Network:
    table = AttendanceTable.from_records(*records(with_latecomers))
    ties = project(table, network, window=(None, AS_OF))
    people = {f"person:{p}": {"sector": s, "name": p} for p, s in SECTOR.items()}
    orgs = {EMPLOYER[p]: {"sector": s, "name": p} for p, s in SECTOR.items()}
    return Network.from_ties(ties, people if network == "people" else orgs, as_of=AS_OF,
                             window_months=window_months)


def by_id(result: dict) -> dict:
    return {row["id"]: row for row in result["nodes"]}


def same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


@pytest.mark.parametrize("network", ["people", "organisations"])
@pytest.mark.parametrize("window_months", [6, None])
def test_latecomers_change_nothing_of_the_network_as_it_stood(network, window_months):
    loaded = network_as_of(network, True, window_months)
    never = network_as_of(network, False, window_months)
    assert sorted(loaded.node_ids) == sorted(never.node_ids)
    assert not any(p in node for node in loaded.node_ids for p in LATE)
    assert loaded.n == never.n == 8 and loaded.edges == never.edges
    mine, theirs = by_id(brokers(loaded, "sector")), by_id(brokers(never, "sector"))
    assert mine.keys() == theirs.keys()
    for node, row in mine.items():
        assert same(row, theirs[node]), node
    # role expectations and betweenness normalisation depend on N: a node too many moves them
    assert any(row["roles"]["liaison"]["expected"] for row in mine.values())


def test_those_seen_before_the_window_stay_as_isolates():
    net = network_as_of("people", True, window_months=6)
    index = net.index()
    degree = net.adjacency.indptr[1:] - net.adjacency.indptr[:-1]
    # ann was last seen in September 2018, outside the six months before the date
    assert "person:ann" in index and degree[index["person:ann"]] == 0


@pytest.mark.parametrize("network", ["people", "organisations"])
def test_the_tie_history_is_the_unwindowed_network_without_its_adjacency(network):
    # the whole history projected, latecomers and all: both must leave out what came later
    ties = project(AttendanceTable.from_records(*records(True)), network)
    attributes = {node: {"sector": f"sector of {node}"} for node in ties.node_ids}
    history = TieHistory.from_ties(ties, attributes, as_of=AS_OF)
    whole = Network.from_ties(ties, attributes, as_of=AS_OF, window_months=None)
    assert history.node_ids == whole.node_ids and history.attributes == whole.attributes
    ends = sorted(zip(*(a.tolist() for a in history.tie_ends())))
    assert ends == sorted(zip(*(a.tolist() for a in whole.tie_ends())))
    assert all(u < v for u, v, _ in ends) and len(ends) == whole.edges
    assert not any(p in node for node in history.node_ids for p in LATE)

def _sheet(folder, name: str, people: list[str]):
    path = folder / f"{name}.csv"
    path.write_text("Name,Email,Organisation\n" + "".join(
        f"{p.title()} Example,{p}@x.example,{p.title()} Trust\n" for p in people))
    return path


@pytest.mark.parametrize("network", ["people", "organisations"])
def test_the_service_as_of_a_date_leaves_latecomers_out(tmp_path, network):
    from tests.conftest import build

    results = []
    for with_latecomers in (True, False):
        folder = tmp_path / str(with_latecomers)
        folder.mkdir()
        svc = build(folder / "g.db")
        for session, (day, who) in SESSIONS.items():
            who = [p for p in who if with_latecomers or p not in LATE]
            svc.imports.load(ADMIN, [_sheet(folder, session, who)],
                             defaults=SessionDefaults("Peer support", day, None, session))
        results.append(svc.analyses.compute("brokers", network=network, as_of=AS_OF,
                                            window_months=None, partition="community"))
        svc.close()
    loaded, never = results
    assert loaded["nodes_in_network"] == never["nodes_in_network"] == 8
    assert same(by_id(loaded), by_id(never))
