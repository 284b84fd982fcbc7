"""Node attributes, gathered as columns (graphsvc.attributes), against each node's attributes
stated one node at a time from the module's own rules, on small random worlds."""

from collections import Counter
from datetime import date
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.analyses.network import _in_order
from graphsvc.attributes import NodeAttributes, organisation_attributes, people_attributes
from graphsvc.model import (Attendance, Community, Employment, Organisation, Person, Place,
                            Sector, Session)
from graphsvc.ties import AttendanceTable

PLACES = [Place("place:b1", "borough", "Bolton", "E1"), Place("place:b2", "borough", "Wigan", "E2"),
          Place("place:w1", "ward", "Astley Bridge", "W1", "place:b1"),
          Place("place:r", "region", "North West", "R")]
SECTORS = [Sector("sector:health", "Health", "statutory"), Sector("sector:arts", "Arts", "vcse")]
COMMUNITIES = [Community("community:a", "Alpha"), Community("community:b", "Beta")]
maybe_place = st.sampled_from([None, "place:b1", "place:b2", "place:w1", "place:r", "place:gone"])


@st.composite
def worlds(draw):
    orgs = [Organisation(f"org:{i}", f"Org {i}",
                         tuple(draw(st.lists(st.sampled_from(["sector:health", "sector:arts",
                                                              "sector:unknown"]), max_size=2))),
                         draw(maybe_place), draw(st.sampled_from(["local", "regional"])),
                         draw(st.sampled_from(["vcse", "statutory", "other"])))
            for i in range(draw(st.integers(0, 4)))]
    people = [Person(f"person:{i:02d}", f"Name {i}",
                     lived_experience=draw(st.sampled_from(["none", "mental health"])),
                     consent=draw(st.sampled_from(["named", "aggregate", None])),
                     place_id=draw(maybe_place))
              for i in range(draw(st.integers(0, 8)))]
    org_ids = [o.id for o in orgs] + ["org:unheld"]
    jobs = sorted({(p.id, draw(st.sampled_from(org_ids))): draw(st.sampled_from(
        ["staff", "senior"])) for p in people for _ in range(draw(st.integers(0, 2)))}.items())
    sessions = [Session(f"session:{i}", draw(st.sampled_from(["community:a", "community:b",
                                                              "community:gone"])),
                        f"S{i}", date(2024, 1, 1 + i)) for i in range(draw(st.integers(1, 4)))]
    visits = sorted({(s.id, p.id): draw(st.sampled_from([None, *org_ids]))
                     for s in sessions for p in people if draw(st.booleans())}.items())
    return SimpleNamespace(
        places=lambda: PLACES, sectors=lambda: SECTORS, communities=lambda: COMMUNITIES,
        organisations=lambda: orgs, people=lambda: people, sessions=lambda: sessions,
        employments=lambda: [Employment(p, o, seniority=s) for (p, o), s in jobs],
        attendance=lambda: [Attendance(s, p, o) for (s, p), o in visits])


def main_community(world, node_of) -> dict[str, str]:
    """Each node's most attended community (name order breaks ties), counted visit by visit."""
    names = {c.id: c.name for c in world.communities()}
    community = {s.id: names.get(s.community_id, "") for s in world.sessions()}
    counts = Counter((node_of(v), community[v.session_id]) for v in world.attendance()
                     if node_of(v) is not None)
    best = {}
    for (node, name), n in sorted(counts.items(), key=lambda x: (x[0][0], -x[1], x[0][1])):
        best.setdefault(node, name)
    return best


def borough_of(place_id) -> str:
    places = {p.id: p for p in PLACES}
    place = places.get(place_id)
    if place is None or place.kind not in ("borough", "ward"):
        return ""
    return place.name if place.kind == "borough" else places[place.parent_id].name


