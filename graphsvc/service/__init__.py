"""The whole service as one object you can configure in Python; the CLI and the app wrap it.

Every use case is a method of one of its parts, and takes the acting user first (an admin at
the command line, a signed-in user on the web, a script's token):

- ``imports``: preview, load, confirm a preview, undo, the list of imports;
- ``records``: merges, the review list of uncertain matches, consent by hand, erasure;
- ``analyses``: every registered analysis (:data:`graphsvc.service.analyses.ANALYSES`);
- ``views``: profiles, the network explorer, exports, people search, counts and choices;
- ``access``: signing in, users, API tokens and the audit log (with an accounts file).

Each part checks the user's role, answers as the user may see it, and records what it did
through the auditor it was given. :func:`graphsvc.bootstrap.build` makes one from settings.

>>> import tempfile, os
>>> from graphsvc.accounts import User
>>> service = Graphsvc(os.path.join(tempfile.mkdtemp(), "demo.db"))
>>> service.views.stats(User("ann", "viewer"))["counts"]["places"]
11
"""

from __future__ import annotations

import secrets
from pathlib import Path

from graphsvc.config import SMALL_CELL
from graphsvc.service.access import Access
from graphsvc.service.analyses import Analyses
from graphsvc.service.audience import Audiences
from graphsvc.service.audit import Auditor, LogAuditor, MemoryAuditor
from graphsvc.service.data import Data
from graphsvc.service.imports import Imports
from graphsvc.service.records import Records
from graphsvc.service.views import Views
from graphsvc.store import Store, open_store
from graphsvc.ties import ProjectionRule
from loaders.reference import read_reference


class Graphsvc:
    """A partnership's relationship map: its store, the rules of projection, and the use cases."""

    def __init__(self, database: str | Path | Store | None = None, *,
                 rule: ProjectionRule | None = None, archive: str | Path | None = None,
                 max_upload_bytes: int | None = None, accounts=None,
                 auditor: Auditor | None = None, anonymise_key: bytes | None = None,
                 cache_size: int = 512, small_cell: int = SMALL_CELL,
                 cache_dir: str | Path | bool | None = None):
        store = database if hasattr(database, "apply") else open_store(database)
        self.store: Store = store  # for scripts and tests: the CLI and the app never touch it
        local = getattr(store, "path", None)
        self.archive = Path(archive) if archive else (
            Path(f"{local}.archive") if local is not None else Path("graphsvc-archive"))
        self.data = Data(store, rule or ProjectionRule(), cache_size=cache_size,
                         cache_dir=_cache_dir(cache_dir, local), small_cell=small_cell)
        self.auditor = auditor or (LogAuditor(accounts) if accounts is not None
                                   else MemoryAuditor())
        self.audiences = Audiences(self.data, anonymise_key or secrets.token_bytes(32),
                                   self.auditor, small_cell)
        self.imports = Imports(self.data, self.auditor, self.archive, max_upload_bytes)
        self.records = Records(self.data, self.auditor, self.imports.staging)
        self.analyses = Analyses(self.data, self.audiences)
        self.views = Views(self.data, self.analyses, self.audiences, self.auditor)
        self.access = Access(accounts, self.auditor) if accounts is not None else None
        if not store.places():
            store.apply(read_reference())

    @property
    def rule(self) -> ProjectionRule:
        return self.data.rule

    def close(self) -> None:
        self.store.close()
        if self.access is not None:
            self.access.close()


def _cache_dir(setting: str | Path | bool | None, local: Path | None) -> Path | None:
    """The disk cache's folder: the setting, else beside a SQLite database (DATABASE.cache);
    none with Neo4j unless set, or when set to False."""
    if setting is False:
        return None
    if setting not in (None, True, ""):
        return Path(setting)
    return Path(f"{local}.cache") if local is not None else None


__all__ = ["Graphsvc"]
