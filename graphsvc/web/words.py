"""Values as a reader says them: "1 session", "5 Oct 2019", "VCSE", "Housing in Wigan".

Registered as template filters by the pages that use them, so a page never shows a raw value
("1 sessions", "2019-10-05", "vcse", an id in place of a name).
"""

from __future__ import annotations

from datetime import date, datetime

GROUP_LABELS = {
    "type": {"vcse": "VCSE (voluntary, community and social enterprise)",
             "statutory": "Statutory", "other": "Other"},
    "scope": {"local": "Local", "regional": "Regional", "national": "National"},
}
SHORT_GROUP_LABELS = {"type": {"vcse": "VCSE"}}
PARTITION_LABELS = {"sector": "sectors", "borough": "boroughs",
                    "community": "communities of practice", "type": "types of organisation",
                    "scope": "scopes (local, regional or national)"}


def counted(count, word: str, plural: str | None = None) -> str:
    """``counted(1, "session")`` is "1 session", 14 is "14 sessions", a withheld count "–".

    >>> [counted(n, "session") for n in (1, 14, 1200, None)]
    ['1 session', '14 sessions', '1,200 sessions', '– sessions']
    """
    if count is None:
        return f"– {plural or word + 's'}"
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def day(text, short: bool = True) -> str:
    """An ISO date as a reader writes it: "5 Oct 2019" (or "5 October 2019").

    >>> day("2019-10-05"), day("2019-10-05", short=False), day(""), day("soon")
    ('5 Oct 2019', '5 October 2019', '', 'soon')
    """
    if not text:
        return ""
    try:
        when = date.fromisoformat(str(text)[:10])
    except ValueError:
        return str(text)
    return f"{when.day} {when:%b %Y}" if short else f"{when.day} {when:%B %Y}"


def day_and_time(text) -> str:
    """A moment stored as ISO text (UTC), as a reader says it: "3 March 2025, 14:05 UTC".

    >>> day_and_time("2025-03-03T14:05:09+00:00"), day_and_time(None), day_and_time("soon")
    ('3 March 2025, 14:05 UTC', '', 'soon')
    """
    if not text:
        return ""
    try:
        when = datetime.fromisoformat(str(text))
    except ValueError:
        return str(text)
    zone = " UTC" if when.utcoffset() is not None and not when.utcoffset() else ""
    return f"{day(when.date().isoformat(), short=False)}, {when:%H:%M}{zone}"


def route_share(value) -> str:
    """A betweenness (the share of shortest routes between others that pass through a node)
    as a percentage a reader can compare, never rounded away to nothing.

    >>> [route_share(v) for v in (0.7999, 0.0267, 0.0013, 0.00004, 0.0, None)]
    ['80%', '2.7%', '0.13%', 'under 0.01%', '0%', '–']
    """
    if value is None:
        return "–"
    percent = 100 * value
    if percent == 0:
        return "0%"
    if percent < 0.01:
        return "under 0.01%"
    return f"{percent:.0f}%" if percent >= 10 else f"{percent:.{1 if percent >= 1 else 2}f}%"


def group_label(value, partition: str = "sector", short: bool = False) -> str:
    """A group's name as a page shows it: "VCSE" for the type ``vcse``; a blank "Not known".

    >>> group_label("vcse", "type", short=True), group_label("Housing"), group_label("")
    ('VCSE', 'Housing', 'Not known')
    """
    if not value:
        return "Not known"
    if short and value in SHORT_GROUP_LABELS.get(partition, {}):
        return SHORT_GROUP_LABELS[partition][value]
    return GROUP_LABELS.get(partition, {}).get(value, value)


def partition_label(partition: str) -> str:
    """The groups a partition makes, in words: "sectors", "types of organisation"."""
    return PARTITION_LABELS.get(partition, partition + "s")


def partition_option(partition: str) -> tuple[str, str]:
    """A partition as a picker offers it: ``("type", "Types of organisation (VCSE, ...)")``."""
    label = partition_label(partition)
    if partition == "type":
        label += " (VCSE, statutory, other)"
    return partition, label[0].upper() + label[1:]


