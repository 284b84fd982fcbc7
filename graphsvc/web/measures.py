"""The figures the overview maps and tabulates: each once, with how it reads from a borough's
strength row, how it is shown, and its fixed classes on the map.

Classes are fixed, never fitted to the figures on screen, so that a colour means the same on
every date and window and after every import. The index and the shares have natural bands
(fifths of 0 to 100, of 0 to 1). Counts have 1-2-5 steps with an open top class; ties per
organisation, steps of 20.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from viz.maps import MISSING, Scale

FIFTHS = (0, 0.2, 0.4, 0.6, 0.8, 1)


@dataclass(frozen=True)
class Measure:
    label: str
    read: Callable[[dict], float | None]
    pattern: str  # how a value is shown
    scale: Scale
    heading: str  # the table's column heading, short

    def show(self, value: float | None) -> str:
        return MISSING if value is None else self.pattern.format(value)


def _field(name: str) -> Callable[[dict], float | None]:
    return lambda row: row[name]


def _lived_experience_share(row: dict) -> float | None:
    """The share of the borough's people's ties with someone with lived experience or a carer
    at one end (withheld, as null, where too few such people are behind it)."""
    return (row.get("lived_experience") or {}).get("share_of_ties")


def _count(label: str, heading: str, edges: tuple, key: str | None = None) -> Measure:
    return Measure(label, _field(key or heading.lower()), "{:,.0f}",
                   Scale(edges, whole=True, pattern="{:,.0f}"), heading)


def _share(label: str, heading: str, key: str) -> Measure:
    return Measure(label, _field(key), "{:.0%}", Scale(FIFTHS, pattern="{:.0%}"), heading)


# in the table's order: the index, its seven components, then the counts behind them
MEASURES = {
    "index": Measure("Strength index (0 to 100)", _field("index"), "{:.1f}",
                     Scale((0, 20, 40, 60, 80, 100), pattern="{:.0f}"), "Strength index"),
    "ties_per_organisation": Measure("Ties per organisation", _field("ties_per_organisation"),
                                     "{:,.1f}", Scale((0, 20, 40, 60, 80, None),
                                                      pattern="{:,.0f}"), "Ties per org."),
    "attendance_per_person": Measure("Sessions attended per person",
                                     _field("attendance_per_person"), "{:,.2f}",
                                     Scale((0, 1, 2, 3, 5, None), pattern="{:,.0f}"),
                                     "Sessions per person"),
    "cross_sector_share": _share("Cross-sector share of ties", "Cross-sector",
                                 "cross_sector_share"),
    "statutory_vcse_share": _share("Statutory-VCSE share of ties", "Statutory-VCSE",
                                   "statutory_vcse_share"),
    "lived_experience_inclusion": Measure("Lived-experience inclusion (share of ties)",
                                          _lived_experience_share, "{:.0%}",
                                          Scale(FIFTHS, pattern="{:.0%}"),
                                          "Lived-experience ties"),
    "local_ownership": _share("Local ownership of sessions", "Local ownership",
                              "local_ownership"),
    "senior_involvement": _share("Senior involvement", "Senior", "senior_involvement"),
    "organisations": _count("Active organisations", "Organisations", (0, 5, 10, 20, 50, None)),
    "people": _count("People taking part", "People", (0, 10, 25, 50, 100, None)),
    "sessions": _count("Sessions held", "Sessions held", (0, 1, 2, 5, 10, None), "sessions"),
    "sessions_attended": Measure("Sessions attended from the borough",
                                 _field("sessions_attended"), "{:,.0f}",
                                 Scale((0, 5, 10, 20, 50, None), whole=True, pattern="{:,.0f}"),
                                 "Sessions attended"),
}
