"""The scoring rule engine: pure code (no Flask, no database), rules as versioned data.

Public API
----------
``evaluate(profile, *, tiers=None, overrides=None) -> dict[TierKey, TierResult]``
    Evaluate a validated ``yumiao_common.contracts.profile.Profile`` against the rulebook of
    each tier (all eight by default) in force on ``profile.as_of``. ``overrides`` maps local
    parameter ids (see ``local_parameters()``) to Decimal values — the bureau's settings.
    A tier with no rulebook in force on ``as_of`` is left out of the result.
``TierResult``
    ``verdict`` (eligible / ineligible / near / unknown), ``route`` ("score", a direct route
    id, "conditions" or "gates"), ``score_min`` / ``score_max`` / ``pass_mark`` / ``out_of``,
    ``criteria`` (``CriterionResult`` views), ``next_steps`` (``Step``), ``rulebook_version``,
    ``uses_local_parameter``, ``pending_review``, ``rulebook_basis`` (set when a 2026
    re-review is judged on the 2022 rulebook, see ``rereview``); ``to_dict()`` gives the
    JSON the API returns:
    ``{tier, title, verdict, route, score: {min, max, pass_mark, out_of, estimate},
    criteria: [{id, title: {zh, en}, citation, role, route, status, actual, required,
    requirement, unit, points: {min, max}, points_max, gap: {amount, unit, text_zh, text_en},
    closable, note, confirmed, uses_local_parameter, local_parameters}], next_steps:
    [{criterion, amount, unit, text_zh, text_en}], [pending_review: [criterion id]],
    rulebook_version, uses_local_parameter, local_parameters}``; a ``near`` answer also has
    ``near_rule`` (the rule that made it near, right after ``verdict``). Ratios are shown
    in percent; Decimals are strings. A criterion's status is pass / fail / unknown /
    review; ``review`` (an official criterion the profile cannot decide, or a value the
    formulas leave undefined) and ``pending_review`` (only in the answers that have review
    criteria) are explained in ``engine``. ``outcome()`` gives the typed ``TierOutcome``
    (``outcome``) the service ranks, diffs and announces; ``TierOutcome.from_json`` reads a
    stored ``to_dict()`` back into the same type (the two are equal for one result).
``list_rulebooks()``
    Every rulebook version with its criteria, citations and local parameters.
``local_parameters()``
    The overridable (unverified) parameters: id, tier, criterion, default, citation, note.

How verdicts, routes and ``near`` are decided is documented in ``engine``; gaps and their
closability in ``factinfo``; next steps in ``next_steps``. The modules depend one way:
``verdict`` (the shared types) is imported by the rules, ``rulebook``, ``gaps`` and
``next_steps``; ``result`` (``TierResult`` and its answers) imports ``gaps`` and
``next_steps``; ``engine`` imports ``rulebook`` and ``result``; ``facts`` builds on
``growth`` and ``holdings``, which know nothing of ``Facts``.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache

from scoring.domain import engine
from scoring.domain.facts import Facts
from scoring.domain.rereview import REREVIEW_BASIS
from scoring.domain.rereview import rereview_rulebook
from scoring.domain.result import TierResult
from scoring.domain.rulebook import Compiled
from scoring.domain.rulebook import LocalParameter
from scoring.domain.rulebook import Overrides
from scoring.domain.rulebook import all_rulebooks
from scoring.domain.rulebook import compile_rulebook
from scoring.domain.rulebook import list_rulebooks
from scoring.domain.rulebook import local_parameters
from scoring.domain.rulebook import rulebook_for
from scoring.domain.verdict import CriterionResult
from scoring.domain.verdict import Step
from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.profile import TierKey

__all__ = [
    "CriterionResult",
    "LocalParameter",
    "Step",
    "TierResult",
    "evaluate",
    "list_rulebooks",
    "local_parameters",
]


@cache
def _known_parameters() -> frozenset[str]:
    return frozenset(p.id for p in local_parameters())


#: Parameter ids a rulebook change retired: a stored override of one is ignored, not an error
#: (the agricultural ROA bound became one rate per year, ``…n5_roa.rate_<year>``).
RETIRED_PARAMETERS = frozenset(
    f"{tier}.n5_roa.value"
    for tier in ("agri_leader_national", "agri_leader_provincial", "agri_leader_municipal")
)


def _override_key(overrides: Mapping[str, Decimal | int | str] | None) -> Overrides:
    if not overrides:
        return ()
    if not RETIRED_PARAMETERS.isdisjoint(overrides):
        overrides = {k: v for k, v in overrides.items() if k not in RETIRED_PARAMETERS}
    known = _known_parameters()
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise KeyError(f"unknown local parameter(s): {', '.join(unknown)}")
    return tuple(sorted((k, Decimal(str(v))) for k, v in overrides.items()))


def evaluate(
    profile: Profile,
    *,
    tiers: Iterable[TierKey] | None = None,
    overrides: Mapping[str, Decimal | int | str] | None = None,
) -> dict[TierKey, TierResult]:
    """Evaluate ``profile`` for each tier; derived facts are computed once for all tiers."""
    facts = Facts(profile)
    ov = _override_key(overrides)
    key = (profile.as_of, ov, None if tiers is None else tuple(tiers))
    progs = _PROGRAMS.get(key)
    if progs is None:
        progs = _PROGRAMS[key] = _programs(*key)
    run = engine.run
    out: dict[TierKey, TierResult] = {}
    for tier, prog in progs:
        earlier = rereview_rulebook(prog, facts, ov)
        if earlier is None:
            out[tier] = run(prog, facts)
        else:
            out[tier] = result = run(earlier, facts)
            result.rulebook_basis = REREVIEW_BASIS
    return out


Programs = list[tuple[TierKey, Compiled]]
_PROGRAMS: dict[tuple[date, Overrides, tuple[TierKey, ...] | None], Programs] = {}


def _programs(as_of: date, ov: Overrides, tiers: tuple[TierKey, ...] | None) -> Programs:
    """The compiled rulebooks in force on ``as_of`` (memoised: few distinct dates occur)."""
    if len(_PROGRAMS) > 4096:
        _PROGRAMS.clear()
    out: Programs = []
    unknown = [t for t in tiers or () if t not in TIER_KEYS]
    if unknown:
        raise KeyError(f"unknown tier(s): {', '.join(map(str, unknown))}")
    for tier in TIER_KEYS if tiers is None else tiers:
        book = rulebook_for(tier, as_of)
        if book is not None:
            out.append((tier, compile_rulebook(tier, book["effective_from"], ov)))
    return out


def _warm() -> None:
    """Read the files once at import so a bad rulebook fails at start-up, not on a request."""
    for tier, books in all_rulebooks().items():
        for day, _data in books:
            compile_rulebook(tier, day.isoformat(), ())


_warm()
