"""Rulebooks: versioned data files, compiled once into closures.

``rulebooks/<tier>/<effective-date>.json`` holds a tier's thresholds, bands, points, pass
mark, citations and titles; the version in force on ``as_of`` is the one with the latest
effective date not after it (MIIT 2022 vs 2026: the 2026 files take effect 2026-04-01). A new
policy year is a new file, not new code.

A number written ``{"value": "...", "local": true}`` is a *local parameter*: an unverified
default the bureau may override by id (``<tier>.<criterion>.<arg>``; the id is the same in
every version of the tier so an override survives a new rulebook). Its ``source`` says why it
is unverified (``not_found``: a placeholder; ``memory``: not read in a source), and a
criterion using one is never ``confirmed``. Citations name the document and article only;
research markers ("[MEM]", "[REPO]"…) never appear in them (tests enforce it).
Compilation turns every number into ``Decimal`` and every criterion into a closure; the
result is cached per (version, overrides) so evaluation never touches JSON.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from scoring.domain.factinfo import info
from scoring.domain.rules import BUILDERS
from scoring.domain.rules.base import Rule
from scoring.domain.rules.base import ladder_improve
from scoring.domain.verdict import Spec

Overrides = tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class LocalParameter:
    """An overridable, unverified number of a rulebook (listed by ``local_parameters()``)."""

    id: str
    tier: str
    criterion: str
    default: Decimal
    unit: str
    title_zh: str
    title_en: str
    citation: str
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "tier": self.tier, "criterion": self.criterion,
            "default": str(self.default), "unit": self.unit,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "citation": self.citation, "note": self.note, "confirmed": False,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Compiled:
    """One rulebook version compiled with a given set of overrides."""

    tier: str
    version: str
    title_zh: str
    title_en: str
    specs: tuple[Spec, ...]
    rules: tuple[Rule, ...]
    pass_mark: Decimal | None
    strict: bool
    out_of: Decimal | None
    groups: tuple[tuple[str, tuple[int, ...], Decimal | None, Decimal | None], ...]
    route_order: tuple[str, ...]
    raw: Mapping[str, Any]
    # Precomputed row positions, so evaluation never scans specs by role.
    gate_idx: tuple[int, ...] = ()
    route_idx: tuple[tuple[str, tuple[int, ...]], ...] = ()
    loose_score_idx: tuple[int, ...] = ()
    total_spec: Spec | None = None
    group_specs: Mapping[str, Spec] | None = None
    #: Rows of the ``review`` criteria (not computable from a profile; see ``engine``).
    review_idx: tuple[int, ...] = ()


def _files() -> dict[str, list[tuple[date, dict[str, Any]]]]:
    root = resources.files("scoring") / "rulebooks"
    found: dict[str, list[tuple[date, dict[str, Any]]]] = {}
    for tier_dir in root.iterdir():
        if not tier_dir.is_dir():
            continue
        for item in tier_dir.iterdir():
            if item.name.endswith(".json"):
                data = json.loads(item.read_text(encoding="utf-8"))
                found.setdefault(data["tier"], []).append(
                    (date.fromisoformat(data["effective_from"]), data)
                )
    return {tier: sorted(books, key=lambda b: b[0]) for tier, books in found.items()}


@cache
def all_rulebooks() -> dict[str, list[tuple[date, dict[str, Any]]]]:
    return _files()


@cache
def _dates(tier: str) -> list[date]:
    return [d for d, _ in all_rulebooks().get(tier, [])]


def rulebook_for(tier: str, as_of: date) -> dict[str, Any] | None:
    """The raw rulebook of ``tier`` in force on ``as_of`` (None before the first one)."""
    i = bisect_right(_dates(tier), as_of)
    return all_rulebooks()[tier][i - 1][1] if i else None


def version_of(data: Mapping[str, Any]) -> str:
    return f"{data['tier']}@{data['effective_from']}"


def _num(value: Any) -> Any:
    if isinstance(value, str | int) and not isinstance(value, bool):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    if isinstance(value, list):
        return [_num(v) for v in value]
    if isinstance(value, dict):
        return {k: _num(v) for k, v in value.items()}
    return value


def _resolve(
    tier: str, cid: str, args: Mapping[str, Any], ov: Mapping[str, Decimal]
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Args with numbers as Decimal and local parameters replaced by overrides."""
    out: dict[str, Any] = {}
    used: list[str] = []
    for name, raw in args.items():
        if isinstance(raw, dict) and "value" in raw:
            pid = f"{tier}.{cid}.{name}"
            out[name] = ov.get(pid, Decimal(raw["value"]))
            if raw.get("local"):
                used.append(pid)
        elif name in ("fact", "levels", "titles", "values", "op"):
            out[name] = raw
        else:
            out[name] = _num(raw)
    return out, tuple(used)