def group_in_words(group: dict) -> str:
    """A group chosen by sector, borough and community, said as one phrase.

    >>> group_in_words({"sector": "Housing", "borough": "Wigan"})
    'Housing in Wigan'
    >>> group_in_words({"borough": "Wigan", "community": "Peer support"})
    'everyone in Wigan, in the Peer support community'
    >>> group_in_words({"id": "org:x"}), group_in_words({})
    ('the chosen organisation', 'no one chosen yet')
    """
    if "id" in group:
        kind = "person" if str(group["id"]).casefold().startswith("person:") else "organisation"
        return f"the chosen {kind}"
    words = group.get("sector") or ""
    if group.get("organisation"):
        words = f"{words or 'people'} at {group['organisation']}"
    if group.get("borough"):
        words = f"{words or 'everyone'} in {group['borough']}"
    if group.get("community"):
        words = (f"{words}, in " if words else "") + f"the {group['community']} community"
    return words or "no one chosen yet"


# Gould and Fernandez's brokerage roles, as a facilitator would use them: a short name, and
# what it means
ROLE_WORDS = {
    "coordinator": ("within their group", "links two people of their own group"),
    "itinerant": ("within another group", "links two people of one other group"),
    "representative": ("out of their group", "carries their own group's contacts out to "
                       "another group"),
    "gatekeeper": ("into their group", "brings another group's contacts into their own"),
    "liaison": ("between two other groups", "links two groups, neither of them their own"),
}
CLEARLY_ABOVE_CHANCE = 1.96  # a z-score this high arises by chance about 1 time in 40


def reliance(constraint) -> str:
    """Burt's constraint in words: how much a node's contacts all know each other (high) or
    are spread across circles that do not meet (low).

    >>> [reliance(c) for c in (0.1, 0.3, 0.7, None)]
    ['low', 'medium', 'high', '–']
    """
    if constraint is None:
        return "–"
    return "low" if constraint < 0.2 else "medium" if constraint < 0.5 else "high"


FACT_LABELS = {"sector": "Sector", "sectors": "Sectors", "borough": "Borough",
               "community": "Community of practice (most sessions)", "senior": "Senior role",
               "type": "Type of organisation", "scope": "Scope",
               "lived_experience": "Takes part with lived experience"}
LIVED_EXPERIENCE_WORDS = {"none": "No", "lived_experience": "Yes, as someone with lived "
                          "experience", "carer": "Yes, as a carer"}
HIDDEN_FACTS = ("id", "kind", "name", "consent", "organisation", "organisation_id")


def known_facts(attributes: dict) -> list[tuple[str, str]]:
    """A node's attributes as a page lists them: labels and values in words, never a raw
    value ("Senior False", "vcse", "Housing;Health").

    >>> facts = known_facts({"senior": False, "type": "vcse", "sectors": "Housing;Health",
    ...                      "consent": "named", "borough": ""})
    >>> facts[0], facts[2]
    (('Senior role', 'No'), ('Sectors', 'Housing, Health'))
    >>> facts[1][1]
    'VCSE (voluntary, community and social enterprise)'
    """
    facts = []
    for key, value in attributes.items():
        if key in HIDDEN_FACTS or value in ("", None):
            continue
        if key == "sectors":
            if ";" not in str(value):
                continue  # one sector: already said under Sector
            value = ", ".join(str(value).split(";"))
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        elif key == "lived_experience":
            value = LIVED_EXPERIENCE_WORDS.get(value, value)
        elif key in GROUP_LABELS:
            value = group_label(value, key)
        facts.append((FACT_LABELS.get(key, key.replace("_", " ").capitalize()), str(value)))
    return facts


FILTERS = {"counted": counted, "day": day, "day_and_time": day_and_time, "reliance": reliance,
           "known_facts": known_facts, "group_label": group_label,
           "route_share": route_share, "partition_label": partition_label,
           "group_in_words": group_in_words}


def register(blueprint) -> None:
    """Make the filters available to every template of the app."""
    for name, function in FILTERS.items():
        blueprint.add_app_template_filter(function, name)
