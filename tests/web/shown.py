"""What an answer shows, key by key, checked against the service's allow-list
(graphsvc.service.present) from outside: each dict is classified by what it holds."""

from __future__ import annotations

from graphsvc.service.present import (ANONYMOUS_PERSON, ANONYMOUS_TIE, MAPPINGS, NAMED_PERSON,
                                      SHARED)


def keys_of(value, path: str = "") -> list[tuple[str, str, dict]]:
    """Every (key, path to its dict, the dict) of a JSON value."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((key, path, value))
            found += keys_of(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            found += keys_of(item, path)
    return found


def unlisted_keys(data) -> list[str]:
    """Keys of ``data`` the allow-list does not give for what their dict is: a person shown by
    token, a named person, a tie to someone unnamed, or anything else (shared). Dicts keyed by
    data (borough or community names) are passed over."""
    wrong = []
    for key, path, holder in keys_of(data):
        ident = holder.get("id") if isinstance(holder.get("id"), str) else ""
        if ident.startswith("anon:"):
            allowed = ANONYMOUS_PERSON
        elif ident.startswith("person:"):
            allowed = NAMED_PERSON
        elif any(str(holder.get(end, "")).startswith("anon:") for end in ("from", "to")):
            allowed = ANONYMOUS_TIE
        elif path.rsplit(".", 1)[-1] in MAPPINGS:
            continue
        else:
            allowed = SHARED
        if key not in allowed:
            wrong.append(f"{path}.{key}")
    return sorted(set(wrong))
