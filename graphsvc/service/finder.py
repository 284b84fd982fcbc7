"""Finding a person by id or by part of their name, among the people who agreed to be named.

Pages that ask for a person (introductions) take what the user typed and resolve it here
rather than listing every person in a drop-down: at Greater Manchester scale that list is
tens of thousands of names and megabytes of page.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from graphsvc.model import fold


@dataclass(frozen=True)
class Match:
    id: str
    name: str


class PeopleFinder:
    """Named people, sorted by folded name, for prefix and word searches."""

    def __init__(self, people):
        named = sorted((fold(p.name), p.name, p.id) for p in people
                       if p.consent == "named" and p.name)
        self._folded = [row[0] for row in named]
        self._rows = named
        self._by_id = {row[2]: row for row in named}
        words = sorted((word, i) for i, row in enumerate(named) for word in row[0].split()[1:])
        self._words = [w for w, _ in words]
        self._word_rows = [i for _, i in words]

    def get(self, person_id: str) -> Match | None:
        row = self._by_id.get(person_id)
        return Match(row[2], row[1]) if row else None

    def search(self, text: str, limit: int = 20) -> list[Match]:
        """The person whose id is ``text``; else people whose name starts with ``text`` (so an
        exact name comes first), in name order, then people with a later word of their name
        starting with it, in word order. Case and accents are ignored.

        >>> from graphsvc.model import Person
        >>> finder = PeopleFinder([Person("p1", "Ann Lee"), Person("p2", "Lee Ann"),
        ...                        Person("p3", "Annie Hall", consent="aggregate")])
        >>> [m.id for m in finder.search("ann")]
        ['p1', 'p2']
        >>> [m.id for m in finder.search("p2")]
        ['p2']
        """
        if text.strip() in self._by_id:
            return [self.get(text.strip())]
        query = fold(text)
        if not query:
            return []
        found: dict[int, None] = {}
        self._prefixed(self._folded, range(len(self._rows)), query, limit, found)
        self._prefixed(self._words, self._word_rows, query, limit, found)
        return [Match(self._rows[i][2], self._rows[i][1]) for i in found]

    @staticmethod
    def _prefixed(keys: list[str], rows, query: str, limit: int, found: dict) -> None:
        """Add to ``found`` (in order, without repeats, up to ``limit``) the rows whose key
        starts with ``query``."""
        for position in range(bisect.bisect_left(keys, query), len(keys)):
            if len(found) >= limit or not keys[position].startswith(query):
                return
            found.setdefault(rows[position])


def finder(data, audience=None) -> PeopleFinder:
    """The finder over the people ``audience`` may name (every consenting person when None),
    built once per revision and scope."""
    if audience is None or audience.user.role == "admin":
        return data.cached(("people_finder",), lambda: PeopleFinder(data.read("people")))
    from graphsvc.service.audience import name_scope

    return data.cached(("people_finder", name_scope(audience.user)), lambda: PeopleFinder(
        p for p in data.read("people") if audience.may_name(p.id)))
