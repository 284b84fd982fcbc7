"""Shared by the benchmarks (imported as a sibling when a bench is run as a script)."""

from __future__ import annotations

import os
import resource
import time


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
