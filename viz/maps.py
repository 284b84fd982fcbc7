"""Maps of the boroughs coloured by a figure, drawn as SVG on the server.

Shapes come from :mod:`viz.shapes`. Classes are fixed for each measure (:class:`Scale`), not
fitted to the data drawn, so a colour means the same on every date, in every window and after
every import: a borough whose figure does not change keeps its colour whatever happens
elsewhere. Colours are a colour-blind-safe sequential ramp; each area carries its name and value
in black or white, whichever passes WCAG AA on its fill, and is a link (to its borough's page)
that the keyboard reaches. Nothing is fetched from anywhere.
"""

from __future__ import annotations

import html
from bisect import bisect_right
from dataclasses import dataclass

from viz.shapes import BoroughShape, Shapes

# ColorBrewer YlGnBu, 5 classes: sequential and safe for the common colour-vision deficiencies
RAMP = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA = "#d9d9d9"
MISSING = "–"  # how a withheld or missing value reads, here as on every page


@dataclass(frozen=True)
class Scale:
    """Fixed classes for a measure: class ``i`` runs from ``edges[i]`` (included) to
    ``edges[i + 1]``; a last edge of ``None`` leaves the top class open. Values outside the
    edges fall in the nearest class. ``whole``: the measure counts things.

    >>> scale = Scale((0, 10, 25, None), whole=True, pattern="{:,.0f}")
    >>> [scale.class_of(v) for v in (0, 9, 10, 24.5, 1000)]
    [0, 0, 1, 1, 2]
    >>> scale.labels()
    ['0 to 9', '10 to 24', '25 or more']
    >>> Scale((0, 0.5, 1), pattern="{:.0%}").labels()
    ['0% to under 50%', '50% to 100%']
    """
    edges: tuple[float | None, ...]
    whole: bool = False
    pattern: str = "{:,.1f}"

    def class_of(self, value: float) -> int:
        return bisect_right(self.edges[1:-1], value)

    def labels(self) -> list[str]:
        shown = self.pattern.format
        out = []
        for i, (low, high) in enumerate(zip(self.edges, self.edges[1:])):
            last = i == len(self.edges) - 2
            if high is None:
                out.append(f"{shown(low)} or more")
            elif last:
                out.append(f"{shown(low)} to {shown(high)}")
            elif self.whole:
                top = shown(high - 1)
                out.append(shown(low) if top == shown(low) else f"{shown(low)} to {top}")
            else:
                out.append(f"{shown(low)} to under {shown(high)}")
        return out


@dataclass(frozen=True)
class Legend:
    classes: tuple[tuple[str, str], ...]  # (label, colour), every class of the scale
    missing: bool  # some area has no value (none yet, or withheld from this user)


def classify(values: dict[str, float | None], scale: Scale) -> tuple[dict[str, str], Legend]:
    """A colour per borough from the class its value falls in, and the legend of every class.

    >>> fill, legend = classify({"a": 3, "b": 80, "c": None}, Scale((0, 50, 100)))
    >>> fill["a"] == RAMP[0], fill["b"] == RAMP[-1], fill["c"] == NO_DATA, legend.missing
    (True, True, True, True)
    """
    colours = _ramp(len(scale.edges) - 1)
    fill = {code: NO_DATA if v is None else colours[scale.class_of(v)]
            for code, v in values.items()}
    legend = Legend(tuple(zip(scale.labels(), colours)),
                    any(v is None for v in values.values()))
    return fill, legend


