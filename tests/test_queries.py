"""Cypher and SQL take values only as parameters. Every query built with an f-string may
interpolate only the reviewed names below, each bound to a fixed list in the code (table and
column names, Neo4j labels, integers), never to user text. A new interpolation fails here
until someone checks where its value comes from and adds it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERY_CALLS = {"execute", "executemany", "executescript", "run"}
REVIEWED = {
    "pragma",            # spool.py: a fixed tuple of PRAGMA statements
    "table",             # a fixed tuple of table names (history, undo)
    "folded_visits('visits')",  # spool.py: the fold of its own table, from the rules
    "column", "partner",  # "source_id" / "target_id" (undo), and the choices between them;
                          # spool.named: one of a visit's three id columns, checked first
    "'?' if column == 'source_id' else 'source_id'",
    "'?' if column == 'target_id' else 'target_id'",
    "part",              # COUNTED, the fixed list of parts (counts)
    "number + 1",        # the schema version
    "int(before)",       # secure_delete's previous value, read from SQLite
    "FORGOTTEN",         # a constant subquery
    "label.lower()", "key", "label",  # Neo4j labels and keys from _UNIQUE
    # the rules (graphsvc.rules.FACTS): parts, their key and field names, never input
    "fact.part", "', '.join(fact.columns)", "', '.join(fact.key)",
    # graphsvc.store.neo4j_claims: labels, relationship types and properties from its tables
    "claims.NODES[part]", "NODES[target]", "kind", "other", "prop",
    "where",    # fixed WHERE clauses written in the store modules (keys of the rules, "1",
                # "c.import_id = ?", an end of a relationship: a or b)
    "value", "each", "missing",  # sqlite_changes._dangling: built from REFERENCES only
}


def interpolations() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted([*(ROOT / "graphsvc").rglob("*.py"), *(ROOT / "loaders").rglob("*.py")]):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in QUERY_CALLS and node.args
                    and isinstance(node.args[0], ast.JoinedStr)):
                for part in node.args[0].values:
                    if isinstance(part, ast.FormattedValue):
                        found.append((str(path.relative_to(ROOT)), node.lineno,
                                      ast.unparse(part.value)))
    return found


def test_queries_interpolate_only_reviewed_names():
    found = interpolations()
    assert found, "the scan found no f-string queries at all: is it still looking?"
    unreviewed = [f for f in found if f[2] not in REVIEWED]
    assert unreviewed == []
