"""Long first computations run in a background thread while the page says so, instead of a
request that hangs: on a region's data the first overview, brokers or borough page takes
several seconds (a minute on a busy machine). Pages only: the API and the downloads answer
when the answer is ready."""

from __future__ import annotations

import threading
from typing import Callable

from flask import Flask, current_app, g, render_template

from graphsvc.service.cache import Work

# below this many attendance rows an analysis is quick enough to compute within the request
BACKGROUND_ABOVE = 50_000


class Working(Exception):
    """The page's answer is being worked out in the background (shown as a page that says so
    and refreshes itself)."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


def wait(work: Callable[[], Work], what: str) -> None:
    """Return once the page's ``work`` is done or quick enough to do now; otherwise start it
    in the background and raise :class:`Working` (``what`` names it on the page: "the
    brokers"). The attendance every analysis reads is read first, in the background too:
    even the page's question (its "as of" date) needs it."""
    reading = current_app.extensions["graphsvc"].views.reading_work(g.user)
    if not ready(reading.key, reading.done, reading.compute):
        raise Working(what)
    work = work()
    if not ready(work.key, work.done, work.compute):
        raise Working(what)


def register(app: Flask) -> None:
    @app.errorhandler(Working)
    def _working(exc: Working):
        # counts only: anything more might be the very work being waited on
        service = current_app.extensions["graphsvc"]
        return render_template("computing.html", stats=service.views.counts(g.user),
                               what=exc.what)


def ready(key: tuple, cached: bool, compute: Callable[[], object]) -> bool:
    """True if the result under ``key`` is ``cached`` or cheap; otherwise start ``compute``
    once, in the background, and return False (the page shows progress and refreshes
    itself)."""
    if cached:
        return True
    service = current_app.extensions["graphsvc"]
    attendance = service.views.attendance_rows(g.user)
    if attendance <= BACKGROUND_ABOVE and not current_app.config.get("BACKGROUND_ALWAYS"):
        return True
    jobs: dict = current_app.extensions.setdefault("graphsvc.jobs", {})
    failures: dict = current_app.extensions.setdefault("graphsvc.job_failures", {})
    lock = current_app.extensions.setdefault("graphsvc.jobs_lock", threading.Lock())
    with lock:
        if key in failures:
            raise failures.pop(key)  # shown as the error it is, then tried afresh next time
        for done in [k for k, j in jobs.items() if not j.is_alive()]:
            del jobs[done]  # finished: its result is in the service's cache (or its failure here)
        job = jobs.get(key)
        if job is None:
            job = threading.Thread(target=_keeping_failure(compute, key, failures),
                                   daemon=True, name=f"graphsvc {key[:2]}")
            jobs[key] = job
            job.start()
    return False


def _keeping_failure(compute: Callable[[], object], key: tuple, failures: dict):
    def run() -> None:
        try:
            compute()
        except Exception as exc:  # noqa: BLE001 - handed to the next request for this key
            failures[key] = exc

    return run
