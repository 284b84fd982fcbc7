"""The shapes a borough map is drawn from.

By default the package's own copy of the ONS boundaries of Greater Manchester's ten districts,
with their 215 wards as faint inner lines (``data/geo``, Open Government Licence v3.0: every map
drawn from them carries :data:`ONS_ATTRIBUTION`). A region elsewhere names its own boundaries
file (GeoJSON, GeoPackage or Shapefile, any CRS; districts, or wards with their district, matched
by ONS code or by name) and the attribution its licence asks for. With no boundaries for the
boroughs, or ``tiles`` asked for, the project's tile layout: one square per borough.

Files are read with geopandas, reprojected to the British National Grid (metres) and simplified
to :data:`SIMPLIFY_METRES`, which is well under a pixel at the sizes pages draw.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graphsvc.errors import ConfigurationError
from graphsvc.resources import data_dir, geo_dir

ONS_ATTRIBUTION = ("Contains National Statistics and OS data © Crown copyright and database "
                   "right 2023")
TILES_ATTRIBUTION = "Tile layout: one square per borough, placed roughly as on a map."
SIMPLIFY_METRES = 40.0
Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class BoroughShape:
    code: str
    name: str
    rings: tuple[Ring, ...]  # outer and inner rings, planar units, y upwards
    label_at: tuple[float, float]
    wards: tuple[Ring, ...] = ()  # the outlines of the wards inside, drawn as faint lines


@dataclass(frozen=True)
class Shapes:
    boroughs: tuple[BoroughShape, ...]
    attribution: str  # the line every map drawn from these shapes carries


def gm_districts() -> Path:
    return geo_dir() / "gm_districts.geojson"


def gm_wards() -> Path:
    return geo_dir() / "gm_wards.geojson"


def shapes_for(setting: str | None, boroughs: dict[str, str],
               attribution: str | None = None) -> Shapes:
    """The shapes for the boroughs (ONS code to name): the boundaries file ``setting`` names,
    the tiles when it says ``tiles``, else Greater Manchester's own boundaries when they are
    these boroughs, else the tiles.

    >>> shapes_for("tiles", {}).attribution.startswith("Tile layout")
    True
    """
    if setting and setting.strip().lower() == "tiles":
        return tile_shapes(boroughs)
    if setting:
        return read_shapes(setting, boroughs, attribution=attribution)
    gm = {s.code for s in tile_shapes().boroughs}
    if boroughs and set(boroughs) <= gm:
        return read_shapes(gm_districts(), boroughs, wards=gm_wards())
    return tile_shapes(boroughs)


def tile_shapes(boroughs: dict[str, str] | None = None) -> Shapes:
    """One square per borough: the project's layout of Greater Manchester's ten
    (``data/boroughs.csv``), or for boroughs it does not place, a grid in order of name.

    >>> [s.name for s in tile_shapes({"E06000001": "Hartlepool", "E06000002": "Middlesbrough",
    ...                               "E06000003": "Redcar"}).boroughs]
    ['Hartlepool', 'Middlesbrough', 'Redcar']
    """
    with open(data_dir() / "boroughs.csv", newline="") as handle:
        placed = {row["code"]: (row["name"], float(row["tile_column"]), float(row["tile_row"]))
                  for row in csv.DictReader(handle)}
    if boroughs and not set(boroughs) <= set(placed):
        columns = max(1, math.ceil(math.sqrt(len(boroughs))))
        order = sorted(boroughs.items(), key=lambda item: item[1])
        placed = {code: (name, i % columns, i // columns) for i, (code, name) in enumerate(order)}
    return Shapes(tuple(_tile(code, name, x, -y) for code, (name, x, y) in placed.items()),
                  TILES_ATTRIBUTION)


def _tile(code: str, name: str, x: float, y: float) -> BoroughShape:
    square = ((x, y), (x + 0.94, y), (x + 0.94, y - 0.94), (x, y - 0.94), (x, y))
    return BoroughShape(code, name, (square,), (x + 0.47, y - 0.47))


def read_shapes(path: str | Path, boroughs: dict[str, str], *, wards: str | Path | None = None,
                attribution: str | None = None) -> Shapes:
    """Borough shapes from a boundaries file; ``boroughs`` maps ONS code to name. A file of
    wards is dissolved into its districts and its wards drawn inside them; ``wards`` names a
    separate file of wards for those lines. Files are read once per process (and again when
    they change)."""
    if attribution is None:
        attribution = ONS_ATTRIBUTION
    found = _read_cached(*_file_key(path), tuple(sorted(boroughs.items())),
                         *(_file_key(wards) if wards else (None, None)))
    return Shapes(found, attribution)


def _file_key(path: str | Path) -> tuple[str, float | None]:
    path = Path(path)
    return str(path), (path.stat().st_mtime if path.exists() else None)


@lru_cache(maxsize=8)
def _read_cached(path: str, _mtime, boroughs: tuple, wards: str | None,
                 _wards_mtime) -> tuple[BoroughShape, ...]:
    names = dict(boroughs)
    frame = _read_frame(path, names)
    parts = frame.dissolve(by="_code")
    outlines = _read_frame(wards, names) if wards else frame
    shapes = []
    for code, row in parts.iterrows():
        inner = outlines[outlines["_code"] == code].geometry
        ward_rings = tuple(r for g in inner for r in _rings(g)) if len(inner) > 1 else ()
        shapes.append(BoroughShape(code, names[code], _rings(row.geometry),
                                   _label_point(row.geometry), ward_rings))
    return tuple(sorted(shapes, key=lambda s: s.code))


def _read_frame(path: str, boroughs: dict[str, str]):
    """The file's features that are the boroughs (their code in ``_code``), in metres."""
    import geopandas

    try:
        frame = geopandas.read_file(path)
    except Exception as exc:  # pyogrio raises several kinds for a missing or broken file
        raise ConfigurationError(f"cannot read the boundaries file {path} ({exc})") from exc
    column = _district_column(frame, boroughs)
    if column is None:
        raise ConfigurationError(
            f"no column of {path} names the boroughs by ONS code (such as "
            f"{min(boroughs, default='E08000001')}) or by name; expected districts, or wards "
            "with their district")
    frame = frame.assign(_code=[_code_of(v, boroughs) for v in frame[column]])
    frame = frame[frame["_code"].notna() & frame.geometry.notna()]
    if frame.crs is not None:
        frame = frame.to_crs(27700)
        frame = frame.assign(geometry=frame.geometry.simplify(SIMPLIFY_METRES))
    return frame[["_code", "geometry"]]


def _rings(geometry) -> tuple[Ring, ...]:
    polygons = getattr(geometry, "geoms", [geometry])
    return tuple(tuple((round(x, 1), round(y, 1)) for x, y in ring.coords)
                 for polygon in polygons if polygon.geom_type == "Polygon"
                 for ring in (polygon.exterior, *polygon.interiors))


def _label_point(geometry) -> tuple[float, float]:
    """Where the label goes: the point of the largest part farthest from its edges."""
    from shapely.ops import polylabel

    polygons = getattr(geometry, "geoms", [geometry])
    largest = max((p for p in polygons if p.geom_type == "Polygon"), key=lambda p: p.area)
    point = polylabel(largest, tolerance=max(largest.length / 1000, 1e-9))
    return (point.x, point.y)


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
