"""Where the map's shapes come from: the package's ONS boundaries by default, a region's own
file, or the tiles."""

from __future__ import annotations

import json

import pytest

from tests.conftest import GEO
from viz.shapes import (ONS_ATTRIBUTION, BoroughShape, gm_districts, gm_wards, read_shapes,
                        shapes_for, tile_shapes)

NAMES = {s.code: s.name for s in tile_shapes().boroughs}
# the geo README's count of wards per district (an independent statement of the files)
WARDS = {"Bolton": 20, "Bury": 17, "Manchester": 32, "Oldham": 20, "Rochdale": 20,
         "Salford": 20, "Stockport": 21, "Tameside": 19, "Trafford": 21, "Wigan": 25}


def ring_area(ring) -> float:
    """The shoelace formula."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))) / 2


def _area(shape: BoroughShape) -> float:
    outer, *holes = shape.rings  # the districts here are single polygons
    return ring_area(outer) - sum(ring_area(h) for h in holes)


def test_the_tiles_are_the_ten_boroughs():
    assert sorted(NAMES) == [f"E080000{i:02d}" for i in range(1, 11)]


def test_the_package_ships_its_own_copy_of_the_boundaries():
    assert gm_districts().parent == GEO and gm_wards().parent == GEO
    assert "shared" not in str(GEO.resolve())
    readme = (GEO / "README.md").read_text()
    assert ONS_ATTRIBUTION in readme and "Open Government Licence" in readme
    features = json.loads(gm_wards().read_text())["features"]
    assert len(features) == 215


def test_greater_manchester_is_drawn_from_its_districts_with_their_wards_by_default():
    shapes = shapes_for(None, NAMES)
    assert [s.code for s in shapes.boroughs] == sorted(NAMES)
    assert shapes.attribution == ONS_ATTRIBUTION
    for shape in shapes.boroughs:
        assert len(shape.wards) >= WARDS[shape.name], shape.name  # a ring or more per ward
        x, y = shape.label_at  # in British National Grid metres, inside Greater Manchester
        assert 350_000 < x < 410_000 and 380_000 < y < 425_000


def test_the_tiles_when_asked_for_or_for_boroughs_the_boundaries_do_not_cover():
    assert shapes_for("tiles", NAMES).attribution.startswith("Tile layout")
    elsewhere = {"E06000001": "Hartlepool", "E06000002": "Middlesbrough"}
    shapes = shapes_for(None, elsewhere)
    assert {s.code for s in shapes.boroughs} == set(elsewhere)
    assert shapes.attribution.startswith("Tile layout")


def test_wards_dissolve_into_the_districts_they_make_up():
    districts = read_shapes(GEO / "gm_districts.geojson", NAMES)
    wards = read_shapes(GEO / "gm_wards.geojson", NAMES)
    assert [s.code for s in districts.boroughs] == sorted(NAMES)
    assert districts.attribution == ONS_ATTRIBUTION
    for d, w in zip(districts.boroughs, wards.boroughs):
        # the geo README's own check: the union of a district's wards has its area (to 0.01 %
        # there; to 0.5 % here, after simplifying both to 40 m)
        assert w.code == d.code and len(w.wards) >= WARDS[d.name]
        assert ring_area(w.rings[0]) == pytest.approx(ring_area(d.rings[0]), rel=5e-3), d.name


def test_any_crs_names_instead_of_codes_and_its_own_attribution(tmp_path):
    import geopandas

    frame = geopandas.read_file(GEO / "gm_districts.geojson")
    frame = frame[["lad_name", "geometry"]].to_crs(3857)  # web mercator, names only
    path = tmp_path / "districts.gpkg"
    frame.to_file(path)
    again = shapes_for(str(path), NAMES, "Boundaries: our own survey")
    first = read_shapes(GEO / "gm_districts.geojson", NAMES)
    assert again.attribution == "Boundaries: our own survey"
    for a, b in zip(again.boroughs, first.boroughs):
        assert a.code == b.code and _area(a) == pytest.approx(_area(b), rel=1e-3)


def test_a_file_naming_no_borough_is_refused(tmp_path):
    from graphsvc.errors import ConfigurationError

    path = tmp_path / "elsewhere.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                    '"properties": {"name": "Leeds"}, "geometry": {"type": "Point", '
                    '"coordinates": [-1.5, 53.8]}}]}')
    with pytest.raises(ConfigurationError, match="no column"):
        read_shapes(path, NAMES)
