"""A real Neo4j for tests and benchmarks: ``scripts/neo4j-test-server/run.sh`` (Neo4j Community
5.26 from Maven Central, embedded, Bolt on 127.0.0.1, HTTP off) started and stopped from Python.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path

RUN = Path(__file__).resolve().parents[1] / "scripts" / "neo4j-test-server" / "run.sh"
PASSWORD = "graphsvc-test-only"  # a throwaway for a server that listens on loopback only


def missing_tools() -> str | None:
    """What to install before the Neo4j tests can run, or None."""
    lacking = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if lacking:
        return (f"the Neo4j tests need {' and '.join(lacking)}: install Java 17 and Maven "
                "(apt-get install openjdk-17-jdk-headless maven)")
    return None


class Neo4jTestServer:
    """One server over one data folder; :meth:`start` again after :meth:`kill` reopens it."""

    def __init__(self, data: Path, port: int | None = None):
        self.data = Path(data)
        self.port = port
        self.url: str | None = None
        self.process: subprocess.Popen | None = None
        self.log = self.data.parent / f"{self.data.name}.log"

    def start(self, timeout: float = 300.0) -> str:
        """Start the server and return its bolt:// URL once it answers."""
        self.data.mkdir(parents=True, exist_ok=True)
        args = [str(RUN), str(self.data), PASSWORD] + ([str(self.port)] if self.port else [])
        log = open(self.log, "ab")
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=log, start_new_session=True)
        ready = threading.Event()
        lines: list[str] = []

        def watch() -> None:
            for raw in self.process.stdout:
                line = raw.decode(errors="replace").strip()
                lines.append(line)
                if line.startswith("READY "):
                    self.url = line.split(" ", 1)[1]
                    ready.set()

        threading.Thread(target=watch, daemon=True).start()
        while not ready.wait(0.5):
            if self.process.poll() is not None or timeout <= 0:
                self.kill()
                tail = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"the Neo4j test server did not start ({' '.join(lines)}): "
                                   f"{tail}")
            timeout -= 0.5
        self.port = int(self.url.rsplit(":", 1)[1])
        return self.url

    def stop(self) -> None:
        """Shut down cleanly (the launcher stops when told, or when its input closes)."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.process.stdin.write(b"stop\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            self.kill()

    def kill(self) -> None:
        """Kill the server without warning, as a crash or a pulled plug would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def wipe(url: str) -> None:
    """Empty the database between tests (constraints stay; the store re-creates its meta node)."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(url, auth=("neo4j", PASSWORD)) as driver:
        with driver.session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                        ).consume()
