"""The strength index: a borough's measures put on one scale and averaged, and the sentence
that says why a borough stands where it does.

The strength index is the mean of seven components, one per measure of the borough, each put
on a 0 to 1 scale across the boroughs (min-max: 0 is the lowest borough in the region, 1 the
highest; a measure on which every borough is equal is 0.5 for all):

* ``ties_per_organisation``: active organisation ties touching the borough per active
  organisation;
* ``attendance_per_person``: sessions attended in the window per person from the borough
  taking part (how often people come back);
* ``cross_sector_share``: share of the organisation ties touching the borough that join
  organisations of different sectors;
* ``statutory_vcse_share``: share of those ties that join a statutory and a VCSE
  organisation;
* ``lived_experience_inclusion``: share of the ties of the borough's active people that have
  someone with lived experience or a carer at one end;
* ``local_ownership``: share of the sessions attended from the borough that someone from the
  borough led (facilitated or organised), wherever or however they were held;
* ``senior_involvement``: share of active organisations with a senior leader taking part.

Every component weighs the same, so none can move the index by more than 100/7 points. A
measure that cannot be taken for a borough (nothing in the window to take it from: no
active organisations, people, ties or sessions) counts as 0, the bottom of the scale, for
every borough alike, and is named in the borough's ``missing``. So does a measure that is a
share of too few people to show (sessions per person when the borough's people, and
lived-experience inclusion when they or its people with lived experience, are more than none
but fewer than the small-cell threshold): it is
withheld from everyone but admins, so it is not scored either (a borough is never credited
for a figure that cannot be shown), it is left out of the other boroughs' scale, and it is
named in the borough's ``withheld``. So no figure anyone sees is worked out from a value
withheld from them. The measures themselves are shown beside the components. Index = 100 x
the mean of the seven components.

References
----------
OECD and JRC, *Handbook on Constructing Composite Indicators: Methodology and User Guide*,
OECD Publishing, 2008, doi:10.1787/9789264043466-en (min-max normalisation, equal weights).
"""

from __future__ import annotations

from typing import Callable

# component -> (what it is called in a sentence, where its measure is in a borough's row, how
# a sentence states the measure (number format, unit): None for one that may be withheld from
# a user, as a share of a few people is, since a sentence cannot be redacted)
COMPONENTS: dict[str, tuple[str, Callable[[dict], float | None], tuple[str, str] | None]] = {
    "ties_per_organisation": ("ties per organisation", lambda r: r["ties_per_organisation"],
                              ("{:.1f}", " ties per organisation")),
    "attendance_per_person": ("sessions attended per person",
                              lambda r: r["attendance_per_person"], None),
    "cross_sector_share": ("ties across sectors", lambda r: r["cross_sector_share"],
                           ("{:.1%}", " of ties")),
    "statutory_vcse_share": ("ties between statutory and VCSE organisations",
                             lambda r: r["statutory_vcse_share"], ("{:.1%}", " of ties")),
    "lived_experience_inclusion": ("ties with people with lived experience or carers",
                                   lambda r: r["lived_experience"]["share_of_ties"], None),
    "local_ownership": ("sessions led from the borough", lambda r: r["local_ownership"],
                        ("{:.1%}", " of the sessions attended")),
    "senior_involvement": ("senior involvement", lambda r: r["senior_involvement"],
                           ("{:.1%}", " of active organisations")),
}
# component -> the counts of people its measure rests on (withheld, with the measure, from
# everyone but admins when one is below the small-cell threshold: graphsvc.service.present)
PEOPLE_BEHIND = {
    "attendance_per_person": lambda r: (r["people"],),
    "lived_experience_inclusion": lambda r: (r["lived_experience"]["lived_experience_people"],
                                             r["people"]),
}
WEIGHT = 1 / len(COMPONENTS)
METHOD = "The strength index is " + __doc__.split("The strength index is ", 1)[1].split(
    "References")[0].strip()
REGION = "Greater Manchester"


def scaled(values: list[float | None]) -> list[float | None]:
    """Min-max over the known values: 0 the lowest, 1 the highest, 0.5 when all are equal;
    None stays None.

    >>> scaled([2.0, None, 4.0, 3.0])
    [0.0, None, 1.0, 0.5]
    """
    known = [v for v in values if v is not None]
    if not known:
        return list(values)
    low, high = min(known), max(known)
    return [None if v is None else 0.5 if high == low else (v - low) / (high - low)
            for v in values]


