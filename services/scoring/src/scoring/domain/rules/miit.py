"""Checks shared by the MIIT gradient tiers (工信部企业〔2022〕63号; 〔2026〕2号 per [REPO]).

Used by ``innovative_sme``, ``srdi_sme`` and ``little_giant``: points for years in the niche
(每满2年得1分, max 5), quality items (每项3分, max 5), set-membership points (主导产品领域),
Shandong 特色化 items (S31), IP counts with their award / R&D-institution exemptions and the
小巨人 2022 R&D requirement that depends on the revenue band.

The general conditions of all three tiers (63号 第五条; criteria.md §8 items 8–9) are gates:
``sme_size`` (the shared 300号 table by industry, ``yumiao_common.contracts.sme_size``) and
``flags_clear`` (no listing, incident or tax evasion: a true flag fails the tier, an unknown
flag leaves it unknown).

2026 specifics (criteria.md §3.3.3, §3.4.2; 工信部企业〔2026〕2号 per secondary sources). A firm
under re-review (复核) is one holding the tier's own title on ``as_of`` (``rereview``; a title
of unknown validity leaves it unknown). Re-reviews are exempt from the 小巨人 revenue-CAGR
condition (``rereview_exempt``) and pass the platform score with either of the last two years
(``dev_score``). The 2026 小巨人 recommendation notice (工信厅企业函〔2026〕117号) judges that
year's re-reviews on the 2022 standard (``rereview_standard``: a ``review`` item with the
notice's citation) and excludes from *new* recommendation firms already 制造业单项冠军
(``not_single_champion``) and firms controlling, controlled by or in the group of an existing
小巨人 with similar products (``new_applicant_review``: the profile cannot show it).
"""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter
from typing import Any

from scoring.domain.facts import Facts
from scoring.domain.holdings import has_award
from scoring.domain.rules.base import Rule
from scoring.domain.rules.base import fail_row
from scoring.domain.rules.base import open_row
from scoring.domain.rules.base import review
from scoring.domain.rules.base import threshold
from scoring.domain.rules.base import uncertain_row
from scoring.domain.rules.base import upper
from scoring.domain.verdict import FAIL
from scoring.domain.verdict import PASS
from scoring.domain.verdict import UNKNOWN
from scoring.domain.verdict import Row
from scoring.domain.verdict import Spec

ZERO = Decimal(0)


