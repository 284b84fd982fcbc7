"""Seeded, synthetic Greater Manchester partnership data, written in the real file formats.

Nobody in it is real: names are drawn from lists of common first names and surnames, emails use
the reserved ``.example`` domain, organisations are invented. The structure is deliberate, for
the analyses to find:

* a few brokers who take part in several communities, across boroughs;
* a borough with thin ties (Wigan: its people rarely take part, few sessions are held there);
* two sectors that never meet (faith groups and housing never attend the same session);
* conference-sized sessions, so the large-session rule has something to do.

``python -m graphsvc.data.generate_demo`` rewrites ``data/demo``; ``--scale gm`` writes
Greater Manchester scale data (16,000 organisations, 60,000 people, 6,000 sessions,
600,000 attendance rows) to a folder you name; ``--scale england`` ten times that, over GM's
boroughs and 90 synthetic local authority areas (see ``areas.py``), whose place-based
communities draw their own area's people.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from graphsvc.data.areas import greater_manchester, synthetic_areas, write_note
from graphsvc.data.names import FIRST, LAST, SENIOR_TITLES, TITLES, WORDS

BOROUGHS = [  # code, name, relative size, participation (Wigan is the thin one)
    ("E08000001", "Bolton", 1.0, 1.0), ("E08000002", "Bury", 0.7, 1.0),
    ("E08000003", "Manchester", 2.0, 1.0), ("E08000004", "Oldham", 0.9, 1.0),
    ("E08000005", "Rochdale", 0.8, 1.0), ("E08000006", "Salford", 1.0, 1.0),
    ("E08000007", "Stockport", 1.1, 1.0), ("E08000008", "Tameside", 0.9, 1.0),
    ("E08000009", "Trafford", 0.9, 1.0), ("E08000010", "Wigan", 1.1, 0.15),
]
DISTRICTS = {
    "E08000001": ["BL1", "BL3", "BL4", "BL5"], "E08000002": ["M45"],
    "E08000003": ["M1", "M4", "M8", "M9", "M11", "M12", "M13", "M14", "M20", "M22"],
    "E08000004": ["OL1", "OL2", "OL4", "OL8", "OL9"], "E08000005": ["OL11"],
    "E08000006": ["M5", "M6", "M7", "M27", "M30"], "E08000007": ["SK1", "SK2", "SK3", "SK4"],
    "E08000008": ["M34", "OL6", "OL7", "SK14", "SK15"], "E08000009": ["M17", "M32", "M33", "M41"],
    "E08000010": ["WN2", "WN3", "WN7"],
}
SECTORS = [  # name, type, share of organisations, name patterns
    ("Charity", "vcse", 0.20, ["{b} {x} Trust", "{x} Foundation {b}", "{b} {x} Charity"]),
    ("Community group", "vcse", 0.16, ["{b} {x} Residents Group", "{x} Community Hub {b}"]),
    ("Social enterprise", "vcse", 0.08, ["{x} Works {b} CIC", "{b} {x} Co-operative"]),
    ("Carers' organisation", "vcse", 0.06, ["{b} Carers {x}", "{x} Carers Network {b}"]),
    ("Faith group", "vcse", 0.06, ["{x} Church {b}", "{b} {x} Interfaith Forum"]),
    ("Peer-support group", "vcse", 0.09, ["{b} {x} Peer Support", "{x} Circle {b}"]),
    ("NHS trust", "statutory", 0.05, ["{b} {x} NHS Trust", "{b} {x} Health Services"]),
    ("Primary care", "statutory", 0.12, ["{x} Medical Practice {b}", "{b} {x} Primary Care Network"]),
    ("Council social care", "statutory", 0.05, ["{b} Council {x} Adult Social Care"]),
    ("Public health", "statutory", 0.04, ["{b} Council {x} Public Health"]),
    ("Housing", "statutory", 0.05, ["{b} {x} Housing", "{x} Homes {b}"]),
    ("National body", "vcse", 0.04, ["National {x} Network", "{x} Alliance UK"]),
]
NEVER_MEET = ("Faith group", "Housing")
COMMUNITIES = [  # name, domain, scope, started, share of members
    ("Care and support planning", "care and support planning", "national", date(2016, 3, 1), 1.0),
    ("Supporting self-management", "supported self-management", "national", date(2016, 2, 1), 1.0),
    ("Peer support", "peer support", "national", date(2016, 1, 15), 1.1),
    ("Engaging people in shaping health and care", "engaging people in shaping services",
     "national", date(2016, 4, 1), 0.8),
    ("Person-centred information and helplines", "person-centred information and helplines",
     "national", date(2016, 5, 1), 0.6),
    ("GM peer support", "peer support", "place", date(2016, 10, 1), 1.2),
    ("GM supported self-management", "supported self-management", "place", date(2016, 10, 1), 1.0),
]
END = date(2019, 12, 31)


@dataclass
class Scale:
    organisations: int
    people: int
    sessions: int
    rows: int
    large_sessions: int
    large_range: tuple[int, int]
    communities_per_borough: int  # extra place-based communities at GM scale
    brokers: int
    areas: int = 0  # synthetic local authority areas beside GM's boroughs



DEMO = Scale(250, 960, 150, 0, 2, (80, 110), 0, 6)
GM = Scale(16_000, 62_000, 6_000, 600_000, 350, (201, 2_500), 4, 60)
ENGLAND = Scale(160_000, 620_000, 60_000, 6_000_000, 3_500, (201, 2_500), 4, 600, areas=90)
SCALES = {"demo": DEMO, "gm": GM, "england": ENGLAND}
GM_PLACES = {b[1] for b in BOROUGHS} | {"Online"}


def _pick(rng: np.random.Generator, pool: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct members of pool, drawn with probability proportional to weight."""
    k = min(k, len(pool))
    if k == len(pool):
        return pool.copy()
    keys = rng.random(len(pool)) ** (1.0 / weights)  # Efraimidis-Spirakis weighted sampling
    return pool[np.argpartition(-keys, k - 1)[:k]]


