"""Who may use the service, as use cases: signing in (with a limit on failed tries), users and
their roles, API tokens, and the audit log. Changes are audited; only admins manage users and
read the log, and everyone manages their own tokens."""

from __future__ import annotations

import time
from dataclasses import replace

from graphsvc.accounts import Accounts, User
from graphsvc.errors import Forbidden, InputError, NotFound
from graphsvc.service.audit import Auditor

ATTEMPTS, WINDOW_SECONDS = 5, 900.0
MAX_USERNAME = 100


class TooManyAttempts(Forbidden):
    """Sign-in paused after too many failures (the web answers 429 with Retry-After)."""

    def __init__(self, seconds: int):
        super().__init__(f"Too many failed attempts: try again in {seconds} seconds.")
        self.seconds = seconds


class Access:
    def __init__(self, accounts: Accounts, auditor: Auditor):
        self._accounts, self._audit = accounts, auditor

    @property
    def accounts(self) -> Accounts:
        """The accounts file itself (for tools and tests; the edges go through the methods)."""
        return self._accounts

    def close(self) -> None:
        self._accounts.close()

    # -- signing in -------------------------------------------------------------------
    def sign_in(self, username: str, password: str, address: str) -> tuple[User, str] | None:
        """The user and a new session's id, if the password is theirs; None otherwise.
        Refused with :class:`TooManyAttempts` after five failures from the address or for the
        username in fifteen minutes: each try is counted before its password is checked, so
        tries made at once cannot all slip through. Every try is audited."""
        shown = username if len(username) <= MAX_USERNAME else username[:MAX_USERNAME] + "..."
        who = User(shown or "(none)", "viewer")
        keys = (f"address:{address}", f"user:{username[:MAX_USERNAME].casefold()}")
        wait, reserved = self._accounts.reserve_try(keys, time.time(), ATTEMPTS,
                                                    WINDOW_SECONDS)
        if wait:
            self._audit.record(who, "login refused", address, reason="too many failures")
            raise TooManyAttempts(int(wait) + 1)
        user = self._accounts.check_password(username, password)
        if user is None:
            self._audit.record(who, "login failed", address)
            return None
        self._accounts.give_back(reserved)
        self._audit.record(user, "login", address)
        return user, self._accounts.open_session(user.username)

    def session_user(self, session_id: str) -> User | None:
        """Who a session cookie stands for, while the session lasts."""
        return self._accounts.session_user(session_id) if session_id else None

    def sign_out(self, actor: User, session_id: str = "") -> None:
        if session_id:
            self._accounts.end_session(session_id)
        self._audit.record(actor, "logout")

    def user_for_token(self, secret: str) -> User | None:
        """The user a script's token stands for (its anonymous tokens are the token's own)."""
        import hashlib

        user = self._accounts.user_for_token(secret)
        if user is None:
            return None
        return replace(user, via="token", session="token:" + hashlib.sha256(
            secret.encode()).hexdigest()[:16])

    def user(self, username: str) -> User:
        return self._accounts.user(username)

    # -- users --------------------------------------------------------------------------
    def users(self, actor: User) -> list[User]:
        actor.require("admin")
        return self._accounts.users()

    def add_user(self, actor: User, username: str, password: str, role: str, *,
                 communities=(), boroughs=()) -> User:
        actor.require("admin")
        made = self._accounts.add_user(username, password, role, communities=communities,
                                       boroughs=boroughs)
        self._audit.record(actor, "user added", made.username, role=role,
                           communities=sorted(communities), boroughs=sorted(boroughs))
        return made

    def remove_user(self, actor: User, username: str) -> None:
        actor.require("admin")
        if username == actor.username:
            raise InputError("you cannot remove yourself: ask another admin",
                             column="username", value=username)
        self._accounts.remove_user(username)
        self._audit.record(actor, "user removed", username)

    def reset_password(self, actor: User, username: str, password: str) -> None:
        actor.require("admin")
        self._accounts.reset_password(username, password)
        self._audit.record(actor, "password reset", username)

    # -- tokens -------------------------------------------------------------------------
    def tokens(self, actor: User, *, everyone: bool = False) -> list[dict]:
        """The actor's own tokens (or, for an admin asking, everyone's)."""
        if everyone:
            actor.require("admin")
            return self._accounts.tokens()
        return self._accounts.tokens(actor.username)

    def issue_token(self, actor: User, name: str, *, username: str | None = None
                    ) -> tuple[int, str]:
        """A token for the actor (or, by an admin, for ``username``): its id and secret."""
        owner = username or actor.username
        if owner != actor.username:
            actor.require("admin")
        name = (name or "").strip()[:100] or "script"
        token_id, secret = self._accounts.issue_token(owner, name)
        self._audit.record(actor, "token issued", str(token_id), user=owner, name=name)
        return token_id, secret

    def revoke_token(self, actor: User, token_id: int) -> None:
        """Revoke a token: one's own, or (an admin) anyone's."""
        mine = {t["id"] for t in self._accounts.tokens(actor.username)}
        if token_id not in mine:
            if not actor.at_least("admin"):
                raise NotFound(f"no token {token_id} of yours")
        self._accounts.revoke_token(token_id)
        self._audit.record(actor, "token revoked", str(token_id))

    # -- the audit log ------------------------------------------------------------------
    def audit_entries(self, actor: User, limit: int = 200, offset: int = 0) -> list[dict]:
        actor.require("admin")
        return self._accounts.audit_entries(limit, offset)

    def audit_problem(self, actor: User) -> str | None:
        """What is wrong with the audit log (an entry edited, entries cut off), or None."""
        actor.require("admin")
        return self._accounts.verify()
