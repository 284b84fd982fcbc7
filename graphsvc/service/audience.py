"""Who may see whom by name.

A person appears by name only to an audience allowed to name them: never when their consent
is ``aggregate`` (or ``withdrawn``); to an admin otherwise; to a facilitator when they took part
in a session of one of the facilitator's communities or boroughs; never to a viewer. Everyone
else appears as an anonymous node: no name, no email, and in place of their id (which is a
digest of their email, so guessable) a keyed token ``anon:...`` that cannot be turned back.

Analyses are computed once and cached for everyone; :meth:`Audiences.show` presents each result
on its way out (:mod:`graphsvc.service.present`), so a cache never holds one user's view for
another.
"""

from __future__ import annotations

import functools
import hashlib
import re
import hmac

import numpy as np

from graphsvc.accounts import User

from graphsvc.config import SMALL_CELL
from graphsvc.service.present import ANONYMOUS, PERSON, present


class Audience:
    """Who one user may name, and the tokens that stand for everyone else. ``nameable`` (the
    people they may name; None: anyone, for tools) may be given as a function, called the
    first time it is needed: most requests never touch a person."""

    def __init__(self, user: User, nameable, key: bytes, sessions=None):
        self.user, self.key = user, key
        self._nameable, self._sessions = nameable, sessions

    @functools.cached_property
    def nameable(self) -> frozenset[str] | None:
        return self._nameable() if callable(self._nameable) else self._nameable

    @functools.cached_property
    def sessions(self) -> frozenset[str] | None:
        """The sessions this audience may see listed behind a tie (None: all)."""
        return self._sessions() if callable(self._sessions) else self._sessions

    def may_see_session(self, session_id: str) -> bool:
        return self.sessions is None or session_id in self.sessions

    def may_name(self, person_id: str) -> bool:
        """May this audience see ``person_id`` by name (ids compared without regard to case,
        as a person could be chosen by ``PERSON:...`` as well as ``person:...``)?"""
        return self.nameable is None or person_id.casefold() in self.nameable

    def anonymous(self, person_id: str) -> str:
        """A token for a person this audience may not name: the same within one user's
        session, unlinkable across users, sessions and restarts."""
        digest = hmac.new(self.key, person_id.casefold().encode(), hashlib.sha256).hexdigest()
        return ANONYMOUS + digest[:12]


def nameable_people(data, user: User) -> frozenset[str] | None:
    """The people ``user`` may see by name: for an admin, everyone who consented; for a
    facilitator, those of them who took part in their scope, except people taking part as
    patients or carers (named beside any grouping by sector, they would be known as such)."""
    consenting = data.cached(("privacy", "named"), lambda: frozenset(
        p.id for p in data.read("people") if p.consent == "named"))
    if user.role == "admin":
        return consenting
    if user.role != "facilitator" or not (user.communities or user.boroughs):
        return frozenset()
    professional = data.cached(("privacy", "professional"), lambda: frozenset(
        p.id for p in data.read("people") if p.lived_experience == "none"))
    key = ("privacy", "scope", tuple(sorted(user.communities)), tuple(sorted(user.boroughs)))
    return data.cached(key, lambda: _in_scope(data, user)[0] & consenting & professional)


def named_in_import(user: User, people, held: dict) -> tuple[list, int]:
    """Whom an import's preview may show ``user`` by name (the people of the import, as
    ``model.Person``), and how many more it counts without naming. Only an admin sees names
    there, and only of people who consented by every account: the file's word and what is
    held already (``held``: id -> the stored person); a person nobody said anything of takes
    the default (:func:`graphsvc.rules.default_consent`). People without a name are counted."""
    from graphsvc.rules import default_consent

    named = []
    for person in people:
        said = {person.consent} - {None}
        if person.id in held:
            said.add(held[person.id].consent)
        said = said or {default_consent(person.lived_experience)}
        if user.role == "admin" and said == {"named"} and (person.name or "").strip():
            named.append(person)
    return named, len(people) - len(named)


def visible_sessions(data, user: User) -> frozenset[str] | None:
    """The sessions ``user`` may see listed behind a tie: all for an admin, those of their
    scope for a facilitator, none for a viewer."""
    if user.role == "admin":
        return None
    if user.role != "facilitator" or not (user.communities or user.boroughs):
        return frozenset()
    key = ("privacy", "scope", tuple(sorted(user.communities)), tuple(sorted(user.boroughs)))
    return data.cached(key + ("sessions",), lambda: _in_scope(data, user)[1])


