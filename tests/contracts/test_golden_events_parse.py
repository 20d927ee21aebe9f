"""Every golden message in tests/contracts/ must keep parsing: they are the wire contract.

A failing file here means a change broke consumers already deployed; publish a new
schema_version beside the old one instead of editing the model in place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yumiao_common.contracts.events import event_tag
from yumiao_common.contracts.events import event_types
from yumiao_common.contracts.events import parse_event

#: Event samples; ``profile.example.json`` is the golden profile (see test_golden_profile.py).
GOLDEN = sorted(p for p in Path(__file__).parent.glob("*.json")
                if not p.name.startswith("profile."))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_message_parses_to_its_declared_type(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    event = parse_event(path.read_bytes())
    assert (event.type, event.schema_version) == (raw["type"], raw["schema_version"])
    assert str(event.id) == raw["id"]


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_message_round_trips(path: Path) -> None:
    event = parse_event(path.read_bytes())
    assert parse_event(event.model_dump_json()) == event


def test_every_event_type_has_a_golden_sample() -> None:
    covered = {json.loads(p.read_text(encoding="utf-8"))["type"] for p in GOLDEN}
    assert {cls.model_fields["type"].default for cls in event_types()} <= covered


def test_union_tags_match_their_classes() -> None:
    for path in GOLDEN:
        event = parse_event(path.read_bytes())
        assert event_tag(event) == event_tag(json.loads(path.read_text(encoding="utf-8")))


def test_unknown_fields_are_ignored_within_a_version() -> None:
    raw = json.loads((Path(__file__).parent / "registry.pipeline.moved.v1.json").read_text())
    raw["added_later"] = 1
    raw["payload"]["also_added_later"] = "x"
    assert parse_event(json.dumps(raw)).type == "registry.pipeline.moved"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        b'{"type": "registry.pipeline.moved", "schema_version": 2}',
        b'{"type": "no.such.event", "schema_version": 1}',
    ],
    ids=["not-json", "empty", "unknown-version", "unknown-type"],
)
def test_bad_messages_are_rejected(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_event(body)


def test_enterprise_changed_sample_carries_a_valid_profile() -> None:
    """Scoring validates the snapshot with Profile; the golden one must pass as scoring sees it."""
    from yumiao_common.contracts.profile import Profile

    sample = Path(__file__).parent / "registry.enterprise.changed.v1.json"
    event = parse_event(sample.read_bytes())
    profile = Profile.model_validate(event.payload.profile)  # type: ignore[attr-defined]
    assert profile.enterprise.uscc == "91371502MA3DHUQR57"
