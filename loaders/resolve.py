"""Who is who: turning parsed rows into people, organisations, sessions and attendance.

People are keyed by email where present, otherwise by normalised name plus organisation.
Organisations are matched to those the store already knows by normalised name and aliases.
Rows for the same person at the same session merge (minutes summed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

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
    community_id,
    normalise_name,
    organisation_id,
    person_id,
    place_id,
    session_id,
)
from graphsvc.spool import VisitSpool
from loaders import values
from loaders.attendance import ParsedAttendance, PersonPart, SessionPart
from loaders.places import resolve_borough, resolve_postcode
from loaders.reference import REGION_CODE

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

    People, sessions and attendance accumulate across the files of the import, so that the
    same person in two files is one person; :meth:`batch` gives what to write.
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
        self._stored = {p.id: p for p in people}
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
        self._declared: list[DeclaredTie] = []
        self._known_communities = {c.id for c in communities}
        self._known_people = known_people or set()
        self._orgs: dict[str, Organisation] = {}
        self._people: dict[str, Person] = {}
        self._employments: dict[tuple[str, str], Employment] = {}
        self._communities: dict[str, Community] = {}
        self._sessions: dict[str, Session] = {}
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
        if candidate is not None and score >= UNCERTAIN and (new_id, candidate) not in self._rejected:
            self._reviews[(new_id, candidate)] = MatchReview(name, new_id, candidate, round(score, 1))
        self._org_by_key[key] = new_id
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
        sessions: dict[SessionPart, str | None] = {}
        new_orgs = len(self._orgs)
        fuzzy_before, reviews_before = set(self._fuzzy), set(self._reviews)
        for record in parsed.records:
            out.rows += 1
            who = people.get(record.person)
            if who is None:
                who = people[record.person] = self._resolve_person(record.person, record.row, out)
            sid = sessions.get(record.session, "")
            if sid == "":
                sid = sessions[record.session] = self._resolve_session(
                    record.session, record.row, out.problems, parsed.source)
            if sid is None:
                continue
            self._visits.add(sid, who[0], who[1], record.minutes, record.session_role, self._files)
        out.merged_rows = self._visits.repeats(self._files)
        out.organisations = len({org for _, org in people.values()} - {None})
        ids = {pid for pid, _ in people.values()}
        out.new_organisations = len(self._orgs) - new_orgs
        out.matched_fuzzily = [{"name": n, "matched": self._org_names.get(c, c), "id": c,
                                "score": round(sc, 1)}
                               for n, (c, sc) in self._fuzzy.items() if n not in fuzzy_before]
        out.uncertain = [{"name": r.name, "candidate": self._org_names.get(r.candidate_id, ""),
                          "candidate_id": r.candidate_id, "score": r.score}
                         for k, r in self._reviews.items() if k not in reviews_before]
        out.new_people = len(ids - self._known_people)
        self._known_people |= ids
        out.batch.people = [self._people[p] for p in ids]
        out.batch.sessions = [self._sessions[s] for s in set(sessions.values()) if s]
        return out

    def _resolve_person(self, part: PersonPart, row: int, out: Resolution) -> tuple[str, str | None]:
        """The person's id and organisation id; records them, their employer and their job."""
        org, org_is_new = self.organisation(part.organisation)
        if org is None:
            org = self.organisation_from_email(part.email)
        home = self._ward(part) or self._home(part, row, out.notes)
        if org_is_new:
            self._orgs[org] = Organisation(org, part.organisation, place_id=home)
        pid = person_id(part.email, part.name, org or "")
        pid = self._person_aliases.get(pid, pid)
        self._people_by_name.setdefault(normalise_name(part.name), set()).add(pid)
        if part.email and org:
            self._domains.setdefault(part.email.rsplit("@", 1)[1], set()).add(org)
        self._people[pid] = self._person(pid, part, home,
                                         self._people.get(pid) or self._stored.get(pid))
        if org:
            self._employments[(pid, org)] = Employment(pid, org, part.job_title,
                                                       values.seniority(part.job_title))
        return pid, org

    def _resolve_session(self, part: SessionPart, row: int, problems: list,
                         source: str) -> str | None:
        session = self._session(part, row, problems, source)
        if session is None:
            return None
        self._sessions[session.id] = session
        self._community(part.community)
        return session.id

    def _community(self, name: str) -> None:
        cid = community_id(name)
        if cid in self._known_communities or cid in self._communities:
            return
        words = normalise_name(name)
        local = "gm" in words.split() or "greater manchester" in words
        self._communities[cid] = Community(cid, name, scope="place" if local else "national",
                                           place_id=place_id(REGION_CODE) if local else None)

    def batch(self, source: str = "") -> Batch:
        """Everything resolved so far, each thing once. The attendance is the spool itself
        (on disk, in session and person order); the import closes it once written."""
        return Batch(
            source=source, organisations=list(self._orgs.values()),
            people=list(self._people.values()), employments=list(self._employments.values()),
            communities=list(self._communities.values()), sessions=list(self._sessions.values()),
            attendance=self._visits,
            declared_ties=list(self._declared), reviews=list(self._reviews.values()),
        )

    def close(self) -> None:
        """Remove the spooled visits (when the import is abandoned)."""
        self._visits.close()

    def resolve_declared(self, parsed) -> Resolution:
        """Declared ties: people by email or by a name that names one person; organisations
        by name (a new one is created, with a review if it resembles a known one)."""
        out = Resolution(Batch(source=parsed.source))
        new_orgs = len(self._orgs)
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
                self._declared.append(tie)
                out.batch.declared_ties.append(tie)
        out.new_organisations = len(self._orgs) - new_orgs
        return out

    def _declared_person(self, text: str) -> str | None:
        if "@" in text:
            pid = person_id(text, "", "")
            pid = self._person_aliases.get(pid, pid)
            return pid if pid in self._known_people or pid in self._people else None
        found = self._people_by_name.get(normalise_name(text), set())
        return next(iter(found)) if len(found) == 1 else None

    def _declared_organisation(self, text: str) -> str | None:
        org, is_new = self.organisation(text)
        if is_new:
            self._orgs[org] = Organisation(org, text)
        return org

    def _ward(self, record: PersonPart) -> str | None:
        """A ward named where a borough was expected."""
        if record.borough and not resolve_borough(record.borough).borough_code:
            return self._wards.get(normalise_name(record.borough))
        return None

    @staticmethod
    def _home(record: PersonPart, row: int = 0, notes: list | None = None) -> str | None:
        match = None
        if record.borough:
            match = resolve_borough(record.borough)
        if (match is None or not match.borough_code) and record.postcode:
            match = resolve_postcode(record.postcode)
        if match is not None and match.borough_code is None and notes is not None \
                and len(notes) < 50:
            notes.append(f"row {row}: {match.detail}; borough left unset")
        return place_id(match.borough_code) if match and match.borough_code else None

    @staticmethod
    def _person(pid: str, record: PersonPart, home: str | None,
                earlier: Person | None) -> Person:
        lived = record.lived_experience
        if earlier is not None and lived == "none":
            lived = earlier.lived_experience
        # Privacy by default: people taking part as patients or carers are counted, not named,
        # unless they said they are happy to be named. A file that says nothing of consent
        # (an online export) leaves what is known as it was.
        consent = record.consent or (earlier.consent if earlier is not None else
                                     "named" if lived == "none" else "aggregate")
        return Person(pid, record.name, record.email, lived, consent, record.expertise,
                      home or (earlier.place_id if earlier else None))

    @staticmethod
    def _session(record: SessionPart, row: int, problems: list, source: str) -> Session | None:
        online = record.place.strip().lower() in ("online", "virtual", "zoom", "teams", "remote")
        place = None
        if record.place and not online:
            match = resolve_borough(record.place)
            if match.borough_code is None and normalise_name(record.place) in (
                    "greater manchester", "gm"):
                place = place_id(REGION_CODE)
            elif match.borough_code is None:
                problems.append(InputError(
                    "the session's place is not a Greater Manchester borough or 'online'",
                    file=source, row=row, column="place", value=record.place))
                return None
            else:
                place = place_id(match.borough_code)
        sid = session_id(record.community, record.held_on, record.title)
        return Session(sid, community_id(record.community), record.title,
                       record.held_on, place, online)
