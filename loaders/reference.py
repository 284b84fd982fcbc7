"""The project's own reference data: Greater Manchester's boroughs and the sector taxonomy."""

from __future__ import annotations

import csv
from pathlib import Path

from graphsvc.rules import REGISTER
from graphsvc.model import Batch, Place, Sector, place_id, sector_id
from graphsvc.resources import data_dir

REGION_CODE = "E47000001"  # ONS code of the Greater Manchester Combined Authority area
REGION_NAME = "Greater Manchester"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_reference(folder: Path | None = None) -> Batch:
    """The region, its 10 boroughs and the sectors, ready to apply to a store."""
    folder = folder or data_dir()
    region = Place(place_id(REGION_CODE), "region", REGION_NAME, REGION_CODE)
    boroughs = [
        Place(place_id(row["code"]), "borough", row["name"], row["code"], region.id)
        for row in _rows(folder / "boroughs.csv")
    ]
    sectors = [
        Sector(sector_id(row["name"]), row["name"], row["category"])
        for row in _rows(folder / "sectors.csv")
    ]
    return Batch(source="reference data", places=[region, *boroughs], sectors=sectors,
                 default_stamp=REGISTER)


def borough_tiles(folder: Path | None = None) -> dict[str, tuple[int, int]]:
    """ONS code -> (column, row) of the hand-made tile map of the boroughs."""
    return {
        row["code"]: (int(row["tile_column"]), int(row["tile_row"]))
        for row in _rows((folder or data_dir()) / "boroughs.csv")
    }
