"""The strength index is honest: continuous components on one scale, none able to move the
index by more than its share, a missing measure counted alike for every borough, the demo's
planted weak borough found weakest, and each borough's sentence naming what most explains
its gap from the average (worked out here, not read from the code)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from graphsvc.analyses.strength_index import COMPONENTS, add_index, add_reasons

WINDOWS = [18, None]


def planted_weak_borough() -> str:
    """The borough the demo generator makes thin: the lowest participation."""
    from graphsvc.data.generate_demo import BOROUGHS

    return min(BOROUGHS, key=lambda b: b[3])[1]


@pytest.fixture(scope="module")
def results(demo_database, tmp_path_factory) -> dict:
    """The strength analysis on (a copy of) the demo, once per window."""
    import shutil

    from tests.conftest import build

    copy = tmp_path_factory.mktemp("strength") / "demo.db"
    shutil.copy(demo_database, copy)
    svc = build(copy)
    try:
        yield {w: svc.analyses.compute("strength", window_months=w) for w in WINDOWS}
    finally:
        svc.close()


@pytest.mark.parametrize("window", WINDOWS)
def test_the_planted_weak_borough_is_the_weakest(results, window):
    rows = results[window]["boroughs"]
    weakest = min(rows, key=lambda r: r["index"])
    assert planted_weak_borough() == "Wigan" and weakest["borough"] == "Wigan"
    runner_up = sorted(r["index"] for r in rows)[1]
    assert weakest["index"] < runner_up - 5  # clearly, not by a rounding


@pytest.mark.parametrize("window", WINDOWS)
def test_every_component_is_continuous(results, window):
    """Among the boroughs a component scores (not missing, not withheld as a share of too few
    people: few in the demo for lived experience), most lie inside the scale, not at its
    ends."""
    rows = results[window]["boroughs"]
    for key, (_, measure, _) in COMPONENTS.items():
        scored = [r for r in rows if key not in r["missing"] + r["withheld"]]
        values = [r["components"][key] for r in scored]
        inside = [v for v in values if 0 < v < 1]
        if len(scored) == len(rows):
            assert len(inside) > len(rows) / 2, (key, values)
            assert len(set(values)) > len(rows) / 2, (key, values)
        else:
            assert len(scored) >= 3 and inside and len(set(values)) >= 3, (key, values)
        measures = [measure(r) for r in scored]
        assert sum(m in (0, 1) for m in measures) < len(scored) / 2, (key, measures)


def assert_no_component_moves_the_index_by_more_than_its_share(rows: list[dict]) -> None:
    """Every borough has all seven components, each in [0, 1], and an index of 100 x their
    mean; so taking any one from its lowest to its highest moves the index by 100/7 at most
    (a component left out and the rest re-weighted would move it by 100/6)."""
    share = 100 / len(COMPONENTS)
    for row in rows:
        components = row["components"]
        assert set(components) == set(COMPONENTS), row["borough"]
        assert all(v is not None and 0 <= v <= 1 for v in components.values()), row["borough"]
        assert row["index"] == pytest.approx(100 * sum(components.values()) / 7, abs=0.006)
        for key in components:
            for extreme in (0.0, 1.0):
                moved = 100 * (sum(components.values()) - components[key] + extreme) / 7
                assert abs(moved - row["index"]) <= share + 0.006, (row["borough"], key)


@pytest.mark.parametrize("window", WINDOWS)
def test_no_component_moves_the_index_by_more_than_its_share(results, window):
    assert "mean of seven components" in results[window]["method"] and len(COMPONENTS) == 7
    assert_no_component_moves_the_index_by_more_than_its_share(results[window]["boroughs"])


def _row(borough: str, **measures) -> dict:
    """A borough's row holding only the measures the index reads."""
    row = {"borough": borough, "lived_experience": {"share_of_ties": measures.pop("lived")}}
    return {**row, **measures}


def test_a_missing_measure_counts_as_the_lowest_for_every_borough_alike():
    common = dict(ties_per_organisation=10.0, attendance_per_person=2.0,
                  cross_sector_share=0.8, statutory_vcse_share=0.4, lived=0.3,
                  senior_involvement=0.1)
    rows = [_row("Aston", **common, local_ownership=0.2),
            _row("Brook", **common, local_ownership=None),  # nothing attended from it
            _row("Crewe", **{**common, "ties_per_organisation": 20.0}, local_ownership=0.6)]
    add_index(rows)
    aston, brook, crewe = rows
    assert brook["missing"] == ["local_ownership"] and aston["missing"] == crewe["missing"] == []
    assert brook["components"]["local_ownership"] == 0.0 == aston["components"]["local_ownership"]
    assert brook["index"] == aston["index"]  # as low as the lowest, and no re-weighting
    assert crewe["index"] == pytest.approx(100 * (1 + 1 + 0.5 * 5) / 7, abs=0.006)
    assert_no_component_moves_the_index_by_more_than_its_share(rows)


def _withheld_rows(hidden_share: float) -> list[dict]:
    """Three boroughs; Brook's lived-experience share rests on 3 people (fewer than 5)."""
    def row(name, lived, lived_people, people, **rest):
        out = _row(name, lived=lived, people=people, **rest)
        out["lived_experience"]["lived_experience_people"] = lived_people
        return out

    common = dict(ties_per_organisation=10.0, cross_sector_share=0.5, statutory_vcse_share=0.4,
                  local_ownership=0.3, senior_involvement=0.2)
    return [row("Aston", 0.30, 12, 40, attendance_per_person=2.0, **common),
            row("Brook", hidden_share, 3, 30, attendance_per_person=1.5, **common),
            row("Crewe", 0.20, 0, 4, attendance_per_person=3.0, **common)]  # 4 people


def test_no_figure_shown_is_worked_out_from_a_withheld_one():
    """Brook's lived-experience share (3 people) and Crewe's sessions per person and
    lived-experience share (4 people) are withheld from viewers: whatever they are, every
    component, index and sentence is the same (else a viewer could solve for them, as from a
    min-max scale and a mean)."""
    def shown(hidden_share: float, small_cell: int) -> list:
        rows = _withheld_rows(hidden_share)
        if small_cell == 5:  # Crewe's measures, too, whatever they are
            rows[2]["attendance_per_person"] = hidden_share * 10
            rows[2]["lived_experience"]["share_of_ties"] = 1 - hidden_share
        add_index(rows, small_cell)
        add_reasons(rows)
        return [(r["components"], r["index"], r["why"], r["missing"], r["withheld"])
                for r in rows]

    assert shown(0.05, 5) == shown(0.95, 5)
    brook = shown(0.95, 5)[1]
    assert brook[4] == ["lived_experience_inclusion"] and brook[0][
        "lived_experience_inclusion"] == 0.0  # not scored: as low as a missing measure
    assert shown(0.95, 5)[2][4] == ["attendance_per_person", "lived_experience_inclusion"]
    assert shown(0.05, 0) != shown(0.95, 0)  # with nothing withheld, it counts


def _expected_reason(row: dict, rows: list[dict]) -> tuple[str, float, float]:
    """The component doing most to put ``row`` below (or above) the average index, worked
    out from the components shown: the index's gap from the average is the sum of
    100/7 x (component - its average)."""
    average = {k: sum(r["components"][k] for r in rows) / len(rows) for k in COMPONENTS}
    average_index = sum(r["index"] for r in rows) / len(rows)
    terms = {k: 100 / 7 * (row["components"][k] - average[k]) for k in COMPONENTS}
    below = row["index"] < average_index
    assert sum(terms.values()) == pytest.approx(row["index"] - average_index, abs=0.01)
    key = min(terms, key=terms.get) if below else max(terms, key=terms.get)
    return key, row["components"][key], average[key]


