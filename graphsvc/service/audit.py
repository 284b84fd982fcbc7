"""Who did what: every use case that changes data, or shows personal data to someone who may
see names, records it through an auditor given to the service (its composition root chooses
one: the accounts' append-only audit log, or a list in memory)."""

from __future__ import annotations

from typing import Protocol

from graphsvc.accounts import User


class Auditor(Protocol):
    def record(self, actor: User, action: str, target: str = "", **detail) -> None: ...


class LogAuditor:
    """Records into the accounts' audit log (hash-chained, append-only)."""

    def __init__(self, accounts):
        self.accounts = accounts

    def record(self, actor: User, action: str, target: str = "", **detail) -> None:
        if actor.via:
            detail.setdefault("via", actor.via)
        self.accounts.audit(actor.username, action, target, **detail)


class MemoryAuditor:
    """Keeps the record in a list: for scripts without an accounts file, and for tests.

    >>> auditor = MemoryAuditor()
    >>> auditor.record(User("ann", "admin"), "undo", "abc", attendance=3)
    >>> auditor.entries
    [('ann', 'undo', 'abc', {'attendance': 3})]
    """

    def __init__(self):
        self.entries: list[tuple] = []

    def record(self, actor: User, action: str, target: str = "", **detail) -> None:
        self.entries.append((actor.username, action, target, detail))
