"""The demo's tables — counties, people's names and workplaces, texts — are JSON files in
``data/`` beside this module, so that they read (and are edited) as data; the modules that use
them (``counties``, ``people``, ``texts``) keep the logic and give each table its Python shape."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).with_name("data")


def read_table(name: str) -> dict:
    """The contents of ``data/<name>.json``."""
    with (DATA / f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)
