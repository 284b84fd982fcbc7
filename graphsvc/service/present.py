"""What a result shows to an audience: the one place that decides, by allow-list.

Analyses work on ids and return everything; before a result leaves the service it is walked
here. Every dict is one of four things, and keeps only the keys listed for what it is:

- a person this audience may name (an admin: anyone who consented; a facilitator: the
  consenting people of their communities and boroughs): :data:`NAMED_PERSON`;
- a person it may not name: a token in place of their id (new for every user and session) and
  measures of the network only (:data:`ANONYMOUS_PERSON`); a record left with nothing but its
  token is dropped from its list;
- a tie touching such a person: its ends and weight only (:data:`ANONYMOUS_TIE`);
- anything else (aggregates, organisations, places, sessions): :data:`SHARED`.

A key not listed is not shown, so a new key shows nothing until it is listed. Admins see
results as they are (names already follow consent). For everyone else:

- counts of people between 1 and the small-cell threshold are suppressed (shown as ``null``),
  and so is a share of people whose count was (:data:`SHARE_OF`): 1 of 18 is no secret as
  0.0556; so is what is made from such a count (:data:`MADE_FROM`, the cells of a mixing
  matrix, :mod:`graphsvc.service.disclosure`) and the other parts of a total it is a part of
  (:data:`PARTS`); a list ranked by a withheld value lists that record last
  (:data:`RANKED_BY`);
- the other counts of people are rounded to the nearest multiple of the threshold, so that
  totals, less the parts shown, give a range, not a withheld count;
- a selection of fewer people than the threshold (the explorer's, a bridge's candidates, or
  a whole people network of so few) shows none of them it may not name;
- people shown grouped by sector: the ties summed between two groups are a count of ties of
  people (suppressed when small), and withheld when either group's size is (between groups
  of 3 and 20 who met once, 60 ties say 3); when a group's size is withheld, so is how many
  the selection matched, and so are the next smallest until those withheld hold at least the
  threshold (a borough's people, counted elsewhere, less the sizes shown, would give back one
  withheld alone);
- the measures of a person shown by token, and the weights of ties to them, are rounded to
  three significant figures, so that exact values cannot pick the same record out of two
  answers, and records shown by token that show the same values are listed in the order of
  their tokens, not of their ids (the same place in two answers would);
- the sessions behind a tie are those the audience may see (a facilitator's communities and
  boroughs), never others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphsvc.config import SMALL_CELL
from graphsvc.service.disclosure import (ANONYMOUS, GROUP, PERSON, TIE_ENDS, few,
                                         matrix_cells, rounded, unlinkable, withheld_groups)

LIVED_EXPERIENCE = "Lived experience"  # the group people taking part as patients or carers form

# Keys of aggregates, organisations, places, sessions, methods: anyone signed in may see them.
SHARED = frozenset("""
    a b ok analysis network as_of window_months window active_window_months rule method seed k
    nodes_in_network active_ties description matched aggregated message metric label value shown
    id name kind code borough boroughs sector sectors sector_mix scope type community communities
    organisation organisation_id organisations members size betweenness broker ego from to
    weight sessions first_seen last_seen session_ids sessions_behind title held_on to_name
    from_name nodes edges names paths hops length source target group groups partition roles
    coordinator itinerant representative gatekeeper liaison observed expected z p_below ratio
    constraint effective_size efficiency hierarchy score strength strength_to_a strength_to_b
    ties ties_to_a ties_to_b ties_in_window contacts candidates group_sizes candidate_brokers
    convening_organisations gaps matrix rows columns row_totals column_totals within cross_matrix
    strength trend quarters quarter index components average_components ties_inside
    ties_to_other_boroughs cross_sector_share statutory_vcse_share statutory_vcse_ties
    lived_experience_inclusion lived_experience share_of_people degree_ratio share_of_ties
    lived_experience_people retained_people senior_people
    local_ownership sessions_led_locally sessions_facilitated senior_involvement
    senior_organisations ties_per_organisation people new_ties new_cross_sector_ties attendance
    new_person_ties new_people lapsed_people
    health clusters cluster by_community examples main_community nmi retention
    lived_experience_share senior_share waning waning_why last_met ties_to_boroughs brokers
    affiliations attributes
    role stats counts places declared_ties revision half_life_days large_session_size
    large_sessions max_session_size suppressed_below grouped
    pairs why judged too_few_to_judge min_expected max_ratio alpha p_adjusted
    persons already_know_each_other direct
    sessions_held sessions_attended attendance_per_person missing withheld rank percentile
    brokers_ranked sector_pairs_judged broker_group_sizes
