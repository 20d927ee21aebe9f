"""The one golden example profile (``profile.example.json``), for every test that needs one.

It is profile.md's example with a valid credit code (the document's 18th character is wrong).
Tests, the contract test and bench/ read this file instead of keeping copies that drift apart;
each call returns a fresh copy, so a test may change it freely.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLE_PROFILE = Path(__file__).with_name("profile.example.json")


def example_profile() -> dict[str, Any]:
    """A fresh copy of the golden example profile."""
    data: dict[str, Any] = json.loads(EXAMPLE_PROFILE.read_text(encoding="utf-8"))
    return data
