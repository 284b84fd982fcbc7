"""The person finder against a brute-force search over every named person."""

from hypothesis import given, settings, strategies as st

from graphsvc.model import Person
from graphsvc.service.finder import PeopleFinder, fold

NAMES = st.lists(st.sampled_from(["Ann", "ann", "Anna", "Zoë", "Zoe", "Lee", "Le", "O'Brien",
                                  "Al", "Alan", "b", "Bé"]), min_size=1, max_size=3).map(" ".join)
PEOPLE = st.lists(st.tuples(NAMES, st.sampled_from(["named", "named", "aggregate"])),
                  max_size=25)


def brute_force(people: list[Person], text: str, limit: int) -> list[str]:
    named = sorted((fold(p.name), p.name, p.id) for p in people if p.consent == "named")
    query = fold(text)
    if not query:
        return []
    result = [row[2] for row in named if row[0].startswith(query)]
    words = sorted((word, index) for index, row in enumerate(named)
                   for word in row[0].split()[1:] if word.startswith(query))
    for _, index in words:
        if named[index][2] not in result:
            result.append(named[index][2])
    return result[:limit]


@settings(max_examples=300, deadline=None)
@given(PEOPLE, st.sampled_from(["a", "AN", "ann", "zo", "zoe", "le", "o'", "b", "x", " "]),
       st.integers(1, 6))
def test_search_matches_brute_force(rows, text, limit):
    people = [Person(f"person:{i:03d}", name, consent=consent)
              for i, (name, consent) in enumerate(rows)]
    found = [m.id for m in PeopleFinder(people).search(text, limit)]
    assert found == brute_force(people, text, limit)


def test_an_id_finds_only_a_named_person():
    finder = PeopleFinder([Person("person:1", "Ann Lee"),
                           Person("person:2", "Bo Ray", consent="aggregate")])
    assert [m.name for m in finder.search("person:1")] == ["Ann Lee"]
    assert finder.search("person:2") == [] and finder.get("person:2") is None
