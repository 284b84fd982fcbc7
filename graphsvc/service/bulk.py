"""Work that allocates millions of small objects and makes no cycles of them (parsing a
file, reading a store's facts, building node attributes): the cyclic garbage collector
paused meanwhile, as its collections would walk every object made so far and find nothing
to free."""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_paused = [0, False]  # how many are under way, and whether the collector was on before


@contextmanager
def bulk_allocation():
    """Pause the cyclic garbage collector; it is back on (if it was on before the first)
    once every pause under way, in any thread, has ended."""
    with _lock:
        if _paused[0] == 0:
            _paused[1] = gc.isenabled()
            gc.disable()
        _paused[0] += 1
    try:
        yield
    finally:
        with _lock:
            _paused[0] -= 1
            if _paused[0] == 0 and _paused[1]:
                gc.enable()