def _in_scope(data, user: User) -> tuple[frozenset[str], frozenset[str]]:
    """People who took part in a session of the user's communities or held in their boroughs
    (matched by name or id, ignoring case), and those sessions."""
    facts = data.facts()
    communities = {c.casefold() for c in user.communities}
    communities |= {c.name.casefold() for c in data.read("communities")
                    if c.id.casefold() in communities}
    boroughs = {b.casefold() for b in user.boroughs}
    boroughs |= {p.name.casefold() for p in data.read("places")
                 if p.code.casefold() in boroughs or p.id.casefold() in boroughs}
    in_scope = np.array([c.casefold() in communities or b.casefold() in boroughs
                         for c, b in zip(facts.session_community, facts.session_borough)],
                        dtype=bool)
    if not in_scope.any():
        return frozenset(), frozenset()
    rows = in_scope[facts.attendance_session]
    sessions = frozenset(s for s, inside in zip(facts.session_ids, in_scope) if inside)
    return frozenset(facts.attendance_person[rows].tolist()), sessions


def name_scope(user: User) -> tuple:
    """Users with the same name scope may name the same people."""
    if user.role == "admin":
        return ("admin",)
    return (user.role, tuple(sorted(user.communities)), tuple(sorted(user.boroughs)))


def scope_key(audience: Audience) -> tuple:
    """Audiences with the same key see the same result (tokens differ per user session)."""
    user = audience.user
    if user.role == "admin":
        return ("admin",)
    return (user.role, tuple(sorted(user.communities)), tuple(sorted(user.boroughs)),
            audience.key)


class Audiences:
    """What each user may see, applied to results on their way out of the service, and the
    record of every look at people."""

    def __init__(self, data, key: bytes, auditor=None, small_cell: int = SMALL_CELL):
        self._data, self._key, self._audit = data, key, auditor
        self.small_cell = small_cell

    def of(self, user: User) -> Audience:
        """The audience of one user in one session (``user.session``)."""
        key = hmac.new(self._key, f"{user.username}\n{user.session}".encode(),
                       hashlib.sha256).digest()
        return Audience(user, lambda: nameable_people(self._data, user), key,
                        lambda: visible_sessions(self._data, user))

    def totals(self, user: User, value: dict) -> dict:
        """The database's counts as ``user`` may see them: a total of a few people is a
        count of people like any other (a database of three people would otherwise say
        how many its one community's withheld members are)."""
        return present(value, self.of(user), self.small_cell).value

    def show(self, user: User, key: tuple, value, what: str):
        """``value`` as ``user`` may see it (worked out once per audience and revision); a
        result that shows people, named or not, is recorded in the audit log."""
        audience = self.of(user)
        shown = self._data.cached(("shown", key, scope_key(audience)),
                                  lambda: present(value, audience, self.small_cell))
        if (shown.named or shown.anonymous) and self._audit is not None:
            self._audit.record(user, "view", what, people=sorted(shown.named),
                               unnamed=len(shown.anonymous))
        return shown.value


def one_value_each(user: User, option: str, text: str) -> None:
    """Only admins may choose a group by several values (``Housing|Charity``): the sizes of
    overlapping groups, compared, would give away a count too small to show."""
    if user.role != "admin" and "|" in text:
        from graphsvc.errors import InputError

        raise InputError("choose one value per field (several values, a|b, are for admins)",
                         column=option, value=text[:200])


GROUPED_WHEN = ("People you may not name are shown grouped by sector when chosen by borough, "
                "sector or community")
GROUPED_PEOPLE = (GROUPED_WHEN + ": listed one by one, two such choices laid over each other "
                  "could single someone out. Without a choice, people are shown one by one "
                  "when there are no more than a page draws.")


def grouped_people(user: User, network: str, filters: dict) -> str | None:
    """Why the explorer shows this question's people grouped, or None. For everyone but
    admins, people chosen by borough, sector or community are grouped by sector (the groups'
    sizes are counts, withheld when small): listed one by one, even by token, everyone in
    Bolton laid over everyone in peer-support groups would leave the one person in both."""
    chosen = any(filters.get(key) for key in ("borough", "sector", "community"))
    if user.role == "admin" or network != "people" or not chosen or filters.get("ego"):
        return None
    return GROUPED_PEOPLE


def too_many_people(message: str | None) -> str | None:
    """The explorer's word on a grouped view of people, for everyone but admins: choosing a
    group would group them too (:func:`grouped_people`), so it is not offered as a way to
    see people one by one."""
    if message == GROUPED_PEOPLE:
        return message
    return ("More people match than a page draws one by one, so they are shown grouped by "
            "sector (ties between sectors summed). " + GROUPED_WHEN + ".")


def person_ids_in(text: str) -> list[str]:
    """The person ids a request argument names (``person:...``, alone or in a selector).

    >>> person_ids_in("id=person:ab12,sector=Housing")
    ['person:ab12']
    """
    return PERSON_ID.findall(text)


PERSON_ID = re.compile(r"person:[A-Za-z0-9_-]+", re.IGNORECASE)