def _spec(tier: str, c: Mapping[str, Any], args: Mapping[str, Any], used: tuple[str, ...]) -> Spec:
    ladder = args.get("steps") or args.get("ladders") or args.get("alternatives") or [[[None]]]
    fact = c.get("fact") or args.get("fact") or ladder[0][0]
    if isinstance(fact, list):
        fact = fact[0]
    fi = info(str(fact))
    improve = reach = None
    if c["check"] in ("ladder", "best_of"):
        improve = ladder_improve(dict(args))
        steps = list(args.get("steps", [])) + [s for lad in args.get("ladders", []) for s in lad]
        reach = max((s[4] for s in steps if info(s[0]).closable), default=None)
    return Spec(
        id=f"{tier}.{c['id']}", title_zh=c["title"]["zh"], title_en=c["title"]["en"],
        citation=c["citation"], role=c["role"], route=c.get("route"),
        unit=c.get("unit", fi.unit), gap_unit=fi.gap_unit, what_zh=fi.what_zh,
        what_en=fi.what_en, requirement=c.get("requirement", ""), local_params=used,
        confirmed=_confirmed(c),
        points_max=_num(c["points_max"]) if "points_max" in c else None,
        group=c.get("group"), improve=improve, reach=reach,
        fact=None if fact is None else str(fact),
        note_units=tuple(sorted((c.get("unit_by_note") or {}).items())),
    )  # fmt: skip


def _confirmed(c: Mapping[str, Any]) -> bool:
    """A criterion is confirmed only when marked so and none of its numbers is a local
    parameter (an unverified default: a placeholder "not found", or read from memory)."""
    local = any(isinstance(v, dict) and v.get("local") for v in (c.get("args") or {}).values())
    return bool(c.get("confirmed", True)) and not local


@cache
def compile_rulebook(tier: str, effective: str, overrides: Overrides = ()) -> Compiled:
    """Compile one version; cached, so the JSON is read and walked once per override set."""
    data = next(d for day, d in all_rulebooks()[tier] if day.isoformat() == effective)
    ov = dict(overrides)
    specs: list[Spec] = []
    rules: list[Rule] = []
    for c in data["criteria"]:
        args, used = _resolve(tier, c["id"], c.get("args", {}), ov)
        spec = _spec(tier, c, args, used)
        specs.append(spec)
        rules.append(BUILDERS[c["check"]](spec, args))
    score = data.get("score") or {}
    groups = tuple(
        (
            name,
            tuple(i for i, s in enumerate(specs) if s.group == name and s.role == "score"),
            _num(g["cap"]) if "cap" in g else None,
            _num(g["min"]) if "min" in g else None,
        )
        for name, g in (score.get("groups") or {}).items()
    )
    return Compiled(
        tier=tier, version=version_of(data), title_zh=data["title"]["zh"],
        title_en=data["title"]["en"], specs=tuple(specs), rules=tuple(rules),
        pass_mark=_num(score["pass_mark"]) if score else None,
        strict=bool(score.get("strict", False)),
        out_of=_num(score["out_of"]) if score else None, groups=groups,
        route_order=tuple(data.get("routes", ())), raw=data,
        review_idx=tuple(i for i, c in enumerate(data["criteria"]) if c["check"] == "review"),
        **_positions(specs, groups, tuple(data.get("routes", ())), bool(score)),
        **_score_specs(tier, score),
    )  # fmt: skip


def _score_specs(tier: str, score: Mapping[str, Any]) -> dict[str, Any]:
    """Specs of the synthesized rows: the total against the pass mark, group minimums."""
    if not score:
        return {}
    op = ">" if score.get("strict") else "≥"
    common = {"citation": score["citation"], "role": "route", "route": "score",
              "unit": "points", "gap_unit": "points", "what_zh": "得分", "what_en": "points"}
    total = Spec(id=f"{tier}.score_total", title_zh="评价总分", title_en="Total score",
                 requirement=f"{op} {score['pass_mark']}", **common)
    groups = {
        name: Spec(id=f"{tier}.group_{name}", title_zh=g["title"]["zh"],
                   title_en=g["title"]["en"], requirement=f"≥ {g['min']}", **common)
        for name, g in (score.get("groups") or {}).items() if "min" in g
    }
    return {"total_spec": total, "group_specs": groups}  # fmt: skip


def _positions(
    specs: list[Spec], groups: tuple[Any, ...], routes: tuple[str, ...], scored: bool
) -> dict[str, Any]:
    """Row indexes by role; synthesized score rows (total, then group minimums) come last."""
    n = len(specs)
    synth = [n] + [n + 1 + k for k, g in enumerate(g for g in groups if g[3] is not None)]
    route_idx = tuple(
        (r, tuple(i for i, s in enumerate(specs) if s.role == "route" and s.route == r)
         + (tuple(synth) if r == "score" and scored else ()))
        for r in routes
    )
    grouped = {i for g in groups for i in g[1]}
    return {
        "gate_idx": tuple(i for i, s in enumerate(specs) if s.role == "gate"),
        "route_idx": route_idx,
        "loose_score_idx": tuple(
            i for i, s in enumerate(specs) if s.role == "score" and i not in grouped
        ),
    }  # fmt: skip


def local_parameters() -> list[LocalParameter]:
    """Every overridable parameter of every rulebook version, newest version's default."""
    found: dict[str, LocalParameter] = {}
    for tier, books in sorted(all_rulebooks().items()):
        for _day, data in books:
            for c in data["criteria"]:
                for name, raw in (c.get("args") or {}).items():
                    if isinstance(raw, dict) and raw.get("local"):
                        pid = f"{tier}.{c['id']}.{name}"
                        found[pid] = LocalParameter(
                            id=pid, tier=tier, criterion=f"{tier}.{c['id']}",
                            default=Decimal(raw["value"]), unit=raw.get("unit", ""),
                            title_zh=c["title"]["zh"], title_en=c["title"]["en"],
                            citation=c["citation"], note=raw.get("note", ""),
                        )  # fmt: skip
    return list(found.values())


def list_rulebooks() -> list[dict[str, Any]]:
    """Every rulebook version: tier, version, effective date, titles and documents."""
    return [
        {
            "tier": tier, "version": version_of(data), "effective_from": day.isoformat(),
            "title": data["title"], "documents": data.get("documents", []),
            "criteria": [
                {"id": f"{tier}.{c['id']}", "title": c["title"], "citation": c["citation"],
                 "role": c["role"], "route": c.get("route"), "confirmed": _confirmed(c),
                 **({"review": True} if c["check"] == "review" else {}),
                 "local_parameters": [f"{tier}.{c['id']}.{n}" for n, v in
                                      (c.get("args") or {}).items()
                                      if isinstance(v, dict) and v.get("local")]}
                for c in data["criteria"]
            ],
        }
        for tier, books in sorted(all_rulebooks().items())
        for day, data in books
    ]  # fmt: skip


def documents_of(version: str) -> tuple[str, ...]:
    """The official documents of a rulebook version ``<tier>@<effective date>``."""
    tier, _, effective = version.partition("@")
    for day, data in all_rulebooks().get(tier, ()):
        if day.isoformat() == effective:
            return tuple(str(d) for d in data.get("documents") or ())
    return ()