""".split())
# Dicts under these keys are keyed by data (borough, community or role names), not by fields.
MAPPINGS = frozenset({"boroughs", "by_community", "group_sizes", "broker_group_sizes",
                      "components", "average_components", "counts", "roles", "a", "b", "within",
                      "ties"})
# A person this audience may name: who they are and where they work, never their health, care,
# contact details or consent.
NAMED_PERSON = frozenset("""
    id name kind organisation organisation_id sector borough community senior type scope role
    attributes ties ties_in_window affiliations group roles coordinator itinerant representative
    gatekeeper liaison observed expected z betweenness constraint effective_size efficiency
    hierarchy score strength_to_a strength_to_b ties_to_a ties_to_b size broker ego pairs step
""".split())
# A person this audience may not name: their token and what the network measures of them.
ANONYMOUS_PERSON = frozenset("""
    id betweenness constraint effective_size efficiency hierarchy score strength_to_a
    strength_to_b ties_to_a ties_to_b size broker ego pairs step
""".split())
ANONYMOUS_TIE = frozenset({"from", "to", "weight"})
# Counts of people (suppressed for viewers when small), and, in results about the people
# network, the counts of ties between groups of people.
PEOPLE_COUNTS = frozenset({"people", "members", "attendance", "lived_experience_people",
                           "retained_people", "new_people", "lapsed_people", "senior_people",
                           "broker_group_sizes"})
# Counts that are parts of totals shown beside them (a quarter's people are those who came again
# and the new; the quarter before's are those who came again and those who did not): when one
# part is withheld so are the others, or a total less a part would give it back.
PARTS = (frozenset({"retained_people", "new_people", "lapsed_people"}),)
PEOPLE_NETWORK_COUNTS = frozenset({"observed", "row_totals", "column_totals", "ties_to_a",
                                   "ties_to_b", "candidates", "group_sizes", "ties_inside",
                                   "matched", "pairs", "nodes_in_network", "active_ties"})
# A share of people, and the counts of people it rests on: suppressed when one of them is. A
# count missing from the share's own record is read from the record holding it (a borough's
# lived-experience shares rest on its people too: the one person from a borough, their ties
# to people with lived experience elsewhere, would otherwise be told as a share).
SHARE_OF = {"lived_experience_share": ("lived_experience_people",),
            "retention": ("retained_people",),
            "senior_share": ("senior_people",), "senior_involvement": ("senior_people",),
            "share_of_people": ("lived_experience_people", "people"),
            "degree_ratio": ("lived_experience_people", "people"),
            "share_of_ties": ("lived_experience_people", "people"),
            "attendance_per_person": ("people",)}
# Values made from counts, withheld when one of those counts is (a bridge's pairs are its ties
# to one side times its ties to the other, less those tied; a gap's sentence states its ties;
# the ties first made among a community's people in a quarter, 3 of 3 people or 6 of 4, say
# how many people there were).
MADE_FROM = {"pairs": ("ties_to_a", "ties_to_b"), "why": ("observed",),
             "ratio": ("observed",), "z": ("observed",), "p_below": ("observed",),
             "p_adjusted": ("observed",), "new_person_ties": ("people",)}
# Lists ranked by a value: a record whose value is withheld is listed after those shown (in
# its place, the values shown above and below it would bound it).
RANKED_BY = {"contacts": "pairs", "candidate_brokers": "pairs",
             "convening_organisations": "pairs", "gaps": "ratio"}
# Measures of a person shown by token, rounded (see above).
MEASURES = frozenset({"betweenness", "constraint", "effective_size", "efficiency",
                      "hierarchy", "score", "strength_to_a", "strength_to_b", "size"})
SESSION_LISTS = frozenset({"session_ids", "sessions_behind"})
# In a result about the people network, how many people its question chose (the explorer's
# selection, a bridge's candidates) and the network's size: when one is small, the people it
# lists are those the audience may name, or none (listed by token, they would be counted).
CHOSEN_PEOPLE = ("matched", "candidates", "nodes_in_network")
# The sizes of the groups a question chose people by (a bridge's sides; a gap's sides, among
# people, for its candidate brokers): when one is small, the people listed for it are those
# the audience may name, or none (a side of one person made the bridge finder their ego view).
CHOSEN_GROUPS = ("group_sizes", "broker_group_sizes")
PEOPLE_LISTS = ("nodes", "contacts", "candidate_brokers")


@dataclass
class Shown:
    """A result as shown, and who it showed: the people named, and how many unnamed."""

    value: object
    named: set = field(default_factory=set)
    anonymous: set = field(default_factory=set)


def present(value, audience, small_cell: int = SMALL_CELL) -> Shown:
    """``value`` (JSON-like) as ``audience`` may see it.

    >>> from graphsvc.accounts import User
    >>> from graphsvc.service.audience import Audience
    >>> viewer = Audience(User("v", "viewer"), frozenset(), b"k")
    >>> shown = present({"nodes": [{"id": "person:a", "name": "Ann", "sector": "Housing",
    ...                             "betweenness": 0.5}], "people": 3}, viewer)
    >>> node = shown.value["nodes"][0]
    >>> sorted(node), node["id"].startswith("anon:"), shown.value["people"]
    (['betweenness', 'id'], True, None)
    """
    shown = Shown(None)
    if audience.user.role == "admin":
        shown.value = value
        _record_people(value, shown)
        return shown
    people_network = isinstance(value, dict) and value.get("network") == "people"
    small_cell = small_cell if audience.user.role != "admin" else 0
    groups = withheld_groups(value, small_cell) if people_network else set()
    walker = _Walker(audience, shown, small_cell, people_network, groups)
    shown.value = walker.walk(value, SHARED)
    if walker.withheld_groups and "matched" in shown.value:
        shown.value["matched"] = None
    return shown


class _Walker:
    def __init__(self, audience, shown: Shown, small_cell: int, people_network: bool,
                 withheld_groups: set[str]):
        self.audience, self.shown, self.small = audience, shown, small_cell
        self.people_network, self.withheld_groups = people_network, withheld_groups
        self.counts = PEOPLE_COUNTS | (PEOPLE_NETWORK_COUNTS if people_network else frozenset())

    def without_the_unnamed(self, value: dict) -> dict:
        """A selection of too few people: those shown by token, and ties to them, go, and so
        does how many they were."""
        value = dict(value)
        if "candidates" in value:
            value["candidates"] = None
        for key in PEOPLE_LISTS:
            if key in value:
                value[key] = [n for n in value[key]
                              if not str(n.get("id", "")).startswith(ANONYMOUS)]
        if "edges" in value:
            value["edges"] = [e for e in value["edges"]
                              if not any(str(e.get(end, "")).startswith(ANONYMOUS)
                                         for end in ("from", "to"))]
        return value

    def hidden(self, value) -> bool:
        return (isinstance(value, str) and value.casefold().startswith(PERSON)
                and not self.audience.may_name(value))

    def walk(self, value, allowed: frozenset, mapping: bool = False, outer: dict | None = None):
        if isinstance(value, dict):
            return self._dict(value, allowed, mapping, outer or {})
        if isinstance(value, (list, tuple)):
            walked = [self.walk(v, allowed) for v in value]
            return unlinkable([w for w, v in zip(walked, value) if not self._emptied(v, w)])
        if isinstance(value, str) and value.casefold().startswith(PERSON):
            return self._person_id(value)
        return value

    def _person_id(self, person_id: str) -> str:
        if self.hidden(person_id):
            self.shown.anonymous.add(person_id)
            return self.audience.anonymous(person_id)
        self.shown.named.add(person_id)
        return person_id

    def _emptied(self, before, after) -> bool:
        """An unnamed person's record left with nothing but its token is not shown at all."""
        return (isinstance(before, dict) and isinstance(after, dict) and set(after) <= {"id"}
                and self.hidden(before.get("id") or before.get("person_id")))

    def _dict(self, value: dict, inherited: frozenset, mapping: bool, outer: dict) -> dict:
        person = value.get("id") or value.get("person_id")
        if isinstance(person, str) and person.casefold().startswith(PERSON):
            allowed = ANONYMOUS_PERSON if self.hidden(person) else NAMED_PERSON
        elif any(self.hidden(value.get(end)) for end in TIE_ENDS):
            allowed = ANONYMOUS_TIE
        elif isinstance(value.get("id"), str) or any(end in value for end in TIE_ENDS):
            allowed = SHARED
        else:
            allowed = inherited  # a part of its parent (a person's attributes are theirs)
        counts = self.counts
        ends = [str(value.get(end, "")) for end in TIE_ENDS]
        if self.people_network and str(value.get("id", "")).startswith(GROUP):
            counts = counts | {"size"}  # a group of people's size is its count of people
        elif self.people_network and any(end.startswith(GROUP) for end in ends):
            counts = counts | {"weight"}  # ties summed between groups of people
        elif allowed is ANONYMOUS_PERSON or allowed is NAMED_PERSON:
            counts = counts | PEOPLE_NETWORK_COUNTS  # a person's ties are ties of people
        out = {}
        for key, item in value.items():
            if not mapping and key not in allowed:
                continue
            out[key] = self._field(key, item, allowed, value, counts)
        withheld = self._withheld(value, outer, counts)
        for key in withheld.intersection(out):
            out[key] = None
        for share, behind in SHARE_OF.items():
            if share in out and withheld.intersection(behind):
                out[share] = None
        for made, sources in MADE_FROM.items():
            if made in out and withheld.intersection(sources):
                out[made] = None
        if "weight" in out and self.withheld_groups.intersection(ends):
            out["weight"] = None
        if value.get("id") in self.withheld_groups:
            out.update({key: None for key in ("members", "size") if key in out})
        if "observed" in counts and isinstance(value.get("observed"), list):
            matrix_cells(value, out, self.small)
        if self._chose_few(value, counts):
            out = self.without_the_unnamed(out)
        return out

    def _chose_few(self, value: dict, counts: frozenset) -> bool:
        """Whether ``value`` answers a question that chose too few people (see
        :data:`CHOSEN_PEOPLE` and :data:`CHOSEN_GROUPS`)."""
        sizes = [value.get(key) for key in CHOSEN_PEOPLE if key in counts]
        sizes += [size for key in CHOSEN_GROUPS if key in counts
                  and isinstance(value.get(key), dict) for size in value[key].values()]
        return any(few(size, self.small) for size in sizes)

    def _withheld(self, value: dict, outer: dict, counts: frozenset) -> set:
        """The counts of ``value`` withheld (a count missing from it is read from ``outer``,
        the record holding it), with the other parts of any withheld part."""
        withheld = {key for key in counts
                    if few(value.get(key, outer.get(key)), self.small)} if self.small else set()
        for parts in PARTS:
            if withheld & parts:
                withheld |= parts
        return withheld

    def _field(self, key: str, item, allowed: frozenset, parent: dict,
               counts: frozenset = frozenset()):
        if key == "names" and isinstance(item, list) and isinstance(parent.get("nodes"), list):
            return ["" if self.hidden(n) else name for n, name in zip(parent["nodes"], item)]
        if key in ("sector", "group") and item == LIVED_EXPERIENCE and allowed is NAMED_PERSON:
            return ""  # a named person's sector would say they take part as a patient or carer
        if key.endswith("_name"):
            end = parent.get(key[:-5])
            if self.hidden(end):
                return ""
        if self.small and key in counts:
            item = self._suppressed(item)
        if (allowed is ANONYMOUS_PERSON and key in MEASURES
                or allowed is ANONYMOUS_TIE and key == "weight") and isinstance(item, float):
            return float(f"{item:.3g}")
        if key in SESSION_LISTS and isinstance(item, list):
            item = [s for s in item if self.audience.may_see_session(
                s.get("id", "") if isinstance(s, dict) else str(s))]
        walked = self.walk(item, allowed, mapping=key in MAPPINGS and isinstance(item, dict),
                           outer=parent)
        if key in RANKED_BY and isinstance(walked, list) and self.small:
            rank = RANKED_BY[key]
            walked.sort(key=lambda r: isinstance(r, dict) and rank in r and r[rank] is None)
        return walked

    def _suppressed(self, item):
        if few(item, self.small):
            return None
        if isinstance(item, list):
            return [self._suppressed(i) for i in item]
        if isinstance(item, dict):
            return {k: self._suppressed(v) for k, v in item.items()}
        return rounded(item, self.small)


def _record_people(value, shown: Shown) -> None:
    """Who a result shows, for the audit (admins see results as they are)."""
    if isinstance(value, dict):
        for item in value.values():
            _record_people(item, shown)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _record_people(item, shown)
    elif isinstance(value, str) and value.startswith(PERSON):
        shown.named.add(value)
