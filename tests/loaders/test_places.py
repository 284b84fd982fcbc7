"""Places from postcodes and borough names, against the facts in shared/geo/POSTCODES.md."""

import re

import pytest

from loaders.places import resolve_borough, resolve_postcode
from tests.conftest import SHARED_GEO


def test_every_district_mainly_in_one_borough_resolves_to_it():
    text = (SHARED_GEO / "POSTCODES.md").read_text()
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