def add_index(rows: list[dict], small_cell: int = 0) -> None:
    """Give each borough's row its ``components``, ``missing``, ``withheld`` and ``index`` (see
    the module); a measure resting on more than none and fewer than ``small_cell`` people is
    withheld."""
    for row in rows:
        row["components"], row["missing"], row["withheld"] = {}, [], []
    for key, (_, measure, _) in COMPONENTS.items():
        few = [_too_few(row, key, small_cell) for row in rows]
        values = scaled([None if f else measure(r) for r, f in zip(rows, few)])
        for row, value, withheld in zip(rows, values, few):
            if withheld:
                row["withheld"].append(key)
            elif value is None:
                row["missing"].append(key)
            row["components"][key] = round(0.0 if value is None else value, 6)
    for row in rows:
        row["index"] = round(100 * WEIGHT * sum(row["components"].values()), 2)


def _too_few(row: dict, key: str, small_cell: int) -> bool:
    """Whether the measure behind ``key`` is a share of too few people to show."""
    behind = PEOPLE_BEHIND.get(key)
    return bool(small_cell) and behind is not None and any(0 < count < small_cell
                                                           for count in behind(row))


def add_reasons(rows: list[dict]) -> None:
    """Give each borough's row ``why``: a sentence naming the component that does most to
    put it below (or above) the regional average index, with its value and the average.

    The gap between a borough's index and the average is the sum over components of
    ``100 x weight x (component - its average)``; the sentence names the largest term of the
    gap's sign.
    """
    if not rows:
        return
    average = {k: sum(r["components"][k] for r in rows) / len(rows) for k in COMPONENTS}
    average_index = sum(r["index"] for r in rows) / len(rows)
    for row in rows:
        row["why"] = _why(row, rows, average, average_index)


def _why(row: dict, rows: list[dict], average: dict, average_index: float) -> str:
    name, index = row["borough"], row["index"]
    if len(row["missing"]) == len(COMPONENTS):
        held = row.get("sessions") or 0
        if held:  # people are counted where they are based, which no file may have said
            return (f"{name} held {held} session{'s' if held != 1 else ''} in this window, but "
                    "no one taking part is known to be based here (a borough or postcode "
                    "in a file, or an organisations register, places them), so nothing to "
                    "measure.")
        return f"{name} had nobody taking part in this window, so nothing to measure."
    if len(rows) == 1:
        return f"{name} is the only borough measured (index {index:.1f})."
    below = index < average_index
    sign = 1 if below else -1
    key = max(COMPONENTS, key=lambda k: sign * WEIGHT * (average[k] - row["components"][k]))
    place = 1 + sum(other["index"] > index for other in rows)
    where = ("the highest" if place == 1 else "the lowest" if place == len(rows)
             else _ordinal(place))
    side = "" if where in ("the highest", "the lowest") else \
        ("below the average " if below else "above the average ")
    return (f"{name} is {where} of the {len(rows)} boroughs (index {index:.1f} against a "
            f"{REGION} average of {average_index:.1f}), {side}mainly because of "
            f"{COMPONENTS[key][0]}: {row['components'][key]:.2f} against a {REGION} average "
            f"of {average[key]:.2f}" + _measure_clause(key, row, rows))


def _measure_clause(key: str, row: dict, rows: list[dict]) -> str:
    """The measure behind a component, beside the boroughs' mean: the 0-1 scale runs from the
    lowest borough to the highest, however close they are."""
    _, measure, stated = COMPONENTS[key]
    mine = measure(row)
    known = [measure(r) for r in rows if measure(r) is not None]
    if key in row["withheld"]:
        return " (too few people to show it)."
    if mine is None:
        return " (nothing in the window to measure it by)."
    if stated is None or not known:
        return "."
    number, unit = stated
    mean = sum(known) / len(known)
    return (f" ({number.format(mine)}{unit}, against a mean of {number.format(mean)} over the "
            "boroughs).")


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st.

    >>> [_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
