"""Borough maps: shapes from the real ONS boundaries or the tiles, classes, colours, escaping."""

from __future__ import annotations

import pytest

from tests.conftest import GEO
from viz.maps import RAMP, Shapes, BoroughShape, classify, contrast, read_shapes, \
    render_svg, text_colour, tile_shapes

NAMES = {s.code: s.name for s in tile_shapes().boroughs}


def ring_area(ring) -> float:
    """The shoelace formula."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))) / 2


def _area(shape: BoroughShape) -> float:
    outer, *holes = shape.rings  # the districts here are single polygons
    return ring_area(outer) - sum(ring_area(h) for h in holes)


def test_the_tiles_are_the_ten_boroughs():
    assert sorted(NAMES) == [f"E080000{i:02d}" for i in range(1, 11)]


def test_wards_dissolve_into_the_districts_they_make_up():
    districts = read_shapes(GEO / "gm_districts.geojson", NAMES)
    wards = read_shapes(GEO / "gm_wards.geojson", NAMES)
    assert [s.code for s in districts.boroughs] == sorted(NAMES)
    assert districts.attribution and "Crown copyright" in districts.attribution
    for d, w in zip(districts.boroughs, wards.boroughs):
        # the geo README's own check: the union of a district's wards has its area, to 0.01 %
        assert w.code == d.code
        assert ring_area(w.rings[0]) == pytest.approx(ring_area(d.rings[0]), rel=1e-3), d.name


def test_any_crs_and_names_instead_of_codes(tmp_path):
    import geopandas

    frame = geopandas.read_file(GEO / "gm_districts.geojson")
    frame = frame[["lad_name", "geometry"]].to_crs(3857)  # web mercator, names only
    path = tmp_path / "districts.gpkg"
    frame.to_file(path)
    again = read_shapes(path, NAMES)
    first = read_shapes(GEO / "gm_districts.geojson", NAMES)
    for a, b in zip(again.boroughs, first.boroughs):
        assert a.code == b.code and _area(a) == pytest.approx(_area(b), rel=1e-6)


def test_a_file_naming_no_borough_is_refused(tmp_path):
    from graphsvc.errors import ConfigurationError

    path = tmp_path / "elsewhere.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                    '"properties": {"name": "Leeds"}, "geometry": {"type": "Point", '
                    '"coordinates": [-1.5, 53.8]}}]}')
    with pytest.raises(ConfigurationError, match="no column"):
        read_shapes(path, NAMES)


def test_classes_rank_the_values_and_colours_darken_with_them():
    values = {code: float(i * i) for i, code in enumerate(sorted(NAMES))}
    values[sorted(NAMES)[3]] = None
    fill, legend = classify(values)
    assert legend.missing and fill[sorted(NAMES)[3]] == "#d9d9d9"
    order = [RAMP.index(fill[c]) for c in sorted(values, key=lambda c: values[c] or 0)
             if values[c] is not None]
    assert order == sorted(order) and len(set(order)) == 5
    lows = [lo for lo, _, _ in legend.classes]
    highs = [hi for _, hi, _ in legend.classes]
    assert lows[1:] == highs[:-1] and highs[-1] == max(v for v in values.values() if v)


def test_every_label_passes_wcag_aa_on_its_fill():
    for colour in (*RAMP, "#d9d9d9"):
        assert contrast(text_colour(colour), colour) >= 4.5, colour


def test_names_and_values_are_escaped_in_the_svg():
    hostile = "<img src=x onerror=alert(1)>"
    square = ((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))
    shapes = Shapes((BoroughShape("E08000001", hostile, (square,), (0.5, 0.5)),), None)
    svg, _ = render_svg(shapes, {"E08000001": 1.0}, "<b>title</b>", {"E08000001": "<i>1</i>"})
    assert "<img" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg
