"""Shared fixtures: a ``store`` over every real backend, a service, the demo, the app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphsvc.paths import demo_dir
from graphsvc.service import Graphsvc
from graphsvc.store import open_store

SHARED_GEO = Path(__file__).resolve().parents[2] / "shared" / "geo"
BACKENDS = ["sqlite"]


def demo_files() -> list[Path]:
    """Every file of the demo, in every format."""
    return sorted(p for p in demo_dir().rglob("*") if p.suffix in (".csv", ".xlsx"))


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """An empty store of each real backend."""
    opened = open_store(tmp_path / "contract.db")
    yield opened
    opened.close()


@pytest.fixture
def service(tmp_path) -> Graphsvc:
    svc = Graphsvc(tmp_path / "graphsvc.db")
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """The demo data loaded once through the real loaders; copy it before writing."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    svc = Graphsvc(path)
    svc.load(demo_files())
    svc.close()
    return path


@pytest.fixture
def demo_service(demo_database, tmp_path) -> Graphsvc:
    path = tmp_path / "demo.db"
    shutil.copy(demo_database, path)
    svc = Graphsvc(path)
    yield svc
    svc.close()


@pytest.fixture
def app(demo_service):
    from graphsvc.web import create_app

    return create_app({"TESTING": True}, service=demo_service)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()