class Generator:
    def __init__(self, seed: int, scale: Scale):
        self.rng = np.random.default_rng(seed)
        self.scale = scale
        self._names_used: set[str] = set()
        self.areas = greater_manchester(BOROUGHS, DISTRICTS)
        if scale.areas:
            self.areas += synthetic_areas(scale.areas, seed, {b[1] for b in BOROUGHS})

    # -- organisations ------------------------------------------------------------------
    def organisations(self) -> list[dict]:
        rng, n = self.rng, self.scale.organisations
        sizes = np.array([a.size for a in self.areas])
        borough = rng.choice(len(self.areas), n, p=sizes / sizes.sum())
        shares = np.array([s[2] for s in SECTORS])
        sector = rng.choice(len(SECTORS), n, p=shares / shares.sum())
        orgs = []
        for i in range(n):
            area = self.areas[borough[i]]
            code, bname = area.code, area.name
            sname, kind, _, patterns = SECTORS[sector[i]]
            national = sname == "National body"
            scope = "national" if national else ("regional" if rng.random() < 0.08 else "local")
            region = f"{bname} and District" if area.synthetic else "Greater Manchester"
            name = self._unique_name(patterns, bname if not national and scope == "local"
                                     else region if scope == "regional" else "")
            orgs.append({
                "name": name, "sector": sname, "kind": kind, "scope": scope,
                "borough": "" if national else bname, "code": code,
                "postcode": self._postcode(area),
                "domain": "".join(w[0] for w in name.split() if w[0].isalpha()).lower()
                          + f"{i}.example",
                "aliases": "",
            })
        return orgs

    def _postcode(self, area) -> str:
        if not area.districts:
            return ""  # a synthetic area has none
        rng = self.rng
        district = rng.choice(area.districts)
        return (f"{district} {rng.integers(1, 9)}{'ABDEFGHJLN'[rng.integers(10)]}"
                f"{'PQRSTUWXYZ'[rng.integers(10)]}")

    def _unique_name(self, patterns: list[str], borough: str) -> str:
        # GM's data keeps its 1,000 tries (it is reproduced exactly); England's would spend
        # most of its time drawing names long since used up
        for _ in range(20 if self.scale.areas else 1000):
            pattern = patterns[self.rng.integers(len(patterns))]
            name = " ".join(pattern.format(b=borough, x=WORDS[self.rng.integers(len(WORDS))]).split())
            if name not in self._names_used:
                self._names_used.add(name)
                return name
        suffix = len(self._names_used)
        name = " ".join(pattern.format(b=borough, x=f"{WORDS[suffix % len(WORDS)]} {suffix}").split())
        self._names_used.add(name)
        return name

    # -- people -------------------------------------------------------------------------
    def people(self, orgs: list[dict]) -> list[dict]:
        rng, n = self.rng, self.scale.people
        org_size = rng.pareto(1.6, len(orgs)) + 1.0
        employer = rng.choice(len(orgs), n, p=org_size / org_size.sum())
        lived = rng.random(n)
        names: set[str] = set()
        people = []
        for i in range(n):
            first, last = FIRST[rng.integers(len(FIRST))], LAST[rng.integers(len(LAST))]
            name = f"{first} {last}"
            while name in names and len(names) < len(FIRST) * len(LAST) * 0.9:
                first, last = FIRST[rng.integers(len(FIRST))], LAST[rng.integers(len(LAST))]
                name = f"{first} {last}"
            if name in names:
                name = f"{first} {last}-{i}"
            names.add(name)
            org = orgs[employer[i]]
            attending_as = ("Lived experience" if lived[i] < 0.10 else
                            "Carer" if lived[i] < 0.15 else "Professional")
            senior = attending_as == "Professional" and rng.random() < 0.08
            title = (SENIOR_TITLES[rng.integers(len(SENIOR_TITLES))] if senior else
                     "" if attending_as != "Professional" else TITLES[rng.integers(len(TITLES))])
            handle = f"{first}.{last}".lower().replace("'", "")
            person = {
                "name": name, "org": int(employer[i]), "attending_as": attending_as,
                "title": title, "senior": senior,
                "email": (f"{handle}{i}@{org['domain']}" if attending_as == "Professional"
                          else f"{handle}{i}@mail.example" if rng.random() < 0.7 else ""),
                # without an email, a person is known by name and organisation: those who
                # never give an organisation stay one person across every export
                "gives_org": attending_as == "Professional" or rng.random() < 0.5,
                "consent": "Yes" if attending_as == "Professional" or rng.random() < 0.5 else "No",
            }
            person["gives_org"] = person["gives_org"] and bool(person["email"])
            people.append(person)
        return people

    # -- communities and sessions -------------------------------------------------------
    def communities(self) -> list[tuple]:
        found = list(COMMUNITIES)
        for bname in [a.name for a in self.areas] if self.scale.communities_per_borough else []:
            for topic in ("peer support", "self-management", "carers", "health and care")[
                    : self.scale.communities_per_borough]:
                found.append((f"{bname} {topic} network", topic, "place",
                              date(2017, 1, 1), 0.4))
        return found

    def memberships(self, people: list[dict], orgs: list[dict], communities: list[tuple]):
        rng = self.rng
        share = np.array([c[4] for c in communities])
        participation = {a.code: a.participation for a in self.areas}
        local = self._own_area_twins(communities) if self.scale.areas else {}
        members: list[list[int]] = [[] for _ in communities]
        activity = rng.pareto(3.0, len(people)) + 0.5
        brokers = rng.choice(len(people), self.scale.brokers, replace=False)
        for i, person in enumerate(people):
            org = orgs[person["org"]]
            activity[i] *= participation[org["code"]]
            if rng.random() > participation[org["code"]] + 0.25:
                continue  # in the thin borough, most people never join a community
            first = rng.choice(len(communities), p=share / share.sum())
            # across England, an area's network draws its own area's people
            first = local.get((int(first), org["borough"]), first)
            chosen = {int(first)}
            if rng.random() < 0.2:
                chosen.add(int(rng.integers(len(communities))))
            for c in chosen:
                members[c].append(i)
        for i in brokers:
            activity[i] = 6.0
            for c in rng.choice(len(communities), min(4, len(communities)), replace=False):
                members[int(c)].append(int(i))
        return [np.array(sorted(set(m)), dtype=np.int64) for m in members], activity, brokers

    @staticmethod
    def _own_area_twins(communities) -> dict[tuple[int, str], int]:
        """(an area's network, another area) -> that other area's network on the same topic."""
        index = {c[0]: k for k, c in enumerate(communities)}
        networks = [(k, c[0].split()[0], c[0]) for k, c in enumerate(communities)
                    if c[2] == "place" and c[0].endswith(" network")]
        areas = {area for _, area, _ in networks}
        return {(k, other): index[other + name[len(area):]]
                for k, area, name in networks for other in areas}

    def session_sizes(self) -> np.ndarray:
        rng, scale = self.rng, self.scale
        small = scale.sessions - scale.large_sessions
        low, high = scale.large_range
        large = np.clip(rng.lognormal(np.log((low + high) / 2.5), 0.5, scale.large_sessions),
                        low, high).astype(int)
        if scale.rows:
            mean_small = max(8.0, (scale.rows - large.sum()) / small)
            sizes = np.clip(rng.gamma(2.2, mean_small / 2.2, small), 4, 200).astype(int)
            sizes = np.maximum(4, np.round(sizes * (scale.rows - large.sum()) / sizes.sum())).astype(int)
            sizes = np.minimum(sizes, 200)
        else:
            sizes = np.clip(rng.gamma(3.0, 7.0, small), 6, 50).astype(int)
        return np.concatenate([sizes, large])

    def sessions(self, people, orgs, communities, memberships, activity) -> list[dict]:
        rng = self.rng
        sector_of = np.array([SECTORS.index(next(s for s in SECTORS if s[0] == orgs[p["org"]]["sector"]))
                              for p in people])
        barred = [SECTORS.index(next(s for s in SECTORS if s[0] == name)) for name in NEVER_MEET]
        everyone = np.arange(len(people))
        sizes = self.session_sizes()
        n_small = self.scale.sessions - self.scale.large_sessions
        community_of = rng.choice(len(communities), len(sizes),
                                  p=np.array([c[4] for c in communities]) / sum(c[4] for c in communities))
        out = []
        for k, size in enumerate(sizes):
            c = int(community_of[k])
            name, _, scope, started, _ = communities[c]
            held_on = started + timedelta(days=int(rng.integers(0, (END - started).days)))
            pool = memberships[c] if k < n_small else everyone
            # one of the two sectors that never meet is barred from every session
            keep = sector_of[pool] != barred[k % 2]
            pool = pool[keep]
            chosen = _pick(rng, pool, activity[pool], int(size))
            out.append({"community": name, "community_index": c, "date": held_on,
                        "attendees": chosen, "large": k >= n_small, "scope": scope,
                        "barred": barred[k % 2]})
        self._everyone_attends(out, memberships, sector_of)
        out.sort(key=lambda s: (s["date"], s["community"]))
        return out

    def _everyone_attends(self, sessions, memberships, sector_of) -> None:
        """People who were never drawn join one small session of a community of theirs."""
        seen = np.zeros(len(sector_of), dtype=bool)
        for session in sessions:
            seen[session["attendees"]] = True
        by_community: dict[int, list[dict]] = {}
        for session in sessions:
            if not session["large"]:
                by_community.setdefault(session["community_index"], []).append(session)
        extra: dict[int, list[int]] = {}
        for c, members in enumerate(memberships):
            options = by_community.get(c, [])
            allowed_for: dict[int, list[int]] = {}  # by sector: the sessions not barring it
            for person in members[~seen[members]]:
                sector = int(sector_of[person])
                if sector not in allowed_for:
                    allowed_for[sector] = [k for k, s in enumerate(options) if s["barred"] != sector]
                allowed = allowed_for[sector]
                if allowed and not seen[person]:
                    pick = allowed[self.rng.integers(len(allowed))]
                    extra.setdefault(id(options[pick]), []).append(int(person))
                    seen[person] = True
        for session in sessions:
            if id(session) in extra:
                session["attendees"] = np.concatenate([session["attendees"], extra[id(session)]])


