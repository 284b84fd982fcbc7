"""Results kept until the data changes, and never a result the data did not support.

A result is kept only if the store's revision was the same before and after it was worked
out: a write that lands meanwhile (an import, a consent change, an erasure) leaves nothing
behind that was computed from a mix of the old and the new, or from what an erasure removed.
Entries of older revisions are dropped as soon as a newer one is seen, and there are at most
``size`` entries (least recently used go first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, NamedTuple

from graphsvc.errors import StoreError

ATTEMPTS = 4


class RevisionCache:
    """``cached(key, compute)``: ``compute()``, kept under the store's revision.

    >>> revision = [1]
    >>> cache = RevisionCache(lambda: revision[0], size=2)
    >>> cache.cached("a", lambda: "first"), cache.cached("a", lambda: "again")
    ('first', 'first')
    >>> revision[0] = 2
    >>> cache.cached("a", lambda: "after the write")
    'after the write'
    """

    def __init__(self, revision: Callable[[], int], size: int = 512):
        self._revision = revision
        self._size = size
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._newest = -1
        self._lock = threading.Lock()

    def get(self, key: Hashable, revision: int):
        with self._lock:
            entry = (revision, key)
            if entry in self._entries:
                self._entries.move_to_end(entry)
                return True, self._entries[entry]
            return False, None

    def _keep(self, key: Hashable, revision: int, value) -> None:
        with self._lock:
            if revision > self._newest:  # the data moved on: nothing older is wanted again
                self._newest = revision
                for old in [e for e in self._entries if e[0] < revision]:
                    del self._entries[old]
            if revision < self._newest:
                return
            self._entries[(revision, key)] = value
            self._entries.move_to_end((revision, key))
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def has(self, key: Hashable) -> bool:
        return self.get(key, self._revision())[0]

    def cached(self, key: Hashable, compute: Callable[[], object]):
        """The value for ``key`` at the store's current revision, computed at most once per
        revision (a result whose revision changed while it was computed is computed again)."""
        revision = self._revision()
        for _ in range(ATTEMPTS):
            found, value = self.get(key, revision)
            if found:
                return value
            value = compute()
            after = self._revision()
            if after == revision:
                self._keep(key, revision, value)
                return value
            revision = after
        raise StoreError("the data kept changing while this was worked out (imports under "
                         "way); try again in a moment")

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class Work(NamedTuple):
    """What a use case must work out before it can answer at once: the key its result is kept
    under, whether it is kept already (``done``), and ``compute``, which works it out and
    keeps it (a page can run that in the background and say so meanwhile)."""

    key: Hashable
    done: bool
    compute: Callable[[], object]
