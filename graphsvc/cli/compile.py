"""``graphsvc compile``: the numeric kernels compiled ahead of use.

The loops that code the attendance's texts, project it into tie networks, count paths and
find communities (numba: :mod:`graphsvc.text_codes`, :mod:`graphsvc.ties_kernels`,
:mod:`graphsvc.analyses.kernels`, :mod:`graphsvc.analyses.kernels_paths`,
:mod:`graphsvc.analyses.kernels_leiden`) are compiled the first time they run and kept in
numba's cache, keyed by the argument types they were called with. A process whose cache is empty spends about 10 s compiling in its first overview at
Greater Manchester scale (bench/bench_fresh.py, part c): after every install, and after every
start of a container whose cache is not kept. :func:`compile_kernels` runs the service's own
paths once on the bundled demo data, so the cache holds each kernel for the types the service
calls it with: a first projection, every analysis of both networks, and an import carried
forward over what was worked out.

The cache is numba's own: ``NUMBA_CACHE_DIR`` if set (the Docker image sets it, and
``NUMBA_CPU_NAME=generic`` so that what it compiles at build time serves any x86-64 machine),
else beside the installed modules when that folder is writable, else the user's cache folder.
"""

from __future__ import annotations

import importlib
import inspect
import os
import tempfile
from pathlib import Path

import click

from graphsvc.accounts import LOCAL
from graphsvc.cli.common import friendly

KERNEL_MODULES = ("graphsvc.text_codes", "graphsvc.ties_kernels", "graphsvc.analyses.kernels",
                  "graphsvc.analyses.kernels_paths", "graphsvc.analyses.kernels_leiden")
ANALYSES = ("strength", "brokers", "gaps", "communities", "change")


def kernels() -> dict[str, object]:
    """Every numba kernel of graphsvc, by its qualified name."""
    from numba.core.registry import CPUDispatcher

    found = {}
    for name in KERNEL_MODULES:
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if callable(value):  # a kernel under a lock, say (a dispatcher wraps its function)
                value = inspect.unwrap(value, stop=lambda f: isinstance(f, CPUDispatcher))
            if isinstance(value, CPUDispatcher) and value.py_func.__module__ == name:
                found[f"{name}.{attribute}"] = value
    return found


def compile_kernels(folder: Path | None = None) -> dict[str, int]:
    """Run the service's paths on the demo data in a throwaway database (in ``folder``, else
    a temporary one); how many signatures each kernel holds afterwards (compiled now or
    loaded from the cache)."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="graphsvc-compile-") as temporary:
            return compile_kernels(Path(temporary))
    from graphsvc.resources import demo_files
    from graphsvc.service import Graphsvc
    from graphsvc.service.analyses import NETWORKS

    files = demo_files()
    later = max(p for p in files if p.parent.name == "attendance")
    service = Graphsvc(folder / "compile.db", archive=folder / "archive")
    try:
        service.imports.load(LOCAL, [p for p in files if p != later])
        for network in NETWORKS:
            for name in ANALYSES:
                service.analyses.run(LOCAL, name, network=network)
        # a later sheet: the projection is carried forward over the import
        service.imports.load(LOCAL, [later])
        service.analyses.run(LOCAL, "strength")
    finally:
        service.close()
    return {name: len(kernel.signatures) for name, kernel in kernels().items()}


@click.command("compile")
@friendly
def compile_command() -> None:
    """Compile the numeric kernels now (once per install: about 20 s), so that the first
    overview after a start does not wait for them."""
    held = sum(1 for signatures in compile_kernels().values() if signatures)
    where = os.environ.get("NUMBA_CACHE_DIR") or "beside graphsvc's modules, or the user's"
    click.echo(f"{held} kernels ready in numba's cache ({where})")


COMMANDS = (compile_command,)
