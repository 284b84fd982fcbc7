"""The composition root: the one place that turns settings into a working service (store,
accounts and audit log, archive, the rules of projection, the key for anonymous tokens). The
CLI, ``graphsvc serve``, the WSGI entry point and tests all build the service here.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from graphsvc.accounts import Accounts
from graphsvc.audit_log import key_for
from graphsvc.config import Settings
from graphsvc.service import Graphsvc


def build(settings: Settings | None = None, **overrides) -> Graphsvc:
    """A service from settings (defaults, then ``GRAPHSVC_*`` variables, then ``overrides``)."""
    settings = settings or Settings.load(**overrides)
    store = settings.open_store()
    path = settings.accounts_path(store)
    accounts = Accounts(path, audit_key=key_for(Path(settings.audit_key_file or f"{path}.key")))
    return Graphsvc(store, rule=settings.rule(), archive=settings.archive,
                    cache_dir=settings.cache,
                    max_upload_bytes=settings.max_upload_bytes, accounts=accounts,
                    # the tokens standing for people a user may not name are new for every
                    # start (and, within one, for every user and session): unlinkable
                    anonymise_key=secrets.token_bytes(32), small_cell=settings.small_cell)
