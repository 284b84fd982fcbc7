"""Shared by the benchmarks (imported as a sibling when a bench is run as a script)."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path


def timed(action):
    """``action()``'s result and the seconds it took."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def peak_mib() -> float:
    """This process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) process ``pid`` has used so far: on a shared machine, what
    a step cost, where its wall time also counts the other processes' turns."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# a JVM's threads by what they do, from the names Java and Neo4j give them
_JVM_KINDS = (("queries", ("neo4j.Bolt",)), ("JIT compiler", ("C1 Compiler", "C2 Compiler")),
              ("GC", ("GC Thread", "G1 ")))


def jvm_cpu_seconds(pid: int) -> dict[str, float]:
    """CPU time process ``pid`` (a JVM) has used so far, by its threads' kinds: the Bolt
    workers running queries, the JIT compiler, the garbage collector, and the rest (threads
    gone included)."""
    kinds = dict.fromkeys([kind for kind, _ in _JVM_KINDS], 0.0)
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the thread ended meanwhile
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        kind = next((k for k, prefixes in _JVM_KINDS if name.startswith(prefixes)), None)
        if kind:
            kinds[kind] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    kinds["other"] = cpu_seconds(pid) - sum(kinds.values())
    return kinds


def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {kind: after[kind] - before[kind] for kind in after}
