"""R as the outside oracle: skip (or, under CI, fail) with what to install when it is missing."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def r_package_or_skip(package: str) -> None:
    """Skip, or fail when CI=true, unless Rscript can load ``package`` (igraph, sna)."""
    reason = None
    if shutil.which("Rscript") is None:
        reason = "Rscript is not installed (apt-get install r-cran-igraph r-cran-sna)"
    elif subprocess.run(["Rscript", "-e", f"library({package})"],
                        capture_output=True).returncode:
        reason = f"R's {package} package is not installed (apt-get install r-cran-{package})"
    if reason and os.environ.get("CI") == "true":
        pytest.fail(reason)
    if reason:
        pytest.skip(reason)
