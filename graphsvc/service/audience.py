"""Who may see whom by name, and the redaction of what the analyses return.

A person appears by name only to an audience allowed to name them: never when their consent
is ``aggregate`` (or ``withdrawn``); to an admin otherwise; to a facilitator when they took part
in a session of one of the facilitator's communities or boroughs; never to a viewer. Everyone
else appears as an anonymous node: no name, no email, and in place of their id (which is a
digest of their email, so guessable) a keyed token ``anon:...`` that cannot be turned back.

Analyses are computed once and cached for everyone; :meth:`Audience.redact` is applied to each
result on its way out, so a cache never holds one user's view for another.
"""

from __future__ import annotations

import functools
import hashlib
import re
import hmac

import numpy as np

from graphsvc.accounts import User

PERSON = "person:"
ANONYMOUS = "anon:"
NAME_KEYS = ("name", "label", "title", "email")
PERSONAL_KEYS = ("email", "lived_experience", "expertise")
UNNAMED = "(not named)"


class Audience:
    """What one user may see. ``nameable`` (the people they may name; None: anyone, for tools)
    may be given as a function, called the first time it is needed: most requests never
    touch a person."""

    def __init__(self, user: User, nameable, key: bytes):
        self.user, self.key = user, key
        self._nameable = nameable

    @functools.cached_property
    def nameable(self) -> frozenset[str] | None:
        return self._nameable() if callable(self._nameable) else self._nameable

    def may_name(self, person_id: str) -> bool:
        return self.nameable is None or person_id in self.nameable

    def anonymous(self, person_id: str) -> str:
        digest = hmac.new(self.key, person_id.encode(), hashlib.sha256).hexdigest()
        return ANONYMOUS + digest[:12]

    def hidden(self, value) -> bool:
        return isinstance(value, str) and value.startswith(PERSON) and not self.may_name(value)

    def redact(self, value):
        """``value`` (JSON-like) with every person this audience may not name made anonymous.

        >>> audience = Audience(User("v", "viewer"), frozenset({"person:b"}), b"k")
        >>> out = audience.redact({"nodes": ["person:a", "person:b"], "names": ["Ann", "Bo"],
        ...                        "hops": [{"from": "person:a", "from_name": "Ann"}]})
        >>> out["names"], out["hops"][0]["from_name"], out["nodes"][1]
        (['', 'Bo'], '', 'person:b')
        >>> out["nodes"][0].startswith("anon:")
        True
        """
        if isinstance(value, dict):
            return self._redact_dict(value)
        if isinstance(value, (list, tuple)):
            return [self.redact(v) for v in value]
        if self.hidden(value):
            return self.anonymous(value)
        return value

    def _redact_dict(self, value: dict) -> dict:
        out = {k: self.redact(v) for k, v in value.items()}
        if self.hidden(value.get("id")) or self.hidden(value.get("person_id")):
            for key in NAME_KEYS:
                if key in out:
                    out[key] = UNNAMED if key == "label" else ""
        for end in ("from", "to", "source", "target"):
            if self.hidden(value.get(end)) and f"{end}_name" in out:
                out[f"{end}_name"] = ""
        if "nodes" in value and "names" in value and isinstance(value["names"], list):
            out["names"] = ["" if self.hidden(node) else name
                            for node, name in zip(value["nodes"], value["names"])]
        if self.user.role != "admin":
            for key in PERSONAL_KEYS:
                if key in out and _is_person(value):
                    del out[key]
        return out


def _is_person(value: dict) -> bool:
    return any(isinstance(value.get(k), str) and value[k].startswith((PERSON, ANONYMOUS))
               for k in ("id", "person_id"))


def nameable_people(data, user: User) -> frozenset[str] | None:
    """The people ``user`` may see by name: for an admin, everyone who consented."""
    consenting = data.cached(("privacy", "named"), lambda: frozenset(
        p.id for p in data.read("people") if p.consent == "named"))
    if user.role == "admin":
        return consenting
    if user.role != "facilitator" or not (user.communities or user.boroughs):
        return frozenset()
    key = ("privacy", "scope", tuple(sorted(user.communities)), tuple(sorted(user.boroughs)))
    return data.cached(key, lambda: _in_scope(data, user) & consenting)


def _in_scope(data, user: User) -> frozenset[str]:
    """People who took part in a session of the user's communities or held in their boroughs
    (matched by name or id, ignoring case)."""
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
        return frozenset()
    rows = in_scope[facts.attendance_session]
    return frozenset(facts.attendance_person[rows].tolist())


def scope_key(audience: Audience) -> tuple:
    """Audiences with the same key see the same redaction."""
    user = audience.user
    if user.role == "admin":
        return ("admin",)
    if user.role == "viewer":
        return ("viewer",)
    return ("facilitator", tuple(sorted(user.communities)), tuple(sorted(user.boroughs)))


class Audiences:
    """What each user may see, applied to results on their way out of the service."""

    def __init__(self, data, key: bytes):
        self._data, self._key = data, key

    def of(self, user: User) -> Audience:
        return Audience(user, lambda: nameable_people(self._data, user), self._key)

    def redacted(self, user: User, key: tuple, value):
        """``value`` as ``user`` may see it, kept with the result it came from: admins see
        it as it is (names already follow consent), others through :meth:`Audience.redact`."""
        if user.role == "admin":
            return value
        audience = self.of(user)
        return self._data.cached(("redacted", key, scope_key(audience)),
                                 lambda: audience.redact(value))


def person_ids_in(text: str) -> list[str]:
    """The person ids a request argument names (``person:...``, alone or in a selector).

    >>> person_ids_in("id=person:ab12,sector=Housing")
    ['person:ab12']
    """
    return PERSON_ID.findall(text)


PERSON_ID = re.compile(r"person:[A-Za-z0-9_-]+")
