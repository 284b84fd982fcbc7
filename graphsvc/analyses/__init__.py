"""Analyses: pure functions over tie networks, returning plain data.

Each takes a :class:`Network` first and keyword options after, and names the published
definition it implements.
"""

from graphsvc.analyses.betweenness import betweenness
from graphsvc.analyses.brokerage import brokers, role_counts, role_expectations, structural_holes
from graphsvc.analyses.network import Network

__all__ = ["Network", "betweenness", "brokers", "role_counts", "role_expectations",
           "structural_holes"]
