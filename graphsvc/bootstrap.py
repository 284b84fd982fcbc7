"""The composition root: the one place that turns settings into a working service (store,
accounts and audit log, archive, the rules of projection, the key for anonymous tokens). The
CLI, ``graphsvc serve``, the WSGI entry point and tests all build the service here.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from graphsvc.accounts import Accounts
from graphsvc.config import Settings
from graphsvc.service import Graphsvc


def anonymise_key(settings: Settings) -> bytes:
    """The key of the anonymous tokens viewers see in place of people's ids: from the secret
    key when there is one, else new for each start."""
    if not settings.secret_key:
        return secrets.token_bytes(32)
    return hmac.new(settings.secret_key.encode(), b"anonymous people", hashlib.sha256).digest()


def build(settings: Settings | None = None, **overrides) -> Graphsvc:
    """A service from settings (defaults, then ``GRAPHSVC_*`` variables, then ``overrides``)."""
    settings = settings or Settings.load(**overrides)
    store = settings.open_store()
    accounts = Accounts(settings.accounts_path(store))
    return Graphsvc(store, rule=settings.rule(), archive=settings.archive,
                    max_upload_bytes=settings.max_upload_bytes, accounts=accounts,
                    anonymise_key=anonymise_key(settings))