def write(out: Path, seed: int = 2016, scale: Scale = DEMO, formats: str = "all") -> dict:
    """Write the registers and the sessions into ``out``; return a summary.

    ``formats="all"`` writes each community's sessions in a different real format (Zoom,
    Teams, Google Meet, Eventbrite, sign-in sheets, an attendance log) plus a declared-ties
    survey; ``"logs"`` writes attendance logs only (as the ``gm`` scale always does).
    """
    gen = Generator(seed, scale)
    orgs = gen.organisations()
    people = gen.people(orgs)
    communities = gen.communities()
    memberships, activity, brokers = gen.memberships(people, orgs, communities)
    sessions = gen.sessions(people, orgs, communities, memberships, activity)
    out.mkdir(parents=True, exist_ok=True)
    (out / "attendance").mkdir(exist_ok=True)
    if scale.areas:
        write_note(out / "synthetic-areas.txt", gen.areas)
    with open(out / "organisations.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Name", "Sector", "Borough", "Postcode", "Scope", "Type", "Aliases",
                         "Email domain"])
        for o in orgs:
            writer.writerow([o["name"], o["sector"], o["borough"], o["postcode"], o["scope"],
                             o["kind"], o["aliases"], o["domain"]])
    with open(out / "communities.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Community", "Domain", "Scope", "Place", "Started"])
        for name, domain, scope, started, _ in communities:
            place = "Greater Manchester" if scope == "place" and name.startswith("GM") else (
                name.split()[0] if scope == "place" else "")
            writer.writerow([name, domain, scope, place, started.isoformat()])
    from graphsvc.data.demo_logs import session_rows, write_logs

    if formats == "all" and scale is DEMO:
        from graphsvc.data.demo_writer import write_formats

        rows = write_formats(out, gen.rng, sessions, people, orgs, session_rows)
    else:
        rows = write_logs(out / "attendance", gen.rng, sessions, people, orgs,
                          by_quarter=bool(scale.areas))
    return {"places": len(gen.areas), "organisations": len(orgs), "people": len(people),
            "communities": len(communities),
            "sessions": len(sessions), "attendance_rows": rows,
            "brokers": [people[i]["name"] for i in brokers]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=tuple(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "demo")
    parser.add_argument("--formats", choices=("all", "logs"), default="all")
    args = parser.parse_args(argv)
    summary = write(args.out, args.seed, SCALES[args.scale], args.formats)
    print(", ".join(f"{k}: {v}" for k, v in summary.items() if k != "brokers"))


if __name__ == "__main__":
    main()