def organisations_one_by_one(world) -> dict[str, dict]:
    sectors = {s.id: s.name for s in SECTORS}
    community = main_community(world, lambda v: v.organisation_id)
    return {o.id: {"kind": "organisation", "name": o.name,
                   "sector": sectors.get(o.sector_ids[0], "") if o.sector_ids else "",
                   "sectors": ";".join(sectors.get(s, s) for s in o.sector_ids),
                   "borough": borough_of(o.place_id), "scope": o.scope, "type": o.type,
                   "community": community.get(o.id, "")}
            for o in world.organisations()}


def people_one_by_one(world, orgs: dict[str, dict]) -> dict[str, dict]:
    community = main_community(world, lambda v: v.person_id)
    out = {}
    for person in world.people():
        jobs = [j for j in world.employments() if j.person_id == person.id]
        first = jobs[0].organisation_id if jobs else ""
        org = orgs.get(first, {})
        lived = person.lived_experience != "none"
        out[person.id] = {
            "kind": "person", "name": person.name if person.consent == "named" else "",
            "consent": person.consent, "lived_experience": person.lived_experience,
            "organisation": org.get("name", ""), "organisation_id": first,
            "senior": any(j.seniority == "senior" for j in jobs),
            "sector": org.get("sector", "") or ("Lived experience" if lived else ""),
            "borough": borough_of(person.place_id) or org.get("borough", ""),
            "type": org.get("type", ""), "scope": org.get("scope", ""),
            "community": community.get(person.id, "")}
    return out


@settings(max_examples=150, deadline=None)
@given(worlds(), st.data())
def test_columns_hold_what_each_node_is_one_by_one(world, data):
    table = AttendanceTable.from_records(world.sessions(), world.attendance())
    orgs, people = organisation_attributes(world, table), None
    want_orgs = organisations_one_by_one(world)
    people = people_attributes(world, orgs, table)
    want_people = people_one_by_one(world, want_orgs)
    assert dict(orgs.items()) == want_orgs and list(orgs) == list(want_orgs)
    assert dict(people.items()) == want_people and list(people) == list(want_people)
    some = data.draw(st.sets(st.sampled_from(["person:00", "person:03", "person:nobody"])))
    assert dict(people_attributes(world, orgs, table, some).items()) == {
        k: v for k, v in want_people.items() if k in some}
    nodes = data.draw(st.lists(st.sampled_from([*want_people, "person:nobody"]), unique=True))
    if want_people:
        assert _in_order(people, nodes) == _in_order(want_people, nodes)
    else:  # nobody held: every attribute still named (a dict per node names none)
        assert _in_order(people, nodes) == {name: [None] * len(nodes) for name in people.columns}
        assert set(people.columns) >= {"kind", "name", "sector", "borough", "community"}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from("abcdef"), unique=True),
       st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 9)),
       st.sets(st.sampled_from("abcdefg")), st.booleans())
def test_patched_is_the_held_dict_updated(held, again, touched, only_changed):
    """As a dict: the held attributes, the touched nodes not worked out again dropped, those
    worked out again put in (in place), all in id order once a node is new. Mostly (an
    import of known people) every touched node is held and worked out again."""
    if only_changed:
        again = {node: n for node, n in again.items() if node in held}
        touched = set(again)
    touched = touched | set(again)
    base = {node: {"n": ord(node), "kind": "x"} for node in held}
    new = {node: {"n": n, "kind": "y"} for node, n in sorted(again.items())}
    want = dict(base)
    for node in touched - set(new):
        want.pop(node, None)
    want.update(new)
    if any(node not in base for node in new):
        want = dict(sorted(want.items()))

    def columns(nodes: dict) -> NodeAttributes:
        return NodeAttributes(list(nodes), {"n": [a["n"] for a in nodes.values()],
                                            "kind": [a["kind"] for a in nodes.values()]})

    held_before = columns(base)
    got = held_before.patched(touched, columns(new))
    assert list(got.items()) == list(want.items())
    assert list(held_before.items()) == list(base.items())  # what was held stays as it was
    assert all(node in got for node in want) and "z" not in got and len(got) == len(want)
