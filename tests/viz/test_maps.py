"""Borough maps: fixed classes, colours, labels, links and escaping."""

from __future__ import annotations

import re

from hypothesis import given, strategies as st

from viz.maps import NO_DATA, RAMP, Scale, classify, contrast, render_svg, text_colour
from viz.shapes import BoroughShape, Shapes, tile_shapes

CODES = sorted(s.code for s in tile_shapes().boroughs)
INDEX = Scale((0, 20, 40, 60, 80, 100), pattern="{:.0f}")
COUNTS = Scale((0, 10, 25, 50, 100, None), whole=True, pattern="{:,.0f}")
values = st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False))


@given(st.fixed_dictionaries({c: values for c in CODES}), st.sampled_from(CODES), values)
def test_changing_one_boroughs_value_changes_no_other_boroughs_colour(before, code, new):
    for scale in (INDEX, COUNTS):
        after = {**before, code: new}
        first, _ = classify(before, scale)
        second, _ = classify(after, scale)
        assert {c: f for c, f in first.items() if c != code} == \
            {c: f for c, f in second.items() if c != code}


def test_colours_darken_with_the_value_and_the_legend_lists_every_class():
    fill, legend = classify({"a": 0, "b": 19.9, "c": 20, "d": 59, "e": 99.5, "f": None}, INDEX)
    assert [RAMP.index(fill[c]) for c in "abcde"] == [0, 0, 1, 2, 4]
    assert fill["f"] == NO_DATA and legend.missing
    assert [label for label, _ in legend.classes] == \
        ["0 to under 20", "20 to under 40", "40 to under 60", "60 to under 80", "80 to 100"]
    assert [colour for _, colour in legend.classes] == list(RAMP)


def test_count_classes_are_whole_numbers_with_an_open_top():
    assert COUNTS.labels() == ["0 to 9", "10 to 24", "25 to 49", "50 to 99", "100 or more"]
    fill, _ = classify({"a": 9, "b": 10, "c": 100_000}, COUNTS)
    assert (fill["a"], fill["b"], fill["c"]) == (RAMP[0], RAMP[1], RAMP[4])


def test_every_label_passes_wcag_aa_on_its_fill():
    for colour in (*RAMP, NO_DATA):
        assert contrast(text_colour(colour), colour) >= 4.5, colour


def test_each_area_is_a_named_link_carrying_its_value():
    shapes = tile_shapes()
    value = {c: float(i * 10) for i, c in enumerate(CODES)}
    svg, _ = render_svg(shapes, value, INDEX, measure="Strength index",
                        shown={c: f"{v:.1f}" for c, v in value.items()},
                        links={c: f"/boroughs/{c}" for c in CODES})
    links = re.findall(r'<a class="borough" data-code="(\w+)" href="([^"]+)" '
                       r'aria-label="([^"]+)">', svg)
    assert [(code, href) for code, href, _ in links] == [(c, f"/boroughs/{c}") for c in CODES]
    names = {s.code: s.name for s in shapes.boroughs}
    for code, _, label in links:
        assert label == f"{names[code]}, Strength index: {value[code]:.1f}"
        text = re.search(rf'<text [^>]*data-code="{code}"[^>]*>(.*?)</text>', svg).group(1)
        assert names[code] in text and f"{value[code]:.1f}" in text


def test_names_values_and_links_are_escaped_in_the_svg():
    hostile = "<img src=x onerror=alert(1)>"
    square = ((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))
    shapes = Shapes((BoroughShape("E08000001", hostile, (square,), (0.5, 0.5)),), "")
    svg, _ = render_svg(shapes, {"E08000001": 1.0}, INDEX, measure="<b>title</b>",
                        shown={"E08000001": "<i>1</i>"},
                        links={"E08000001": '/x" onmouseover="alert(1)'})
    assert "<img" not in svg and "<b>" not in svg and "<i>" not in svg
    assert '" onmouseover' not in svg
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg
