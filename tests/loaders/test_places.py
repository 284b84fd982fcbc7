"""Places from postcodes and borough names, against the facts in tests/fixtures/postcode_facts.md (a copy of the project's brief)."""

import re

import pytest

from loaders.places import resolve_borough, resolve_postcode
from tests.conftest import ADMIN, GEO, POSTCODE_FACTS


def test_every_district_mainly_in_one_borough_resolves_to_it():
    text = POSTCODE_FACTS.read_text()
    table = text.split("## Mainly in one borough")[1].split("##")[0]
    checked = 0
    for code, districts in re.findall(r"\((E08\d{6})\) \| ([A-Z0-9, ]+) \|", table):
        for district in districts.split(", "):
            assert resolve_postcode(district).borough_code == code, district
            assert resolve_postcode(f"{district} 9ZZ").borough_code == code
            checked += 1
    assert checked == 54


@pytest.mark.parametrize("postcode, status", [
    ("M3 4AB", "straddles"), ("WA15", "straddles"), ("BL0 9AA", "partly_outside"),
    ("SK9 1AA", "outside"), ("CH1 1AA", "outside"), ("M60 1AA", "outside"),
    ("not a postcode", "unknown"),
])
def test_districts_that_straddle_or_lie_outside_are_reported_not_guessed(postcode, status):
    match = resolve_postcode(postcode)
    assert match.borough_code is None
    assert match.status == status
    assert match.detail


def test_borough_names_spellings_and_codes():
    assert resolve_borough("Wigan").borough_code == "E08000010"
    assert resolve_borough("  wigan  council").borough_code == "E08000010"
    assert resolve_borough("E08000003").borough_code == "E08000003"
    assert resolve_borough("Atlantis").borough_code is None


def test_ward_names_place_people_in_their_borough(service, tmp_path):
    """Wards come from a boundaries file (the real ONS wards the package ships)."""
    from loaders import SessionDefaults

    plan = service.imports.load(ADMIN, [GEO / "gm_wards.geojson"])
    assert plan.reports[0].rows == 215
    wards = [p for p in service.store.places() if p.kind == "ward"]
    assert len(wards) == 215 and all(w.parent_id.startswith("place:E0800000") or
                                     w.parent_id == "place:E08000010" for w in wards)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Name,Ward\nAnn Lee,Astley Bridge\nBob Khan,Nowhere Ward\n")
    service.imports.load(ADMIN, [sheet], defaults=SessionDefaults("Peer support", __import__("datetime").date(2019, 1, 1)))
    people = {p.name: p.place_id for p in service.store.people()}
    assert people["Ann Lee"] == "place:E05014818" and people["Bob Khan"] is None
    attributes = service.data.node_attributes("people")
    assert {a["borough"] for a in attributes.values() if a["name"] == "Ann Lee"} == {"Bolton"}


def test_a_geojson_that_is_not_wards_is_refused(service, tmp_path):
    from graphsvc.errors import ImportProblems

    path = tmp_path / "areas.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                    '"properties": {"WD23CD": "W05000001", "WD23NM": "Cardiff ward", '
                    '"LAD23CD": "W06000015"}, "geometry": null}]}')
    with pytest.raises(ImportProblems, match="not a Greater Manchester borough"):
        service.imports.load(ADMIN, [path])
