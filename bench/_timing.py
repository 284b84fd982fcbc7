"""Shared by the benchmarks (imported as a sibling when a bench is run as a script)."""

from __future__ import annotations

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
