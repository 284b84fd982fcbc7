"""Accounts on a real SQLite file: password hashing, token digests, and an audit log that the
app cannot edit and that shows edits made behind its back."""

from __future__ import annotations

import sqlite3

import pytest

from graphsvc.accounts import Accounts
from graphsvc.errors import InputError, NotFound

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(tmp_path):
    made = Accounts(tmp_path / "accounts.db")
    yield made
    made.close()


def test_passwords_are_hashed_with_scrypt_and_checked(accounts, tmp_path):
    accounts.add_user("ann", PASSWORD, "facilitator", communities=["Carers"], boroughs=["Wigan"])
    stored = sqlite3.connect(tmp_path / "accounts.db").execute(
        "SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("scrypt:") and PASSWORD not in stored
    user = accounts.check_password("ann", PASSWORD)
    assert user.role == "facilitator" and user.communities == {"Carers"}
    assert user.boroughs == {"Wigan"}
    assert accounts.check_password("ann", PASSWORD + "x") is None
    assert accounts.check_password("nobody", PASSWORD) is None


def test_weak_passwords_unknown_roles_and_repeats_are_refused(accounts):
    with pytest.raises(InputError, match="12 characters"):
        accounts.add_user("ann", "short", "viewer")
    with pytest.raises(InputError, match="role"):
        accounts.add_user("ann", PASSWORD, "superuser")
    accounts.add_user("ann", PASSWORD, "viewer")
    with pytest.raises(InputError, match="already"):
        accounts.add_user("ann", PASSWORD, "viewer")
    with pytest.raises(NotFound):
        accounts.remove_user("bob")


def test_tokens_are_kept_only_as_digests_and_can_be_revoked(accounts, tmp_path):
    accounts.add_user("ann", PASSWORD, "viewer")
    token_id, secret = accounts.issue_token("ann", "nightly report")
    assert accounts.user_for_token(secret).username == "ann"
    accounts.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("accounts.db*"))
    assert secret.encode() not in raw
    reopened = Accounts(tmp_path / "accounts.db")
    reopened.revoke_token(token_id)
    assert reopened.user_for_token(secret) is None
    assert reopened.user_for_token("gs_guess") is None
    reopened.close()


def test_removing_a_user_ends_their_tokens(accounts):
    accounts.add_user("ann", PASSWORD, "viewer")
    _, secret = accounts.issue_token("ann", "x")
    accounts.remove_user("ann")
    assert accounts.user_for_token(secret) is None


def test_the_audit_log_refuses_edits_and_shows_edits_made_outside(accounts, tmp_path):
    for n in range(3):
        accounts.audit("ann", "view", f"/people/person:{n}")
    assert accounts.verify() is None
    db = sqlite3.connect(tmp_path / "accounts.db")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit SET actor = 'bob' WHERE id = 2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit WHERE id = 2")
    db.execute("DROP TRIGGER audit_no_update")  # someone with the file, not the app
    db.execute("UPDATE audit SET actor = 'bob' WHERE id = 2")
    db.commit()
    assert accounts.verify() == "entry 2 was edited outside graphsvc"


def behind_the_apps_back(path):
    """The accounts file opened as someone with the file (not the app) would: triggers gone."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("DROP TRIGGER audit_no_delete")
    return db


def test_an_edited_audit_entry_cannot_be_resealed_without_the_key(accounts, tmp_path):
    """The attacker knows the format and re-chains every entry after the edit (with SHA-256,
    and with a MAC under a key of their own); the anchor too."""
    import hashlib
    import hmac
    import json

    for n in range(4):
        accounts.audit("ann", "view", f"/people/person:{n}")
    db = behind_the_apps_back(tmp_path / "accounts.db")
    db.execute("UPDATE audit SET actor = 'bob' WHERE id = 2")
    for seal in (lambda text: hashlib.sha256(text).hexdigest(),
                 lambda text: hmac.new(b"a guess", text, hashlib.sha256).hexdigest()):
        previous = ""
        for row in db.execute("SELECT id, at, actor, action, target, detail FROM audit "
                              "ORDER BY id").fetchall():
            digest = seal(json.dumps([previous, *row[1:]]).encode())
            db.execute("UPDATE audit SET previous = ?, hash = ? WHERE id = ?",
                       (previous, digest, row[0]))
            previous = digest
        entries = db.execute("SELECT count(*) FROM audit").fetchone()[0]
        db.execute("UPDATE audit_anchor SET entries = ?, last = ?, seal = ?", (
            entries, previous, seal(json.dumps(["anchor", str(entries), previous, "1"])
                                    .encode())))
        assert accounts.verify() is not None


def test_cutting_the_audit_log_short_is_detected(accounts, tmp_path):
    for n in range(5):
        accounts.audit("ann", "view", f"/people/person:{n}")
    db = behind_the_apps_back(tmp_path / "accounts.db")
    db.execute("DELETE FROM audit WHERE id > 3")
    assert "cut short" in accounts.verify()
    db.execute("DELETE FROM audit_anchor")
    assert "anchor" in accounts.verify()


def test_fields_are_cut_to_length_before_they_are_logged(accounts, tmp_path):
    accounts.audit("x" * 5_000_000, "login failed", "y" * 5_000_000, note="z" * 5_000_000)
    size = sum(p.stat().st_size for p in tmp_path.glob("accounts.db*"))
    assert size < 500_000
    [entry] = accounts.audit_entries(limit=1)
    assert len(entry["actor"]) <= 2000 and len(entry["target"]) <= 2000
