"""The deployment files: docker-compose.yml is a valid Compose file that runs the app on Neo4j
(checked by compose-go, the loader docker compose itself uses, built by .ci/run), and the
Dockerfile runs gunicorn as a non-root user."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKER = ROOT / "scripts" / "compose-check" / "compose-check"


def load(compose: Path, env: Path) -> subprocess.CompletedProcess:
    if not CHECKER.exists():
        why = ("the Compose check needs scripts/compose-check built (install Go, then "
               "cd scripts/compose-check && go build -o compose-check .; .ci/run does)")
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        if shutil.which("go") is None:
            pytest.skip(why)
        subprocess.run(["go", "build", "-o", "compose-check", "."], cwd=CHECKER.parent,
                       check=True)
    return subprocess.run([str(CHECKER), str(compose), str(env)], capture_output=True,
                          text=True, timeout=60)


def test_the_compose_file_is_valid_and_runs_the_app_on_a_healthy_neo4j():
    result = load(ROOT / "docker-compose.yml", ROOT / ".env.example")
    assert result.returncode == 0, result.stderr
    project = json.loads(result.stdout)
    neo4j, app = project["services"]["neo4j"], project["services"]["app"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert neo4j["healthcheck"]["test"][0] == "CMD-SHELL"
    assert neo4j["environment"]["NEO4J_AUTH"] == "neo4j/change-me-to-a-long-random-password"
    assert neo4j["environment"]["NEO4J_server_memory_heap_max__size"] == "2G"
    assert any(v["type"] == "volume" and v["target"] == "/data" for v in neo4j["volumes"])
    assert "neo4j-data" in project["volumes"]
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["environment"]["GRAPHSVC_DATABASE"] == "bolt://neo4j:7687"
    assert app["environment"]["GRAPHSVC_NEO4J_PASSWORD"] == neo4j["environment"]["NEO4J_AUTH"][6:]
    assert app["build"]["context"] == str(ROOT)
    assert app["environment"]["GRAPHSVC_PRODUCTION"] == "1"
    accounts = app["environment"]["GRAPHSVC_ACCOUNTS"]  # users and audit log kept in the volume
    assert any(v["type"] == "volume" and accounts.startswith(v["target"] + "/")
               for v in app["volumes"])
    assert all(p["host_ip"] == "127.0.0.1" for s in (neo4j, app) for p in s.get("ports", []))


def test_a_broken_compose_file_is_refused(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text((ROOT / "docker-compose.yml").read_text().replace(
        "condition: service_healthy", "condition: when_it_feels_like_it"))
    result = load(broken, ROOT / ".env.example")
    assert result.returncode == 1 and "condition" in result.stderr


def test_a_missing_secret_stops_the_deployment(tmp_path):
    env = tmp_path / "empty.env"
    env.write_text("GRAPHSVC_SECRET_KEY=x\n")
    result = load(ROOT / "docker-compose.yml", env)
    assert result.returncode == 1 and "set NEO4J_PASSWORD in .env" in result.stderr


def instructions() -> list[list[str]]:
    """The Dockerfile's instructions, each as [word, the rest]."""
    return [line.split(None, 1) for line in (ROOT / "Dockerfile").read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def test_the_image_runs_gunicorn_as_a_user_not_root():
    lines = instructions()
    users = [rest.strip() for word, rest in lines if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert lines[-1][0] == "CMD" and "gunicorn" in lines[-1][1]
    assert any(word == "RUN" and "[neo4j" in rest for word, rest in lines)
    assert not (ROOT / ".env").exists() or ".env" in (ROOT / ".gitignore").read_text()


def test_the_image_installs_the_wheel_not_the_checkout():
    """The image's app is the wheel (built in its first stage, as scripts/check-wheel builds and
    tests it in CI), so a module missing from the wheel is missing from the image too."""
    text = (ROOT / "Dockerfile").read_text()
    build, run = text.split("\nFROM ")[-2:]
    assert "pip wheel" in build and "COPY --from=wheel /wheels" in run
    assert "COPY graphsvc" not in run and "/wheels/graphsvc-" in run


def test_the_image_compiles_the_kernels_as_its_user_into_a_cache_it_keeps():
    """``graphsvc compile`` runs at build time as the user the app runs as, into the numba
    cache the app reads (NUMBA_CACHE_DIR, set before), compiled for any x86-64 CPU: else every
    container's first overview compiles them again (bench/bench_fresh.py, part c)."""
    lines = instructions()
    words = [word for word, _ in lines]
    compile_at = next(i for i, (word, rest) in enumerate(lines)
                      if word == "RUN" and rest.strip() == "graphsvc compile")
    assert compile_at > max(i for i, word in enumerate(words) if word == "USER")
    env = " ".join(rest for word, rest in lines[:compile_at] if word == "ENV").split()
    settings = dict(item.split("=", 1) for item in env)
    assert settings["NUMBA_CPU_NAME"] == "generic"
    assert settings["NUMBA_CACHE_DIR"].startswith("/home/graphsvc/")
