"""Results kept on disk between starts, so a restart on unchanged data answers at once.

An entry is found only under exactly what it was computed from: the data's identity (the
store's revision, its schema version and its imports, so another database that happens to
share a revision number does not match), the projection rule, the code that computed it (a
fingerprint of the package's source) and the question (the cache key). Anything else is a
miss. Each entry is written to a temporary file and renamed into place, and carries a SHA-256
of its content: a partial or corrupt file is a miss (and is removed), never an answer.

Only results computed wholly at one revision are written (the caller checks the revision
after computing, as :class:`graphsvc.service.cache.RevisionCache` does), and only results that
are the same for every user: what a role may see is applied after the cache.
Folders of older revisions are removed when a newer one is written, so the cache holds about
one revision's results.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, Hashable

FORMAT = b"graphsvc-cache 1\n"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the package's source: results computed by other code are not reused."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(FORMAT)
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class DiskCache:
    """``fetch(identity, key, compute, still_current)``: the result kept on disk for this data
    and question, else ``compute()``, written if ``still_current()`` says the data did not
    change meanwhile."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def _path(self, identity: tuple[int, str], key: Hashable) -> Path:
        revision, fingerprint = identity
        name = hashlib.sha256(f"{fingerprint}\0{key!r}".encode()).hexdigest()
        return self.folder / f"{revision:012d}-{fingerprint[:16]}" / f"{name}.pickle"

    def has(self, identity: tuple[int, str], key: Hashable) -> bool:
        return self._path(identity, key).is_file()

    def get(self, identity: tuple[int, str], key: Hashable) -> tuple[bool, object]:
        path = self._path(identity, key)
        try:
            blob = path.read_bytes()
        except OSError:
            return False, None
        start = len(FORMAT) + 32  # the format line, then the SHA-256 of what follows
        head, digest, payload = blob[:len(FORMAT)], blob[len(FORMAT):start], blob[start:]
        if head != FORMAT or hashlib.sha256(payload).digest() != digest:
            path.unlink(missing_ok=True)
            return False, None
        try:
            # written only by this service, into its own folder (as trusted as the database)
            return True, pickle.loads(payload)  # noqa: S301
        except Exception:  # noqa: BLE001 - an unreadable entry is a miss, like a missing one
            path.unlink(missing_ok=True)
            return False, None

    def put(self, identity: tuple[int, str], key: Hashable, value) -> None:
        path = self._path(identity, key)
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".partial")
            with os.fdopen(handle, "wb") as out:
                out.write(FORMAT + hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, path)
        except OSError:
            return  # a cache that cannot be written is only slower
        self._drop_older(identity[0])

    def _drop_older(self, revision: int) -> None:
        if not self.folder.is_dir():
            return
        for folder in self.folder.iterdir():
            number = folder.name.partition("-")[0]
            if folder.is_dir() and number.isdigit() and int(number) < revision:
                shutil.rmtree(folder, ignore_errors=True)

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def fetch(self, identity: tuple[int, str], key: Hashable, compute: Callable[[], object],
              still_current: Callable[[], bool]):
        found, value = self.get(identity, key)
        if found:
            return value
        value = compute()
        if still_current():
            self.put(identity, key, value)
        return value
