"""Shared fixtures: a ``store`` over every real backend, a service, the demo, the app."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from graphsvc import bootstrap
from graphsvc.accounts import User
from graphsvc.resources import demo_dir, demo_files
from graphsvc.service import Graphsvc
from graphsvc.store import open_store
from tests.neo4j_server import PASSWORD, Neo4jTestServer, missing_tools, wipe

ADMIN = User("test-admin", "admin", via="test")  # who the tests act as, unless they say

GEO = demo_dir().parent / "geo"  # the package's own copy of the ONS boundaries
POSTCODE_FACTS = Path(__file__).resolve().parent / "fixtures" / "postcode_facts.md"
BACKENDS = ["sqlite", "neo4j"]


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A real Neo4j server for the whole run (``scripts/neo4j-test-server``). Without Java or
    Maven the Neo4j tests skip with a line saying what to install; under CI=true they fail."""
    why = missing_tools()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    server = Neo4jTestServer(tmp_path_factory.mktemp("neo4j") / "data")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def neo4j_url(neo4j_server) -> str:
    """The test server's URL, with credentials, over an emptied database."""
    wipe(neo4j_server.url)
    return neo4j_server.url.replace("bolt://", f"bolt://neo4j:{PASSWORD}@")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """An empty store of each real backend."""
    if request.param == "neo4j":
        opened = open_store(request.getfixturevalue("neo4j_url"))
    else:
        opened = open_store(tmp_path / "contract.db")
    yield opened
    opened.close()


# -- the Neo4j-backed tests are listed by name with their result at the end of every run --
_NEO4J_RESULTS: dict[str, str] = {}


def _neo4j_backed(item) -> bool:
    """A test that talks to a real Neo4j: through the server fixture, the ``store`` fixture's
    Neo4j case, or marked ``neo4j`` (one that starts a server of its own)."""
    callspec = getattr(item, "callspec", None)
    return (item.get_closest_marker("neo4j") is not None
            or "neo4j_server" in getattr(item, "fixturenames", ())
            or (callspec is not None and callspec.params.get("store") == "neo4j"))


def pytest_collection_modifyitems(items):
    for item in items:
        if _neo4j_backed(item):
            _NEO4J_RESULTS[item.nodeid] = "not run"


def pytest_runtest_logreport(report):
    if report.nodeid in _NEO4J_RESULTS and (report.when == "call" or report.outcome != "passed"):
        if _NEO4J_RESULTS[report.nodeid] in ("not run", "passed"):
            _NEO4J_RESULTS[report.nodeid] = report.outcome


def pytest_terminal_summary(terminalreporter):
    if not _NEO4J_RESULTS:
        return
    terminalreporter.section("Neo4j-backed tests")
    for nodeid, outcome in _NEO4J_RESULTS.items():
        terminalreporter.write_line(f"{outcome:>8}  {nodeid}")


def pytest_sessionfinish(session):
    if os.environ.get("CI") == "true" and any(
            outcome in ("skipped", "not run") for outcome in _NEO4J_RESULTS.values()) \
            and session.testscollected and not session.config.option.keyword \
            and session.exitstatus == 0:
        session.exitstatus = 1  # under CI a Neo4j test that did not run is a failure


def build(database: Path, **settings) -> Graphsvc:
    """A service as the CLI, the app and the WSGI entry build one (graphsvc.bootstrap)."""
    return bootstrap.build(database=str(database), **{k: str(v) for k, v in settings.items()})


@pytest.fixture
def service(tmp_path) -> Graphsvc:
    svc = build(tmp_path / "graphsvc.db")
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """The demo data loaded once through the real loaders; copy it before writing."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    svc = build(path)
    svc.imports.load(ADMIN, demo_files())
    svc.close()
    return path


@pytest.fixture
def demo_service(demo_database, tmp_path) -> Graphsvc:
    """A copy of the demo database with its own copy of the archive (erasure rewrites it)."""
    import sqlite3

    path = tmp_path / "demo.db"
    shutil.copy(demo_database, path)
    archive = Path(f"{demo_database}.archive")
    shutil.copytree(archive, f"{path}.archive")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE import_files SET archive = replace(archive, ?, ?)",
                   (str(archive), f"{path}.archive"))
    svc = build(path)
    yield svc
    svc.close()


USER_PASSWORD = "a long test password"


def facilitator_community(service) -> str | None:
    """The community the test facilitator is assigned to: the demo's first by name (none in
    a store that holds no community yet)."""
    return min((c.name for c in service.store.communities()), default=None)


def make_app(service, folder: Path, **config):
    """The app over ``service``'s store with an admin, a facilitator (one community) and a
    viewer, whose accounts live in ``folder``; ``app.extensions["accounts"]`` holds them (for
    tests to inspect)."""
    from graphsvc.web import create_app

    folder.mkdir(parents=True, exist_ok=True)
    served = build(service.store.path, archive=service.archive,
                   accounts=folder / "accounts.db")
    app = create_app({"TESTING": True, **config}, service=served)
    accounts = app.extensions["accounts"] = served.access.accounts
    accounts.add_user("admin", USER_PASSWORD, "admin")
    community = facilitator_community(service)
    accounts.add_user("facilitator", USER_PASSWORD, "facilitator",
                      communities=[community] if community else [])
    accounts.add_user("viewer", USER_PASSWORD, "viewer")
    return app


@pytest.fixture
def app(demo_service, tmp_path):
    return make_app(demo_service, tmp_path)


def sign_in(client, username: str, password: str = USER_PASSWORD):
    """Sign in through the login form; later unsafe requests carry the CSRF token."""
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    with client.session_transaction() as session:
        client.environ_base["HTTP_X_CSRF_TOKEN"] = session["csrf"]
    return client


@pytest.fixture
def client(app):
    """A client signed in as the admin."""
    return sign_in(app.test_client(), "admin")


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()
