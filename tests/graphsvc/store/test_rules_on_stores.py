"""The rules hold on both real stores, through the real loaders: for any set of files and any
split of them into imports, in any order, the stored facts are those of loading them all as one
import; and undoing any import leaves what loading the others alone would have.

The files are attendance logs written here: people (some by email, some by name and
organisation), organisations spelt with varying case, sessions shared between files, minutes,
roles, consent, lived experience, boroughs and job titles that disagree from file to file.
Emails use a shared webmail domain, so no organisation is guessed from one (that guess depends
on what was loaded before: see README, "Who is who").
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from graphsvc.service import Graphsvc
from graphsvc.store import open_store
from tests.neo4j_server import PASSWORD, wipe
from tests.conftest import ADMIN

HEADER = ["Date", "Session", "Community", "Place", "Name", "Email", "Organisation",
          "Job title", "Borough", "Attending as", "Consent to be named", "Session role",
          "Minutes"]
PEOPLE = [("Ann Lee", "ann@mail.example"), ("ann lee", "ann@mail.example"),
          ("Bo Khan", "bo@mail.example"), ("Cat Ng", ""), ("Dev Shah", "")]
ORGANISATIONS = ["Alpha Housing Trust", "alpha housing trust", "Bolton Carers Centre",
                 "Wigan Council", ""]
SESSIONS = [("2019-03-04", "Kick-off", "GM peer support", "Bolton"),
            ("2019-03-04", "Kick-off", "GM peer support", "online"),
            ("2018-11-20", "Carers forum", "Carers network", "Bury")]

ROW = st.tuples(
    st.sampled_from(SESSIONS), st.sampled_from(PEOPLE), st.sampled_from(ORGANISATIONS),
    st.sampled_from(["", "Chief Executive", "Volunteer"]),
    st.sampled_from(["", "Bolton", "Salford"]),
    st.sampled_from(["", "Professional", "Lived experience", "Carer"]),
    st.sampled_from(["", "Yes", "No"]),
    st.sampled_from(["", "Attendee", "Presenter", "Facilitator", "Organiser"]),
    st.sampled_from(["", "20", "45", "60"]))
FILES = st.lists(st.lists(ROW, min_size=1, max_size=8), min_size=2, max_size=4)


def log_text(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for (day, title, community, place), (name, email), org, job, borough, as_, consent, \
            role, minutes in rows:
        writer.writerow([day, title, community, place, name, email, org, job, borough, as_,
                         consent, role, minutes])
    return out.getvalue()


def facts(store) -> dict:
    return {read: getattr(store, read)() for read in (
        "places", "organisations", "people", "employments", "communities", "sessions",
        "declared_ties")} | {"attendance": list(store.attendance())}


def load_groups(store, folder: Path, groups: list[list[int]], texts: list[str]) -> list[str]:
    """Each group of files as one import, in order; the import ids."""
    folder.mkdir(parents=True, exist_ok=True)
    service = Graphsvc(store, archive=folder / "archive")
    ids = []
    for group in groups:
        paths = []
        for number in group:
            path = folder / f"file{number}.csv"
            path.write_text(texts[number], encoding="utf-8")
            paths.append(path)
        ids.append(service.imports.load(ADMIN, paths).record.id)
    return ids


class Stores:
    """Fresh stores of one backend, one after another."""

    def __init__(self, backend: str, folder: Path, server=None):
        self.backend, self.folder, self.server, self.made = backend, folder, server, 0

    def fresh(self):
        self.made += 1
        if self.backend == "sqlite":
            return open_store(self.folder / f"store{self.made}.db")
        wipe(self.server.url)
        return open_store(self.server.url.replace("bolt://", f"bolt://neo4j:{PASSWORD}@"))


def _split(draw, count: int) -> list[list[int]]:
    order = draw(st.permutations(range(count)))
    cuts = sorted(draw(st.sets(st.integers(1, count - 1), max_size=count - 1)))
    bounds = [0, *cuts, count]
    return [list(order[a:b]) for a, b in zip(bounds, bounds[1:])]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(files=FILES, data=st.data())
def test_any_split_in_any_order_gives_the_facts_of_one_import_on_sqlite(tmp_path_factory,
                                                                        files, data):
    split_load_and_undo(Stores("sqlite", tmp_path_factory.mktemp("rules")), files, data)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])  # no shrinking: each try loads 3 databases
@given(files=FILES, data=st.data())
def test_any_split_in_any_order_gives_the_facts_of_one_import_on_neo4j(
        neo4j_server, tmp_path_factory, files, data):
    split_load_and_undo(Stores("neo4j", tmp_path_factory.mktemp("rules"), neo4j_server),
                        files, data)


def split_load_and_undo(made: Stores, files, data) -> None:
    texts = [log_text(rows) for rows in files]
    assume(len(set(texts)) == len(texts))  # a repeated file is "already loaded": see README
    groups = _split(data.draw, len(texts))
    one = made.fresh()
    load_groups(one, made.folder / "one", [list(range(len(texts)))], texts)
    expected = facts(one)
    one.close()

    split = made.fresh()
    ids = load_groups(split, made.folder / "split", groups, texts)
    assert facts(split) == expected, groups

    undone = data.draw(st.sampled_from(range(len(groups))))
    split.undo_import(ids[undone])
    after_undo = facts(split)
    split.close()
    others = [g for i, g in enumerate(groups) if i != undone]
    never = made.fresh()
    load_groups(never, made.folder / "never", others, texts)
    assert after_undo == facts(never), (groups, undone)
    never.close()
