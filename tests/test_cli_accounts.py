"""``graphsvc user``, ``token`` and ``audit`` on a real accounts file."""

from __future__ import annotations

from graphsvc.accounts import Accounts
from graphsvc.cli import main
from tests.conftest import ADMIN

PASSWORD = "a long enough password"


def test_users_tokens_and_the_audit_log_from_the_command_line(runner, tmp_path):
    db = ["--db", str(tmp_path / "graphsvc.db")]
    added = runner.invoke(main, ["user", "add", "ann", "--role", "facilitator", "--community",
                                 "Carers", "--borough", "Wigan", "--password-stdin", *db],
                          input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    listed = runner.invoke(main, ["user", "list", *db])
    assert "ann\tfacilitator\tCarers, Wigan" in listed.output
    short = runner.invoke(main, ["user", "add", "bob", "--role", "viewer", "--password-stdin",
                                 *db], input="short\n")
    assert short.exit_code == 1 and "12 characters" in short.output

    issued = runner.invoke(main, ["token", "add", "ann", "report", *db])
    secret = issued.stdout.strip().splitlines()[-1]
    accounts = Accounts(tmp_path / "graphsvc.db.accounts.db")
    assert accounts.user_for_token(secret).username == "ann"
    assert runner.invoke(main, ["token", "revoke", "1", *db]).exit_code == 0
    assert accounts.user_for_token(secret) is None

    reset = runner.invoke(main, ["user", "reset", "ann", "--password-stdin", *db],
                          input=PASSWORD + "2\n")
    assert reset.exit_code == 0 and accounts.check_password("ann", PASSWORD + "2")
    assert runner.invoke(main, ["user", "remove", "ann", *db]).exit_code == 0
    assert runner.invoke(main, ["user", "remove", "ann", *db]).exit_code == 1

    log = runner.invoke(main, ["audit", *db]).output
    for action in ("user added", "token issued", "token revoked", "password reset",
                   "user removed"):
        assert action in log
    assert "whole" in runner.invoke(main, ["audit", "--verify", *db]).output


def test_consent_from_the_command_line(runner, tmp_path):
    from graphsvc.service import Graphsvc
    from tests.web.test_auth import _sheet

    database = tmp_path / "graphsvc.db"
    service = Graphsvc(database)
    service.imports.load(ADMIN, [_sheet(tmp_path)])
    service.close()
    db = ["--db", str(database)]
    result = runner.invoke(main, ["consent", "real@example.org", "aggregate", *db])
    assert result.exit_code == 0, result.output
    assert [p.consent for p in Graphsvc(database).store.people()] == ["aggregate"]
    assert "consent" in runner.invoke(main, ["audit", *db]).output
    wrong = runner.invoke(main, ["consent", "nobody@example.org", "named", *db])
    assert wrong.exit_code == 1 and "no person" in wrong.output
