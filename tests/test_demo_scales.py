"""The generator's larger scales: ``england`` is ten times ``gm``, over synthetic areas the
loaders accept (and do not place). Checked on the parameters and on a miniature of the England
layout; the suite never writes the 6 million rows."""

import csv
from collections import Counter
from dataclasses import replace

from graphsvc.accounts import LOCAL
from graphsvc.data import generate_demo
from graphsvc.service import Graphsvc

COUNTS = ("organisations", "people", "sessions", "rows", "large_sessions", "brokers")
# the England layout (GM's boroughs and synthetic areas) at about a hundredth of GM's size
MINIATURE = replace(generate_demo.ENGLAND, organisations=500, people=1_800, sessions=120,
                    rows=9_000, large_sessions=4, large_range=(80, 120), brokers=3, areas=5)


def test_england_is_ten_times_greater_manchester_in_every_count():
    england, gm = generate_demo.ENGLAND, generate_demo.GM
    for count in COUNTS:
        assert getattr(england, count) == 10 * getattr(gm, count), count
    assert england.large_range == gm.large_range
    assert england.communities_per_borough == gm.communities_per_borough
    places = len(generate_demo.Generator(2016, england).areas)
    assert places == 10 * len(generate_demo.Generator(2016, gm).areas)


def test_synthetic_areas_are_labelled_and_never_named_as_a_gm_borough():
    areas = generate_demo.Generator(2016, generate_demo.ENGLAND).areas
    gm = {name for _, name, *_ in generate_demo.BOROUGHS}
    synthetic = [a for a in areas if a.synthetic]
    assert len(synthetic) == generate_demo.ENGLAND.areas
    assert len({a.name for a in areas}) == len(areas)
    assert not {a.name for a in synthetic} & gm
    assert all(a.code.startswith("SYN") and not a.districts for a in synthetic)
    assert [a.name for a in areas if not a.synthetic] == sorted(gm, key=[
        name for _, name, *_ in generate_demo.BOROUGHS].index)


def test_the_england_layout_loads_whole_and_leaves_synthetic_areas_unplaced(tmp_path):
    summary = generate_demo.write(tmp_path / "data", 2016, MINIATURE)
    assert summary["places"] == 15
    note = (tmp_path / "data" / "synthetic-areas.txt").read_text()
    assert "SYNTHETIC" in note
    service = Graphsvc(tmp_path / "england.db")
    data = tmp_path / "data"
    service.imports.load(LOCAL, [data / "organisations.csv", data / "communities.csv",
                                 *sorted((data / "attendance").glob("*.csv"))])
    store = service.store
    assert store.counts()["attendance"] == summary["attendance_rows"]
    placed = {o.name for o in store.organisations() if o.place_id}
    registered = _rows(data / "organisations.csv")
    gm = {name for _, name, *_ in generate_demo.BOROUGHS}
    # a GM borough, or (national bodies) no borough and a GM postcode
    assert placed == {row[0] for row in registered if row[2] in gm or (not row[2] and row[3])}
    assert any(row[2] and row[2] not in gm for row in registered)


def test_an_areas_networks_draw_mostly_their_own_areas_people(tmp_path):
    generate_demo.write(tmp_path, 2016, MINIATURE)
    borough_of = {row[0]: row[2] for row in _rows(tmp_path / "organisations.csv")}
    home, away = 0, 0
    for area in generate_demo.Generator(2016, MINIATURE).areas:
        for path in (tmp_path / "attendance").glob(f"{area.name.lower()}-*-network.csv"):
            homes = Counter(borough_of[row[6]] for row in _rows(path) if row[6])
            home += homes[area.name]
            away += sum(homes.values()) - homes[area.name] - homes[""]
    assert home > 2 * away > 0


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))[1:]
