"""Who is who: turning parsed rows into people, organisations, sessions and attendance.

People are keyed by email where present, otherwise by normalised name plus organisation.
Organisations are matched to those the store already knows by normalised name and aliases.
Rows for the same person at the same session merge (minutes summed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from graphsvc import rules
from graphsvc.errors import InputError
from graphsvc.model import (
    Batch,
    Community,
    DeclaredTie,
    Employment,
    MatchReview,
    Organisation,
    Person,
    Place,
    Session,
    normalise_name,
    organisation_id,
    person_id,
)
from graphsvc.rules import ClaimSet, stamp
from graphsvc.spool import VisitSpool
from loaders import values
from loaders.attendance import ParsedAttendance, PersonPart, SessionPart
from loaders.placing import community_of, home_of, session_of
from loaders.places import resolve_borough

_NUMBERS = re.compile(r"\d+")
_LEGAL_WORDS = re.compile(r"\b(the|ltd|limited|cic|cio|plc|llp|inc)\b")


@lru_cache(maxsize=1 << 16)
def organisation_key(name: str) -> str:
    """The matching key of an organisation name: case, punctuation, ``&``/``and``, legal
    suffixes and a leading "The" do not matter.

    >>> organisation_key("The Bolton Carers' Support Ltd") == organisation_key("bolton carers support")
    True
    """
    text = normalise_name(name.replace("&", " and "))
    text = _LEGAL_WORDS.sub(" ", text)
    return " ".join(text.split())


SHARED_DOMAINS = {
    "nhs.net", "nhs.uk", "gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
    "hotmail.co.uk", "live.co.uk", "live.com", "yahoo.com", "yahoo.co.uk", "btinternet.com",
    "icloud.com", "me.com", "aol.com", "sky.com", "virginmedia.com", "talktalk.net",
    "protonmail.com", "mail.example",
}
CONFIDENT = 92.0  # rapidfuzz token-sort ratio at or above which two names are one organisation
UNCERTAIN = 80.0  # at or above which a match goes to the review list


def shared_domain(domain: str) -> bool:
    """Domains many organisations share never identify one: webmail, nhs.net, and council-wide
    ``*.gov.uk`` domains (one council, many services)."""
    return domain in SHARED_DOMAINS or domain.endswith(".gov.uk") or domain.endswith(".nhs.uk")


@dataclass
class Resolution:
    batch: Batch
    rows: int = 0
    organisations: int = 0  # named by this file's rows
    new_people: int = 0
    new_organisations: int = 0
    merged_rows: int = 0
    matched_fuzzily: list[dict] = field(default_factory=list)
    uncertain: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


class Resolver:
    """Resolves the records of one import, file by file, against what the store knows.

    What each file says is gathered as claims (:class:`graphsvc.rules.ClaimSet`), stamped with
    the date of the latest session the file saw each thing at: the same person in two files is
    one person, and what the files say of them is joined by the rules. :meth:`batch` gives
    what to write.
    """

    def __init__(self, organisations: list[Organisation], communities: list[Community],
                 known_people: set[str] | None = None, *, person_aliases: dict | None = None,
                 rejected: set | None = None, employments: list[Employment] = (),
                 people: list[Person] = (), wards: list[Place] = ()):
        self._org_by_key: dict[str, str] = {}
        self._org_names: dict[str, str] = {}
        self._domains: dict[str, set[str]] = {}
        for org in organisations:
            self._org_names[org.id] = org.name
            for name in (org.name, *org.aliases):
                if name.startswith("@"):
                    self._domains.setdefault(name[1:].lower(), set()).add(org.id)
                else:
                    self._org_by_key.setdefault(organisation_key(name), org.id)
        self._person_aliases = person_aliases or {}
        self._rejected = rejected or set()
        self._reviews: dict[tuple[str, str], MatchReview] = {}
        self._fuzzy: dict[str, tuple[str, float]] = {}
        by_name: dict[str, set[str]] = {}
        for ward in wards:
            by_name.setdefault(normalise_name(ward.name), set()).add(ward.id)
        # a ward name shared by two boroughs places nobody
        self._wards = {name: next(iter(ids)) for name, ids in by_name.items() if len(ids) == 1}
        email_of = {p.id: p.email for p in people if p.email}
        self._people_by_name: dict[str, set[str]] = {}
        for p in people:
            self._people_by_name.setdefault(normalise_name(p.name), set()).add(p.id)
        for job in employments:
            email = email_of.get(job.person_id)
            if email:
                self._domains.setdefault(email.rsplit("@", 1)[1], set()).add(job.organisation_id)
        self._known_communities = {c.id for c in communities}
        self._known_people = known_people or set()
        self._claims = ClaimSet()
        self._homes: dict[PersonPart, str | None] = {}
        self._resolved: dict[PersonPart, tuple[str, str, str | None]] = {}
        # (part, id, organisation) -> the latest session any file saw it at: claimed once
        self._sightings: dict[tuple[PersonPart, str, str | None], date] = {}
        self._visits = VisitSpool()
        self._files = 0

    def organisation(self, name: str) -> tuple[str | None, bool]:
        """The id for an organisation name, and whether it is new.

        Exact (normalised) names and aliases match; a close spelling (rapidfuzz token-sort
        ratio >= 92) matches too; a less close one (>= 80) becomes a new organisation with a
        review of the possible match, never a silent merge.
        """
        if not name:
            return None, False
        key = organisation_key(name)
        if key in self._org_by_key:
            return self._org_by_key[key], False
        new_id = organisation_id(name)
        candidate, score = self._closest(key)
        if candidate is not None and score >= CONFIDENT and (new_id, candidate) not in self._rejected:
            self._fuzzy[name] = (candidate, score)
            self._org_by_key[key] = candidate
            return candidate, False
        if candidate not in (None, new_id) and score >= UNCERTAIN \
                and (new_id, candidate) not in self._rejected:  # (never a review of itself)
            self._reviews[(new_id, candidate)] = MatchReview(name, new_id, candidate, round(score, 1))
        self._org_by_key[key] = new_id
        if self._org_names.get(new_id, name) != name:  # "Carers & Friends", "Carers Friends":
            self._claim_people()  # earlier files' people claimed under the name they knew
        self._org_names[new_id] = name
        return new_id, True

    def _closest(self, key: str) -> tuple[str | None, float]:
        """The most similar known name whose numbers are the same ("Unit 5" is never a
        misspelling of "Unit 55", however alike the letters)."""
        from rapidfuzz import fuzz, process

        if not self._org_by_key:
            return None, 0.0
        numbers = _NUMBERS.findall(key)
        for name, score, _ in process.extract(key, self._org_by_key.keys(),
                                              scorer=fuzz.token_sort_ratio,
                                              score_cutoff=UNCERTAIN, limit=8):
            if _NUMBERS.findall(name) == numbers:
                return self._org_by_key[name], float(score)
        return None, 0.0

    def organisation_from_email(self, email: str | None) -> str | None:
        """The organisation an email's domain belongs to, if the domain is not shared and
        every known person with that domain works at the same one organisation."""
        if not email:
            return None
        domain = email.rsplit("@", 1)[1]
        orgs = self._domains.get(domain, set())
        return next(iter(orgs)) if len(orgs) == 1 and not shared_domain(domain) else None

    def resolve(self, parsed: ParsedAttendance) -> Resolution:
        """Resolve one file's records; the returned batch holds this file's share."""
        self._files += 1
        out = Resolution(Batch(source=parsed.source))
        people: dict[PersonPart, tuple[str, str | None]] = {}
        sessions: dict[SessionPart, Session | None] = {}
        seen: dict[PersonPart, date] = {}  # the latest session this file saw each person at
        new_orgs = len(self._org_names)
        fuzzy_before, reviews_before = set(self._fuzzy), set(self._reviews)
        bad_sessions: dict[SessionPart, InputError] = {}
        visit, file = self._visits.add, self._files  # (a row at a time, by the million)
        for record in parsed.records:
            out.rows += 1
            session = sessions.get(record.session, False)
            if session is False:
                session = sessions[record.session] = session_of(
                    record.session, record.row, out.problems, parsed.source)
                if session is None:
                    bad_sessions[record.session] = out.problems[-1]
            elif session is None:  # every row of a session that cannot be placed is named
                first = bad_sessions[record.session]
                out.problems.append(InputError(first.reason, file=first.file, row=record.row,
                                               column=first.column, value=first.value))
            if session is None:
                continue  # before the person is claimed: a skipped row leaves nothing
            person, held_on = record.person, session.held_on
            who = people.get(person)
            if who is None:
                who = people[person] = self._resolve_person(person, record.row, out)
            if seen.get(person, held_on) <= held_on:
                seen[person] = held_on
            visit(session.id, who[0], who[1], record.minutes, record.session_role, file)
        self._claim_sessions(sessions)
        self._saw_people(seen, people)
        out.merged_rows = self._visits.repeats(self._files)
        out.organisations = len({people[p][1] for p in seen} - {None})
        ids = {people[p][0] for p in seen}
        out.new_organisations = len(self._org_names) - new_orgs
        out.matched_fuzzily = [{"name": n, "matched": self._org_names.get(c, c), "id": c,
                                "score": round(sc, 1)}
                               for n, (c, sc) in self._fuzzy.items() if n not in fuzzy_before]
        out.uncertain = [{"name": r.name, "candidate": self._org_names.get(r.candidate_id, ""),
                          "candidate_id": r.candidate_id, "score": r.score}
                         for k, r in self._reviews.items() if k not in reviews_before]
        out.new_people = len(ids - self._known_people)
        self._known_people |= ids
        out.batch.people = sorted(ids)
        out.batch.sessions = list({s.id: s for s in sessions.values() if s}.values())
        return out

    def _resolve_person(self, part: PersonPart, row: int, out: Resolution) -> tuple[str, str | None]:
        """The person's id and organisation id. A part an earlier file resolved (the files of
        an import share their parts) is not resolved again when its organisation came from
        its name: by email domain, it may differ once later files have taught more domains."""
        done = self._resolved.get(part)
        if done is not None:
            pid, org, detail = done
            self._note_home(out.notes, row, detail)
            return pid, org
        org, _ = self.organisation(part.organisation)
        by_name = org is not None
        if org is None:
            org = self.organisation_from_email(part.email)
        pid = person_id(part.email, part.name, org or "")
        pid = self._person_aliases.get(pid, pid)
        self._people_by_name.setdefault(normalise_name(part.name), set()).add(pid)
        if part.email and org:
            self._domains.setdefault(part.email.rsplit("@", 1)[1], set()).add(org)
        home, detail = self._ward(part), None
        if home is None:
            home, detail = home_of(part)
        self._homes[part] = home
        self._note_home(out.notes, row, detail)
        if by_name:
            self._resolved[part] = (pid, org, detail)
        return pid, org

    @staticmethod
    def _note_home(notes: list, row: int, detail: str | None) -> None:
        if detail is not None and len(notes) < 50:
            notes.append(f"row {row}: {detail}; borough left unset")

    def _saw_people(self, seen: dict, people: dict) -> None:
        """Keep the latest session any file saw each person at, as that file read them."""
        sightings = self._sightings
        for part, when in seen.items():
            pid, org = people[part]
            key = (part, pid, org)
            if sightings.get(key, when) <= when:
                sightings[key] = when

    def _claim_people(self) -> None:
        """What the files say of each person (as of the latest session one saw them at), their
        job, and the organisations they came from (named as a file spells them, once each).
        A part seen by several files is claimed once, at its latest sighting: the rules join
        claims order-free, and the same claim twice is the one with the later stamp."""
        organisations: dict[tuple[str, str], str] = {}
        for (part, pid, org), when in self._sightings.items():
            evidence = stamp(when)
            self._claims.add("people", {  # a Person's fields (dicts are cheaper, by the 100,000)
                "id": pid, "name": part.name, "email": part.email,
                "lived_experience": part.lived_experience, "consent": part.consent,
                "expertise": part.expertise, "place_id": self._homes.get(part)}, evidence)
            if org is None:
                continue
            self._claims.add("employments", {
                "person_id": pid, "organisation_id": org, "role": part.job_title,
                "seniority": values.seniority(part.job_title)}, evidence)
            known = self._org_names.get(org, org)
            if part.organisation and organisation_key(part.organisation) == organisation_key(
                    known):
                spelling = (org, part.organisation)
                organisations[spelling] = max(organisations.get(spelling, evidence), evidence)
            else:  # matched fuzzily or by email domain: the file's spelling is not the name
                organisations.setdefault((org, known), rules.LOWEST)
        for (org, name), evidence in organisations.items():
            self._claims.add("organisations", Organisation(org, name), evidence)
        self._sightings.clear()

    def _claim_sessions(self, sessions: dict) -> None:
        """Each session the file names, and its community (as of the latest such session)."""
        latest: dict[str, tuple[date, str]] = {}
        for part, session in sessions.items():
            if session is None:
                continue
            self._claims.add("sessions", session, stamp(session.held_on))
            if latest.get(session.community_id, (session.held_on,))[0] <= session.held_on:
                latest[session.community_id] = (session.held_on, part.community)
        for when, name in latest.values():
            self._claims.add("communities", community_of(name), stamp(when))

    def batch(self, source: str = "") -> Batch:
        """Everything resolved so far, each thing once, as the import's claims. The attendance
        is the spool itself (on disk, in session and person order); the import closes it once
        written."""
        self._claim_people()
        batch = self._claims.batch(attendance=self._visits,
                                   reviews=list(self._reviews.values()))
        batch.source = source
        return batch

    def claim_register(self, things) -> None:
        """Organisations, communities or places from a register: the partnership's own word,
        stronger than anything an attendance file implies."""
        self._claim_people()  # the claims in the order the files came
        for thing in things:
            part = {Organisation: "organisations", Community: "communities",
                    Place: "places"}[type(thing)]
            self._claims.add(part, thing, rules.REGISTER)

    def close(self) -> None:
        """Remove the spooled visits (when the import is abandoned)."""
        self._visits.close()

    def resolve_declared(self, parsed) -> Resolution:
        """Declared ties: people by email or by a name that names one person; organisations
        by name (a new one is created, with a review if it resembles a known one)."""
        self._claim_people()  # the people the files before named, known by now
        out = Resolution(Batch(source=parsed.source))
        new_orgs = len(self._org_names)
        for record in parsed.records:
            ends = []
            for column, text in (("A", record.a), ("B", record.b)):
                node = (self._declared_person(text) if record.kind == "person"
                        else self._declared_organisation(text))
                if node is None:
                    out.problems.append(InputError(
                        "no single known person by that email or name" if record.kind == "person"
                        else "the organisation name is empty", file=parsed.source,
                        row=record.row, column=f"{record.kind.capitalize()} {column}", value=text))
                ends.append(node)
            if None not in ends:
                source, target = sorted(ends)
                tie = DeclaredTie(source, target, record.weight, record.since, record.note)
                self._claims.add("declared_ties", tie, stamp(record.since))
                out.batch.declared_ties.append(tie)
        out.new_organisations = len(self._org_names) - new_orgs
        return out

    def _declared_person(self, text: str) -> str | None:
        if "@" in text:
            pid = person_id(text, "", "")
            pid = self._person_aliases.get(pid, pid)
            return pid if pid in self._known_people or ("people", (pid,)) in self._claims \
                else None
        found = self._people_by_name.get(normalise_name(text), set())
        return next(iter(found)) if len(found) == 1 else None

    def _declared_organisation(self, text: str) -> str | None:
        org, _ = self.organisation(text)
        if org is not None:
            self._claims.add("organisations", Organisation(org, self._org_names.get(org, text)),
                             rules.LOWEST)
        return org

    def _ward(self, record: PersonPart) -> str | None:
        """A ward named where a borough was expected."""
        if record.borough and not resolve_borough(record.borough).borough_code:
            return self._wards.get(normalise_name(record.borough))
        return None
