"""Maps of Greater Manchester's boroughs, coloured by a figure, drawn as SVG on the server.

The shapes come from a boundaries file the user configures (``GRAPHSVC_BOUNDARIES``: GeoJSON,
GeoPackage or Shapefile, any CRS; districts, or wards dissolved into their districts; matched by
ONS code or by name), read and reprojected to the British National Grid with geopandas; with none,
from the project's own tile layout of the ten boroughs. Classes are Fisher-Jenks breaks from
mapclassify; colours a colour-blind-safe sequential ramp; every label's text is black or white,
whichever passes WCAG AA against its fill. Nothing is fetched from anywhere.
"""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass
from pathlib import Path

from graphsvc.errors import ConfigurationError
from graphsvc.extras import require
from graphsvc.resources import data_dir

# ColorBrewer YlGnBu, 5 classes: sequential and safe for the common colour-vision deficiencies
RAMP = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA = "#d9d9d9"
ONS_ATTRIBUTION = ("Contains National Statistics and OS data © Crown copyright and database "
                   "right 2023")


@dataclass(frozen=True)
class BoroughShape:
    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # outer and inner rings, planar units
    label_at: tuple[float, float]


@dataclass(frozen=True)
class Shapes:
    boroughs: tuple[BoroughShape, ...]
    attribution: str | None


def tile_shapes() -> Shapes:
    """The project's own tile layout: one square per borough (``data/boroughs.csv``)."""
    boroughs = []
    with open(data_dir() / "boroughs.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            x, y = float(row["tile_column"]), -float(row["tile_row"])
            square = ((x, y), (x + 0.94, y), (x + 0.94, y - 0.94), (x, y - 0.94), (x, y))
            boroughs.append(BoroughShape(row["code"], row["name"], (square,),
                                         (x + 0.47, y - 0.47)))
    return Shapes(tuple(boroughs), None)


def read_shapes(path: str | Path, boroughs: dict[str, str]) -> Shapes:
    """Borough shapes from a boundaries file; ``boroughs`` maps ONS code to name."""
    geopandas = require("geopandas", "maps")
    try:
        frame = geopandas.read_file(path)
    except Exception as exc:  # pyogrio raises several kinds for a missing or broken file
        raise ConfigurationError(f"cannot read the boundaries file {path} ({exc})") from exc
    if frame.crs is not None:
        frame = frame.to_crs(27700)
    column = _district_column(frame, boroughs)
    if column is None:
        raise ConfigurationError(
            f"no column of {path} names Greater Manchester's boroughs by ONS code (E08000001 "
            "to E08000010) or by name; expected districts, or wards with their district")
    frame = frame.assign(_code=[_code_of(v, boroughs) for v in frame[column]])
    frame = frame[frame["_code"].notna()].dissolve(by="_code")
    shapes = []
    for code, row in frame.iterrows():
        polygons = getattr(row.geometry, "geoms", [row.geometry])
        rings = tuple(tuple(map(tuple, ring.coords)) for polygon in polygons
                      for ring in (polygon.exterior, *polygon.interiors))
        point = row.geometry.representative_point()
        shapes.append(BoroughShape(code, boroughs[code], rings, (point.x, point.y)))
    return Shapes(tuple(sorted(shapes, key=lambda s: s.code)), ONS_ATTRIBUTION)


def _code_of(value, boroughs: dict[str, str]) -> str | None:
    text = str(value).strip()
    if text in boroughs:
        return text
    by_name = {name.lower(): code for code, name in boroughs.items()}
    return by_name.get(text.lower())


def _district_column(frame, boroughs: dict[str, str]) -> str | None:
    best, hits = None, 0
    for column in frame.columns:
        if column == "geometry":
            continue
        found = {_code_of(v, boroughs) for v in frame[column]} - {None}
        if len(found) > hits:
            best, hits = column, len(found)
    return best


@dataclass(frozen=True)
class Legend:
    classes: tuple[tuple[float, float, str], ...]  # (lower, upper, colour)
    missing: bool


def classify(values: dict[str, float | None], k: int = 5) -> tuple[dict[str, str], Legend]:
    """A colour per borough by Fisher-Jenks classes of its value, and the legend."""
    import mapclassify
    known = {code: v for code, v in values.items() if v is not None}
    distinct = sorted(set(known.values()))
    if not distinct:
        return {code: NO_DATA for code in values}, Legend((), True)
    k = min(k, len(distinct))
    if k == 1:
        bins = [distinct[0]]
    else:
        bins = [float(b) for b in mapclassify.FisherJenks(list(known.values()), k=k).bins]
    colours = _ramp(len(bins))
    lower = float(min(distinct))
    classes = []
    for upper, colour in zip(bins, colours):
        classes.append((lower, upper, colour))
        lower = upper
    fill = {}
    for code, value in values.items():
        if value is None:
            fill[code] = NO_DATA
        else:
            fill[code] = next(c for _, up, c in classes if value <= up + 1e-12)
    return fill, Legend(tuple(classes), len(known) < len(values))


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


def render_svg(shapes: Shapes, values: dict[str, float | None], title: str,
               shown: dict[str, str], width: int = 640) -> tuple[str, Legend]:
    """The map as an SVG document, and its legend. ``shown`` is each borough's value as text
    (for the hover title); every name and value is escaped."""
    fill, legend = classify({s.code: values.get(s.code) for s in shapes.boroughs})
    points = [p for s in shapes.boroughs for ring in s.rings for p in ring]
    left, right = min(x for x, _ in points), max(x for x, _ in points)
    bottom, top = min(y for _, y in points), max(y for _, y in points)
    pad = 12
    scale = (width - 2 * pad) / ((right - left) or 1)
    height = round((top - bottom) * scale + 2 * pad)

    def at(x: float, y: float) -> str:
        return f"{pad + (x - left) * scale:.1f},{pad + (top - y) * scale:.1f}"

    size = max(11, min(18, width // 36))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-labelledby="map-title" '
             f'class="borough-map"><title id="map-title">{html.escape(title)}</title>']
    for shape in shapes.boroughs:
        d = " ".join("M" + " L".join(at(x, y) for x, y in ring) + " Z" for ring in shape.rings)
        colour = fill[shape.code]
        lx, ly = at(*shape.label_at).split(",")
        name = html.escape(shape.name)
        value = html.escape(shown.get(shape.code, "no data"))
        parts.append(
            f'<g class="borough" data-code="{html.escape(shape.code)}">'
            f'<title>{name}: {value}</title>'
            f'<path d="{d}" fill="{colour}" fill-rule="evenodd" stroke="#ffffff" '
            f'stroke-width="1.5"/>'
            f'<text x="{lx}" y="{ly}" text-anchor="middle" dominant-baseline="middle" '
            f'font-size="{size}" font-family="sans-serif" fill="{text_colour(colour)}">'
            f'{name}</text></g>')
    parts.append("</svg>")
    return "".join(parts), legend
