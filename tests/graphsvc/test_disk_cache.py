"""Analysis results kept on disk: a restart on unchanged data answers from disk; a new
revision, another database, other code or a damaged file is a miss; what a role may see is
still applied after the cache."""

from __future__ import annotations

import json

import pytest

from graphsvc.accounts import User
from graphsvc.service import Graphsvc, analyses
from tests.graphsvc.test_carried import load

KEY = b"k" * 32
VIEWER = User("val", "viewer")


@pytest.fixture
def database(tmp_path):
    service = Graphsvc(tmp_path / "g.db", cache_dir=False)
    load(service, tmp_path, 0, {"people": [0, 1, 2, 3], "community": "Peer support", "day": 3})
    load(service, tmp_path, 1, {"people": [2, 3, 4, 5], "community": "Food network", "day": 9})
    service.close()
    return tmp_path / "g.db"


@pytest.fixture
def computed(monkeypatch):
    """The analyses actually worked out (not read from a cache), by name."""
    done = []
    run = analyses._run

    def counting(data, name, *args):
        done.append(name)
        return run(data, name, *args)

    monkeypatch.setattr(analyses, "_run", counting)
    return done


def started(database, tmp_path, **options) -> Graphsvc:
    return Graphsvc(database, cache_dir=tmp_path / "cache", anonymise_key=KEY, **options)


def as_text(result) -> str:
    return json.dumps(result, sort_keys=True, default=str)


def test_a_restart_on_unchanged_data_answers_from_disk(database, tmp_path, computed):
    first = started(database, tmp_path)
    result = first.analyses.compute("brokers", network="people")
    first.close()
    again = started(database, tmp_path)
    assert again.analyses.ready("brokers", network="people")
    assert as_text(again.analyses.compute("brokers", network="people")) == as_text(result)
    assert computed == ["brokers"]  # once, before the restart


def test_a_new_revision_is_a_miss(database, tmp_path, computed):
    first = started(database, tmp_path)
    first.analyses.compute("strength")
    load(first, tmp_path, 2, {"people": [0, 5], "community": "Housing forum", "day": 20})
    first.close()
    again = started(database, tmp_path)
    assert not again.analyses.ready("strength")
    fresh = Graphsvc(database, cache_dir=False).analyses.compute("strength")
    assert as_text(again.analyses.compute("strength")) == as_text(fresh)
    assert computed == ["strength", "strength", "strength"]
    kept = [folder.name for folder in (tmp_path / "cache").iterdir()]
    assert len(kept) == 1 and int(kept[0].split("-")[0]) == again.store.revision()


def test_another_database_at_the_same_revision_is_a_miss(database, tmp_path, computed):
    first = started(database, tmp_path)
    first.analyses.compute("strength")
    other_path = tmp_path / "other" / "g.db"
    other_path.parent.mkdir()
    other = Graphsvc(other_path, cache_dir=False)
    load(other, other_path.parent, 0, {"people": [6, 7], "community": "Peer support", "day": 3})
    load(other, other_path.parent, 1, {"people": [0, 7], "community": "Peer support", "day": 9})
    assert other.store.revision() == first.store.revision()
    other.close()
    moved = Graphsvc(other_path, cache_dir=tmp_path / "cache")
    assert not moved.analyses.ready("strength")
    moved.analyses.compute("strength")
    assert computed == ["strength", "strength"]


@pytest.mark.parametrize("damage", [lambda blob: blob[:len(blob) // 2],
                                    lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),
                                    lambda blob: b""])
def test_a_damaged_entry_is_a_miss(database, tmp_path, computed, damage):
    first = started(database, tmp_path)
    result = first.analyses.compute("gaps")
    first.close()
    for entry in (tmp_path / "cache").rglob("*.pickle"):
        entry.write_bytes(damage(entry.read_bytes()))
    again = started(database, tmp_path)
    assert as_text(again.analyses.compute("gaps")) == as_text(result)
    assert computed == ["gaps", "gaps"]


def test_what_a_viewer_may_see_is_applied_after_the_cache(database, tmp_path):
    first = started(database, tmp_path)
    admin_sees = first.analyses.compute("brokers", network="people")
    first.close()
    again = started(database, tmp_path)
    viewer_sees = again.analyses.run(VIEWER, "brokers", network="people")
    uncached = Graphsvc(database, cache_dir=False, anonymise_key=KEY)
    assert as_text(viewer_sees) == as_text(uncached.analyses.run(VIEWER, "brokers",
                                                                 network="people"))
    assert as_text(viewer_sees) != as_text(admin_sees)  # names are withheld from viewers
    key = again.analyses.key("brokers", network="people")
    found, kept = again.data.disk.get(again.data.identity(), key)
    assert found and as_text(kept) == as_text(admin_sees)  # the disk keeps it whole


def test_an_erasure_empties_the_cache(database, tmp_path):
    from tests.conftest import ADMIN

    first = started(database, tmp_path)
    first.analyses.compute("brokers", network="people")
    assert any((tmp_path / "cache").rglob("*.pickle"))
    first.records.forget(ADMIN, "ann@example.org")
    assert not any((tmp_path / "cache").rglob("*.pickle"))