def niche_points(spec: Spec, args: dict[str, Any]) -> Rule:
    """专精特新 ③: ``min(5, floor(years / 2))``."""
    per, cap = int(args["years_per_point"]), spec.points_max or ZERO

    def rule(f: Facts) -> Row:
        years = f.niche_years
        if years is None:
            return (spec, UNKNOWN, None, None, ZERO, cap, None, False, "")
        points = min(cap, Decimal(years // per))
        return (spec, PASS, years, None, points, points, None, False, "")

    return rule


def count_points(spec: Spec, args: dict[str, Any]) -> Rule:
    """``each`` points per listed item present in a set fact, capped at ``points_max``."""
    get, values, each = attrgetter(args["fact"]), frozenset(args["values"]), args["each"]
    cap = spec.points_max or ZERO

    def rule(f: Facts) -> Row:
        have = get(f)
        if have is None:  # the list was left out: unknown, not "none" (profile.md)
            return (spec, UNKNOWN, None, None, ZERO, cap, None, False, "")
        n = len(values.intersection(have))
        points = min(cap, each * n)
        return (spec, PASS, n, None, points, points, None, False, "")

    return rule


def set_points(spec: Spec, args: dict[str, Any]) -> Rule:
    """``[[values], points]`` tiers, best first, over a set fact; else ``else`` points."""
    get = attrgetter(args["fact"])
    tiers = [(frozenset(v), p) for v, p in args["tiers"]]
    other = args["else"]

    top = max([other, *(p for _v, p in tiers)])

    def rule(f: Facts) -> Row:
        have = get(f)
        if have is None:  # the list was left out: unknown, not "none" (profile.md)
            return (spec, UNKNOWN, None, None, min(other, *(p for _v, p in tiers)), top, None,
                    False, "")
        points = other
        for values, tier_points in tiers:
            if not values.isdisjoint(have):
                points = tier_points
                break
        return (spec, PASS, sorted(have), None, points, points, None, False, "")

    return rule


def grade_points(spec: Spec, args: dict[str, Any]) -> Rule:
    """Shandong 特色化 item graded A–D in ``assessments.shandong.<field>``."""
    field, grades = args["field"], args["grades"]
    cap = spec.points_max or ZERO

    def rule(f: Facts) -> Row:
        sd = f.shandong
        grade = None if sd is None or field not in sd.model_fields_set else getattr(sd, field)
        if grade is None:  # not assessed (a list left out is unknown too, not "none")
            return (spec, UNKNOWN, None, None, ZERO, cap, None, False, "")
        if isinstance(grade, tuple):
            points = min(cap, args["each"] * len(set(grade)))
        else:
            points = grades.get(grade, ZERO)
        return (spec, PASS, grade, None, points, points, None, False, "")

    return rule


def market_position(spec: Spec, args: dict[str, Any]) -> Rule:
    """Shandong item 11: share > 10 % or national top 3 → 4; national top 10 or provincial
    top 3 → 3; provincial top 10 → 2; otherwise 0 (the text is cut off there).

    A figure left out is unknown, never "not ranked": the points are computed with every
    unknown at its worst and at its best; equal → decided, else ``unknown`` with that range
    (a share known but a rank missing is not 0 points, issue 8 item 6).
    """
    share_edge = args["share_above"]

    def points(share: Decimal | None, nat: int | None, prov: int | None) -> Decimal:
        if (share is not None and share > share_edge) or (nat is not None and nat <= 3):
            return Decimal(4)
        if (nat is not None and nat <= 10) or (prov is not None and prov <= 3):
            return Decimal(3)
        if prov is not None and prov <= 10:
            return Decimal(2)
        return ZERO

    def rule(f: Facts) -> Row:
        share, nat, prov = f.market_share, f.rank_national, f.rank_provincial
        low = points(share, nat, prov)
        high = points(Decimal(1) if share is None else share, 1 if nat is None else nat,
                      1 if prov is None else prov)
        if low == high:
            return (spec, PASS, share, None, low, low, None, False, "")
        return (spec, UNKNOWN, share, None, low, high, None, False, "")

    return rule


def ip_or_exempt(spec: Spec, args: dict[str, Any]) -> Rule:
    """``fact`` ≥ ``min`` IP items, unless an award or R&D institution exempts the firm."""
    fact, minimum = args["fact"], args["min"]
    get = attrgetter(fact)
    levels = frozenset(args.get("award_levels", ()))
    years, top = int(args.get("award_years", 3)), int(args.get("award_top", 3))
    inst_level = int(args.get("institution_level", 99))

    def rule(f: Facts) -> Row:
        actual = get(f)
        if actual is not None and actual >= minimum:
            return (spec, PASS, actual, minimum, None, None, None, False, "")
        inst = f.rd_inst_best
        awarded = has_award(f.award_best, f.as_of, levels, years, top) if levels else False
        if awarded or (inst is not None and inst >= inst_level):
            return (spec, PASS, actual, minimum, None, None, None, False, "exempt")
        # IP, awards or institutions left out (unknown), or an award without a recorded
        # rank: an exemption may still hold
        exempt_open = (levels and (f.award_best is None or awarded is None)) or (
            inst_level < 99 and inst is None
        )
        if actual is None or exempt_open:
            note = "rank_unknown" if actual is not None and awarded is None else ""
            return (spec, UNKNOWN, actual, minimum, None, None, None, False, note)
        most = upper(f, fact)
        if most is not None and most >= minimum:
            return uncertain_row(spec, actual, minimum)
        return fail_row(spec, f, fact, actual, minimum, ">=")

    return rule


def rd_by_revenue_band(spec: Spec, args: dict[str, Any]) -> Rule:
    """小巨人 2022 新(1): revenue ≥ ¥100 m → each of 2 years ≥ 3 %; ¥50–100 m → ≥ 6 %;
    below ¥50 m → 2-year equity ≥ ¥80 m and 2-year R&D ≥ ¥30 m and R&D staff ≥ 50 %."""
    high, mid = args["high_revenue"], args["mid_revenue"]
    high_rate, mid_rate = args["high_rate"], args["mid_rate"]
    eq_min, rd_min, staff_min = args["small_equity"], args["small_rd"], args["small_rd_staff"]

    def rule(f: Facts) -> Row:
        rev, r = f.op_rev, f.rd_op_ratio_2y_min
        if rev is None:
            return (spec, UNKNOWN, None, None, None, None, None, False, "")
        if rev >= mid:
            need = high_rate if rev >= high else mid_rate
            if r is None:
                # one year's ratio already below the rate decides; else review (a zero
                # revenue year: undefined ratio) or unknown (a missing figure)
                low = min((x for x in (f.rd_op_ratio, f.rd_op_ratio_prev) if x is not None),
                          default=None)  # fmt: skip
                if low is not None and low < need:
                    return fail_row(spec, f, "rd_op_ratio_2y_min", low, need, ">=")
                return open_row(spec, f, "rd_op_ratio_2y_min", need)
            if r >= need:
                return (spec, PASS, r, need, None, None, None, False, "")
            return fail_row(spec, f, "rd_op_ratio_2y_min", r, need, ">=")
        small = (f.equity_2y, f.rd_2y_sum, f.rd_staff_ratio)
        mins = (eq_min, rd_min, staff_min)
        if any(x is not None and x < m for x, m in zip(small, mins, strict=True)):
            return (spec, FAIL, small[1], rd_min, None, None, None, False, "small_revenue")
        if None in small:
            # R&D staff ratio over zero employees is undefined: review, not unknown
            names = ("equity_2y", "rd_2y_sum", "rd_staff_ratio")
            missing = [n for n, x in zip(names, small, strict=True) if x is None]
            undefined = f.undefined or {}
            fact = next((n for n in missing if n not in undefined), missing[0])
            row = open_row(spec, f, fact)  # no yuan figure on a row judged by a ratio's unit
            return row if row[1] != UNKNOWN else (*row[:8], "small_revenue")
        return (spec, PASS, small[1], rd_min, None, None, None, False, "small_revenue")

    return rule


def sme_size(spec: Spec, _args: dict[str, Any]) -> Rule:
    """An SME under 工信部联企业〔2011〕300号 for the firm's industry (``Facts.sme``).

    ``actual`` is True / False (SME or not), the note (``sme_<sector>``) names the table row;
    no industry code, a code too coarse for the table or missing deciding figures → unknown.
    """

    def rule(f: Facts) -> Row:
        sme, sector = f.sme, f.sme_sector
        status = UNKNOWN if sme is None else PASS if sme else FAIL
        note = f"sme_{sector}" if sector else ""
        return (spec, status, sme, True, None, None, None, False, note)

    return rule


def flags_clear(spec: Spec, args: dict[str, Any]) -> Rule:
    """None of the listed compliance flags is raised: any True → fail (``actual`` lists the
    raised flags); any unknown → unknown (``actual`` lists the unknown ones, note
    ``flags_unknown``); else pass."""
    names = tuple(args["flags"])

    def rule(f: Facts) -> Row:
        flags = f.flags
        raised = [n for n in names if flags.get(n)]
        if raised:
            return (spec, FAIL, raised, [], None, None, None, False, "")
        unknown = [n for n in names if flags.get(n) is None]
        if unknown:
            return (spec, UNKNOWN, unknown, [], None, None, None, False, "flags_unknown")
        return (spec, PASS, [], [], None, None, None, False, "")

    return rule


def rereview(f: Facts, tier: str) -> bool | None:
    """Whether the firm is under re-review (复核) for ``tier``: it holds that title on ``as_of``;
    None when a title of this tier is on record but its validity cannot be told."""
    if tier in f.certs:
        return True
    if tier in f.certs_open:
        return None
    return False


def _tier(spec: Spec) -> str:
    return spec.id.split(".", 1)[0]


def rereview_exempt(spec: Spec, args: dict[str, Any]) -> Rule:
    """A ``threshold`` that firms under re-review need not meet (小巨人 2026 条件2: 近两年营业收入
    复合增长率 ≥ 5 %，复核企业不考查). Unknown re-review status decides only where the
    threshold itself fails or is unknown."""
    check, tier = threshold(spec, args), _tier(spec)

    def rule(f: Facts) -> Row:
        status = rereview(f, tier)
        if status:
            return (spec, PASS, None, args["value"], None, None, None, False, "rereview_exempt")
        row = check(f)
        if status is None and row[1] == FAIL:
            return (spec, UNKNOWN, *row[2:8], "rereview_unknown")
        return row

    return rule


def dev_score(spec: Spec, args: dict[str, Any]) -> Rule:
    """专精特新发展评价得分 ≥ ``value`` this year; under re-review, in either of the last two
    years (2026 专精特新 条件6, 小巨人 条件7). The score is the platform's, never derived."""
    minimum, tier = args["value"], _tier(spec)

    def rule(f: Facts) -> Row:
        now, prev = f.srdi_dev_score, f.srdi_dev_score_prev
        if now is not None and now >= minimum:
            return (spec, PASS, now, minimum, None, None, None, False, "")
        status = rereview(f, tier)
        if status is not False and prev is not None and prev >= minimum:
            if status:
                return (spec, PASS, prev, minimum, None, None, None, False, "rereview_prev_year")
            return (spec, UNKNOWN, now, minimum, None, None, None, False, "rereview_unknown")
        if now is None or (status is not False and prev is None):
            return (spec, UNKNOWN, now, minimum, None, None, None, False, "")
        if status is None:
            return (spec, UNKNOWN, now, minimum, None, None, None, False, "rereview_unknown")
        return fail_row(spec, f, "srdi_dev_score", now, minimum, ">=")

    return rule


def rereview_standard(spec: Spec, args: dict[str, Any]) -> Rule:
    """Re-reviews of the listed years are judged on the 2022 standard (工信厅企业函〔2026〕117号).

    A firm known to be under re-review is evaluated on the earlier rulebook instead
    (``scoring.domain.rereview``), so this criterion only meets the others: a new nominee
    passes (note ``not_rereview``); a firm whose re-review status cannot be told is
    ``unknown``; were it reached for a firm under re-review, it would need review."""
    years, tier = frozenset(int(y) for y in args["years"]), _tier(spec)
    pending = review(spec, {})

    def rule(f: Facts) -> Row:
        if f.as_of.year not in years:
            return (spec, PASS, None, None, None, None, None, False, "not_applicable")
        status = rereview(f, tier)
        if status is False:
            return (spec, PASS, False, None, None, None, None, False, "not_rereview")
        if status is None:
            return (spec, UNKNOWN, None, None, None, None, None, False, "rereview_unknown")
        return pending(f)

    return rule


def not_single_champion(spec: Spec, _args: dict[str, Any]) -> Rule:
    """117号: firms already 制造业单项冠军 are not newly recommended (re-reviews unaffected)."""
    tier = _tier(spec)

    def rule(f: Facts) -> Row:
        if rereview(f, tier):
            return (spec, PASS, None, False, None, None, None, False, "rereview")
        if "single_champion" in f.certs:
            return (spec, FAIL, True, False, None, None, None, False, "")
        if "single_champion" in f.certs_open:
            return (spec, UNKNOWN, None, False, None, None, None, False, "validity_unknown")
        return (spec, PASS, False, False, None, None, None, False, "")

    return rule


def new_applicant_review(spec: Spec, _args: dict[str, Any]) -> Rule:
    """A condition only new applicants must meet that the profile cannot show (117号: not
    controlling or controlled by an existing 小巨人, no same-group firm with similar products):
    ``review`` for new applicants, pass for re-reviews, unknown when that cannot be told."""
    tier, pending = _tier(spec), review(spec, {})

    def rule(f: Facts) -> Row:
        status = rereview(f, tier)
        if status:
            return (spec, PASS, None, None, None, None, None, False, "rereview")
        if status is None:
            return (spec, UNKNOWN, None, None, None, None, None, False, "rereview_unknown")
        return pending(f)

    return rule


BUILDERS = {
    "rereview_exempt": rereview_exempt,
    "dev_score": dev_score,
    "rereview_standard": rereview_standard,
    "not_single_champion": not_single_champion,
    "new_applicant_review": new_applicant_review,
    "sme_size": sme_size,
    "flags_clear": flags_clear,
    "niche_points": niche_points,
    "count_points": count_points,
    "set_points": set_points,
    "grade_points": grade_points,
    "market_position": market_position,
    "ip_or_exempt": ip_or_exempt,
    "rd_by_revenue_band": rd_by_revenue_band,
}
