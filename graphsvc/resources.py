"""Where the project's own reference data lives, installed or in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_dir() -> Path:
    """The folder holding ``boroughs.csv``, ``sectors.csv`` and the demo data."""
    try:
        found = Path(str(resources.files("graphsvc.data")))
        if (found / "boroughs.csv").is_file():
            return found
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "data"


def demo_dir() -> Path:
    return data_dir() / "demo"


def demo_files() -> list[Path]:
    """Every file of the demo, in every format, in order (what ``graphsvc demo`` loads)."""
    return sorted(p for p in demo_dir().rglob("*") if p.suffix in (".csv", ".xlsx"))


def geo_dir() -> Path:
    """The package's copy of Greater Manchester's ONS boundaries (districts and wards)."""
    return data_dir() / "geo"
