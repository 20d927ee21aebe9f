"""Profile snapshots, audit diffs and outbox envelopes of newly imported enterprises, as JSON.

A new enterprise's profile is exactly what the import wrote (no IP, titles or assessments
yet), so it is rendered straight from the validated records instead of read back row by row
(``registry.handlers.profile.build_profile`` gives the same document; a test holds them equal). Each
block is serialised once and the text is reused in the audit diff and the event. The envelope
layout comes from the ``EnterpriseChanged`` contract itself: one model instance per job is
dumped with placeholders, and each event only substitutes its id and profile.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any
from typing import Final

from registry.handlers.profile import ENTERPRISE_FIELDS
from registry.models.enterprise import FLAG_FIELDS
from registry.models.financials import FIGURE_FIELDS
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.registry import EnterpriseChangedPayload

CHANGE: Final = "enterprise.imported"
_PLACEHOLDER: Final = "__profile__"
_EMPTY_LISTS: Final = ',"ip":[],"awards":[],"rd_institutions":[],"standards_led":[],' \
    '"certifications":[]'
# quality items are not imported: left out of the profile, so unknown (not "none")
_ASSESSMENTS: Final = json.dumps({"digital_level": None, "hnte_expert": None,
                                  "srdi_dev_score": None, "srdi_dev_score_prev": None,
                                  "shandong": None},
                                 separators=(",", ":"))


#: one encoder for the whole process (``json.dumps`` with options builds one per call);
#: ``default=str`` renders dates ISO and Decimals as strings, exactly as
#: ``handlers.journal.jsonable``
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
YEAR_KEYS: Final = ("year", *FIGURE_FIELDS)


def enterprise_json(values: dict[str, Any]) -> str:
    """The profile's ``enterprise`` block of a new enterprise (column values as inserted)."""
    block = dict(zip(ENTERPRISE_FIELDS, map(values.get, ENTERPRISE_FIELDS), strict=True))
    products = values.get("main_product_fields")
    if products is None:  # not given: left out of the profile (unknown), as build_profile does
        del block["main_product_fields"]
    else:
        block["main_product_fields"] = list(products)
    block["flags"] = {f: values.get(f) for f in FLAG_FIELDS}  # as imported; blank: unknown
    return dumps(block)


def years_json(years: list[tuple[Any, ...]]) -> str:
    """The ``financials`` list from per-year tuples in ``YEAR_KEYS`` order (absent → null).

    Built with ``dict(zip(...))`` and one encoder call per enterprise: the generic
    ``jsonable`` walk per value cost more than the whole encoding.
    """
    return dumps([dict(zip(YEAR_KEYS, year, strict=True)) for year in years])


def names_json(names: list[str]) -> str:
    """A JSON list of validated keys (ASCII identifiers: nothing to escape)."""
    return "[" + ",".join(f'"{n}"' for n in names) + "]"


def profile_json(as_of: date, enterprise: str, years: str) -> str:
    return (f'{{"as_of":"{as_of.isoformat()}","enterprise":{enterprise},'
            f'"financials":{years}{_EMPTY_LISTS},"assessments":{_ASSESSMENTS}}}')


def audit_json(enterprise: str, years: list[int]) -> str:
    """Audit diff of a created enterprise: its fields from null, and the fiscal years added.

    The figures themselves are not repeated here: they are the rows' first version, and
    every later change of them is audited with its ``from`` value, so history stays complete
    while the audit log does not hold a second copy of every imported figure.
    """
    return (f'{{"enterprise":{{"from":null,"to":{enterprise}}},'
            f'"financials":{{"from":null,"to":[{",".join(map(str, years))}]}}}}')


class EnvelopeTemplate:
    """The ``registry.enterprise.changed`` envelope of one job, with slots for per-event values.

    Slots: the event id, the profile, and — when the contract has them — ``town_code`` and
    ``pools``. Everything else (type, producer, time, correlation id, change, version) is the
    contract's own rendering of one sample event, so the text cannot drift from the model.
    """

    def __init__(self, correlation_id: str | None, change: str = CHANGE) -> None:
        fields = EnterpriseChangedPayload.model_fields
        payload: dict[str, Any] = {"profile": {_PLACEHOLDER: 0}, "change": change, "version": 1}
        markers = {"profile": dumps({_PLACEHOLDER: 0})}
        if "town_code" in fields:
            payload["town_code"] = "__town_code__"
            markers["town_code"] = '"__town_code__"'
        if "pools" in fields:
            payload["pools"] = ["__pools__"]
            markers["pools"] = '["__pools__"]'
        sample = EnterpriseChanged(correlation_id=correlation_id,
                                   payload=EnterpriseChangedPayload.model_validate(payload))
        self.occurred_at = sample.occurred_at
        markers["id"] = str(sample.id)
        self._parts, self._slots = _split(sample.model_dump_json(), markers)

    def render(self, event_id: uuid.UUID, profile: str, town_code: str | None = None,
               pools: tuple[str, ...] = ()) -> str:
        values = {"id": str(event_id), "profile": profile, "town_code": dumps(town_code),
                  "pools": dumps(list(pools))}
        out = [self._parts[0]]
        for slot, part in zip(self._slots, self._parts[1:], strict=True):
            out.append(values[slot])
            out.append(part)
        return "".join(out)


def _split(text: str, markers: dict[str, str]) -> tuple[list[str], list[str]]:
    """Cut ``text`` at each marker, in order of appearance: the fixed parts and slot names."""
    found = sorted((text.index(marker), name, marker) for name, marker in markers.items())
    parts, slots, at = [], [], 0
    for position, name, marker in found:
        parts.append(text[at:position])
        slots.append(name)
        at = position + len(marker)
    parts.append(text[at:])
    return parts, slots
