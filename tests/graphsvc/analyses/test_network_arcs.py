"""The active network's adjacency, checked against scipy's own symmetric matrix of the ties."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.analyses.network import Network
from graphsvc.ties import AttendanceTable, project
from graphsvc.ties_kernels import symmetric_arcs
from tests.graphsvc.test_ties import NO_LIMITS, random_attendance


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), network=st.sampled_from(["people", "organisations"]))
def test_the_adjacency_is_the_symmetric_matrix_of_the_ties_in_csr_order(seed, network):
    sessions, rows = random_attendance(seed, sessions=20, people=40)
    ties = project(AttendanceTable.from_records(sessions, rows), network, rule=NO_LIMITS)
    net = Network.from_ties(ties, {}, window_months=None)
    n = len(ties.node_ids)
    upper = sp.csr_matrix((ties.weight, (ties.source, ties.target)), shape=(n, n))
    expected = (upper + upper.T).tocsr()
    expected.sort_indices()
    assert np.array_equal(net.adjacency.indptr, expected.indptr)
    assert np.array_equal(net.adjacency.indices, expected.indices)  # each row in order
    assert np.array_equal(net.adjacency.data, expected.data)
    for arc in range(net.adjacency.nnz):  # each arc names its own tie
        u = np.searchsorted(net.adjacency.indptr, arc, side="right") - 1
        v, edge = net.adjacency.indices[arc], net.edge_of_arc[arc]
        assert sorted((u, v)) == [ties.source[edge], ties.target[edge]]


@pytest.mark.parametrize("source, target", [
    ([0, 0], [2, 1]), ([1, 0], [2, 2]), ([0, 0], [1, 1]), ([1], [0]),
    ([0, 0, 0, 1], [2, 1, 3, 2]),  # in the first half of the ties (each half is a core's)
    ([0, 0, 1, 1], [1, 2, 3, 2]),  # in the second
    ([0, 1, 0, 1], [1, 2, 3, 3]),  # where they meet
])
def test_ties_out_of_order_are_refused(source, target):
    with pytest.raises(ValueError, match="order"):
        symmetric_arcs(np.array(source, dtype=np.int32), np.array(target, dtype=np.int32),
                       np.ones(len(source)), np.ones(len(source), dtype=bool), np.arange(4), 4)


def test_a_tie_to_a_node_not_yet_seen_is_refused():
    sessions, rows = random_attendance(3, sessions=20, people=40)
    ties = project(AttendanceTable.from_records(sessions, rows), rule=NO_LIMITS)
    ties.node_first_seen = ties.node_first_seen.copy()
    ties.node_first_seen[ties.target[0]] = np.datetime64(ties.as_of) + 1  # later than any tie
    with pytest.raises(AssertionError, match="not yet seen"):
        Network.from_ties(ties, {}, window_months=None)


@pytest.mark.parametrize("attributes, nodes", [
    ({"a": {"x": 1, "y": "p"}, "b": {"x": 2, "y": "q"}}, ["b", "a"]),
    ({"a": {"x": 1, "y": "p"}, "b": {"x": 2}}, ["a", "b", "c"]),
    ({"a": {"x": 1, "y": "p"}}, []),
    ({"a": {"x": 1}}, ["a", "b"]),
])
def test_attributes_come_in_node_order_with_none_for_what_a_node_lacks(attributes, nodes):
    from graphsvc.analyses.network import _in_order

    names = sorted({k for a in attributes.values() for k in a})
    assert _in_order(attributes, nodes) == {
        k: [attributes.get(n, {}).get(k) for n in nodes] for k in names}