def _ramp(n: int) -> list[str]:
    if n >= len(RAMP):
        return list(RAMP)
    step = (len(RAMP) - 1) / max(n - 1, 1)
    return [RAMP[round(i * step)] for i in range(n)]


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with the fill (both pass AA on this ramp).

    >>> text_colour("#253494"), text_colour("#ffffcc")
    ('#ffffff', '#000000')
    """
    lum = _luminance(fill)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class _Frame:
    """From the shapes' planar units to the picture's, y downwards."""
    left: float
    top: float
    scale: float
    pad: float

    def at(self, x: float, y: float) -> tuple[float, float]:
        return self.pad + (x - self.left) * self.scale, self.pad + (self.top - y) * self.scale

    def path(self, rings) -> str:
        """SVG path data: each ring from its first point in steps (relative, in tenths)."""
        out = []
        for ring in rings:
            points = [tuple(round(v * 10) for v in self.at(x, y)) for x, y in ring]
            steps = " ".join(f"{(x - a) / 10:g},{(y - b) / 10:g}"
                             for (a, b), (x, y) in zip(points, points[1:]))
            out.append(f"M{points[0][0] / 10:g},{points[0][1] / 10:g}l{steps}z")
        return "".join(out)


def render_svg(shapes: Shapes, values: dict[str, float | None], scale: Scale, *, measure: str,
               shown: dict[str, str], links: dict[str, str], width: int = 800
               ) -> tuple[str, Legend]:
    """The map of ``measure`` as an SVG element, and its legend. ``shown`` is each borough's
    value as text (printed on the area), ``links`` the page each area opens; every name, value
    and link is escaped."""
    title = f"{measure} by borough"
    fill, legend = classify({s.code: values.get(s.code) for s in shapes.boroughs}, scale)
    points = [p for s in shapes.boroughs for ring in s.rings for p in ring]
    left, right = min(x for x, _ in points), max(x for x, _ in points)
    bottom, top = min(y for _, y in points), max(y for _, y in points)
    pad = 8
    frame = _Frame(left, top, (width - 2 * pad) / ((right - left) or 1), pad)
    height = round((top - bottom) * frame.scale + 2 * pad)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="group" aria-labelledby="map-title" '
             f'class="borough-map"><title id="map-title">{html.escape(title)}</title>']
    for shape in shapes.boroughs:
        parts.append(_area(shape, frame, fill[shape.code], shown.get(shape.code, MISSING),
                           links.get(shape.code), measure))
    # the labels last, so that no neighbouring area covers them; clicks pass through them
    parts.append('<g class="labels" aria-hidden="true">')
    parts.extend(_label(shape, frame, fill[shape.code], shown.get(shape.code, MISSING))
                 for shape in shapes.boroughs)
    parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts), legend


def _area(shape: BoroughShape, frame: _Frame, colour: str, value: str, link: str | None,
          measure: str) -> str:
    """One borough: its fill and its wards' lines, inside its link (named for the keyboard
    and screen readers with its value)."""
    spoken = html.escape(f"{shape.name}, {measure}: {value}", quote=True)
    wards = (f'<path class="wards" d="{frame.path(shape.wards)}" fill="none"/>'
             if shape.wards else "")
    body = (f'<title>{html.escape(shape.name)}: {html.escape(value)}</title>'
            f'<path class="area" d="{frame.path(shape.rings)}" fill="{colour}" '
            f'fill-rule="evenodd"/>{wards}')
    code = html.escape(shape.code)
    if link is None:
        return f'<g class="borough" data-code="{code}">{body}</g>'
    return (f'<a class="borough" data-code="{code}" href="{html.escape(link, quote=True)}" '
            f'aria-label="{spoken}">{body}</a>')


def _label(shape: BoroughShape, frame: _Frame, colour: str, value: str) -> str:
    """A borough's name and value on its area, with a halo of its fill to read over edges."""
    x, y = frame.at(*shape.label_at)
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" data-code='
            f'"{html.escape(shape.code)}" fill="{text_colour(colour)}" stroke="{colour}">'
            f'<tspan class="name" x="{x:.1f}" dy="-0.2em">{html.escape(shape.name)}</tspan>'
            f'<tspan class="value" x="{x:.1f}" dy="1.15em">{html.escape(value)}</tspan></text>')
