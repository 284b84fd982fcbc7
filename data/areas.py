"""The places a demo data set spreads its partnership over.

Greater Manchester's 10 boroughs are real (ONS codes, postcode districts). England is more than
the package knows: ``--scale england`` adds local authority areas that are SYNTHETIC: invented,
English-sounding one-word names (``Ashwick``, ``Thornbury``...; one may coincide with a real
place by chance), codes ``SYN001``... that are not ONS codes, no postcodes. The service knows only
Greater Manchester's boroughs, so it leaves organisations and sessions in these areas unplaced,
as it would real places outside Greater Manchester.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BOROUGHS = [  # code, name, relative size, participation (Wigan is the thin one)
    ("E08000001", "Bolton", 1.0, 1.0), ("E08000002", "Bury", 0.7, 1.0),
    ("E08000003", "Manchester", 2.0, 1.0), ("E08000004", "Oldham", 0.9, 1.0),
    ("E08000005", "Rochdale", 0.8, 1.0), ("E08000006", "Salford", 1.0, 1.0),
    ("E08000007", "Stockport", 1.1, 1.0), ("E08000008", "Tameside", 0.9, 1.0),
    ("E08000009", "Trafford", 0.9, 1.0), ("E08000010", "Wigan", 1.1, 0.15),
]
DISTRICTS = {
    "E08000001": ["BL1", "BL3", "BL4", "BL5"], "E08000002": ["M45"],
    "E08000003": ["M1", "M4", "M8", "M9", "M11", "M12", "M13", "M14", "M20", "M22"],
    "E08000004": ["OL1", "OL2", "OL4", "OL8", "OL9"], "E08000005": ["OL11"],
    "E08000006": ["M5", "M6", "M7", "M27", "M30"], "E08000007": ["SK1", "SK2", "SK3", "SK4"],
    "E08000008": ["M34", "OL6", "OL7", "SK14", "SK15"], "E08000009": ["M17", "M32", "M33", "M41"],
    "E08000010": ["WN2", "WN3", "WN7"],
}
GM_PLACES = {b[1] for b in BOROUGHS} | {"Online"}  # where a demo session may say it was held

PREFIXES = ["Ash", "Brack", "Thorn", "Kings", "Wex", "Hal", "Mar", "Whit", "Lang", "Ald",
            "Brom", "Chel", "Dun", "Elm", "Fen", "Gos", "Hart", "Kel", "Lid", "Mel", "Nor",
            "Ock", "Pen", "Ros", "Tad", "Wal", "Ever", "Sted", "Cran", "Hurst"]
SUFFIXES = ["ford", "ley", "borough", "field", "wick", "ton", "ham", "bury", "dale", "mouth",
            "bridge", "worth", "stead", "combe", "thorpe"]
THIN_EVERY = 12  # one synthetic area in so many takes part as thinly as Wigan


@dataclass(frozen=True)
class Area:
    """A place organisations are based in: code, name, relative size, participation."""

    code: str
    name: str
    size: float
    participation: float
    districts: tuple[str, ...] = ()
    synthetic: bool = False


def greater_manchester(boroughs, districts) -> list[Area]:
    """GM's boroughs, from the generator's table of them."""
    return [Area(code, name, size, participation, tuple(districts[code]))
            for code, name, size, participation in boroughs]


def synthetic_areas(count: int, seed: int, avoid: set[str]) -> list[Area]:
    """``count`` invented local authority areas, the same for the same seed; none is named
    as anything in ``avoid`` (GM's boroughs)."""
    rng = np.random.default_rng([seed, 17])
    names = [p + s for p in PREFIXES for s in SUFFIXES if p + s not in avoid]
    if count > len(names):
        raise ValueError(f"at most {len(names)} synthetic areas, not {count}")
    chosen = sorted(names[i] for i in rng.choice(len(names), count, replace=False))
    sizes = np.clip(rng.lognormal(0.0, 0.4, count), 0.5, 2.0)
    return [Area(f"SYN{k + 1:03d}", name, float(sizes[k]),
                 0.15 if k % THIN_EVERY == THIN_EVERY - 1 else 1.0, synthetic=True)
            for k, name in enumerate(chosen)]


def write_note(path, areas: list[Area]) -> None:
    """A plain note beside the data naming the synthetic areas as such."""
    lines = ["These local authority areas are SYNTHETIC: invented names for demo data at England",
             "scale (codes SYN... are not ONS codes). The service places none of them.", ""]
    lines += [f"{a.code}\t{a.name}" for a in areas if a.synthetic]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