@pytest.mark.parametrize("window", WINDOWS)
def test_each_sentence_names_what_most_explains_the_gap(results, window):
    rows = results[window]["boroughs"]
    for row in rows:
        key, mine, average = _expected_reason(row, rows)
        label, measure, stated = COMPONENTS[key]
        assert f"mainly because of {label}: {mine:.2f} against a Greater Manchester " \
               f"average of {average:.2f}" in row["why"], (row["borough"], key, row["why"])
        assert row["why"].startswith(row["borough"] + " is ")
        if stated:  # the measure beside it, against the boroughs' mean of it
            number, unit = stated
            mean = sum(measure(r) for r in rows) / len(rows)
            assert f"({number.format(measure(row))}{unit}, against a mean of " \
                   f"{number.format(mean)} over the boroughs)." in row["why"], row["why"]
    weakest = min(rows, key=lambda r: r["index"])
    assert weakest["why"].startswith(f"{weakest['borough']} is the lowest of the 10 boroughs")


def test_a_borough_with_nobody_taking_part_says_so():
    rows = [_row("Aston", ties_per_organisation=None, attendance_per_person=None,
                 cross_sector_share=None, statutory_vcse_share=None, lived=None,
                 local_ownership=None, senior_involvement=None),
            _row("Brook", ties_per_organisation=3.0, attendance_per_person=2.0,
                 cross_sector_share=0.5, statutory_vcse_share=0.5, lived=0.5,
                 local_ownership=0.5, senior_involvement=0.5)]
    add_index(rows)
    add_reasons(rows)
    assert rows[0]["index"] == 0 and "nobody taking part" in rows[0]["why"]
    assert rows[1]["why"].startswith("Brook is the highest of the 2 boroughs")


def test_attendance_per_person_and_local_ownership_match_the_stored_attendance(results,
                                                                               demo_service):
    """All time, from the store: visits per person from the borough, and the share of the
    sessions attended from the borough that someone from the borough led."""
    boroughs = {p.id: p.name for p in demo_service.store.places() if p.kind == "borough"}
    org_borough = {o.id: boroughs.get(o.place_id, "") for o in demo_service.store.organisations()}
    first_job = {}
    for job in demo_service.store.employments():
        first_job.setdefault(job.person_id, job.organisation_id)
    person_borough = {p.id: boroughs.get(p.place_id, "")
                      or org_borough.get(first_job.get(p.id), "")
                      for p in demo_service.store.people()}
    visits, people = defaultdict(int), defaultdict(set)
    attended, led = defaultdict(set), defaultdict(set)
    for row in demo_service.store.attendance():
        if row.role == "registered":  # booked only: not counted unless the rule says so
            continue
        mine = person_borough[row.person_id]
        visits[mine] += 1
        people[mine].add(row.person_id)
        for where in {mine, org_borough.get(row.organisation_id, "")} - {""}:
            attended[where].add(row.session_id)
            if row.role in ("facilitator", "organiser"):
                led[where].add(row.session_id)
    for row in results[None]["boroughs"]:
        b = row["borough"]
        assert row["attendance_per_person"] == pytest.approx(visits[b] / len(people[b]), abs=1e-6)
        assert row["sessions_attended"] == len(attended[b])
        assert row["local_ownership"] == pytest.approx(len(led[b]) / len(attended[b]), abs=1e-6)


@pytest.mark.parametrize("window", WINDOWS)
def test_the_index_withholds_exactly_what_a_viewer_is_not_shown(results, window):
    """The index's rule (PEOPLE_BEHIND) and the presentation's (present.SHARE_OF) agree: a
    component is left unscored for a borough exactly where a viewer sees its measure withheld."""
    from graphsvc.accounts import User
    from graphsvc.service.audience import Audience
    from graphsvc.service.present import present

    raw = results[window]
    shown = present(raw, Audience(User("v", "viewer"), frozenset(), b"k")).value
    for row, seen in zip(raw["boroughs"], shown["boroughs"]):
        for key, (_, measure, _) in COMPONENTS.items():
            hidden = measure(row) is not None and measure(seen) is None
            assert hidden == (key in row["withheld"]), (row["borough"], key)
    assert any(row["withheld"] for row in raw["boroughs"])
