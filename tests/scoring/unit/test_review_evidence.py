"""A settled review criterion names the evidence file the reviewer cited (issue 15 item 4):
the criterion's ``actual`` carries the reference (for the pages' download link) and its
explanation, ``actual_text``, names the file in both languages. Without a file the answer is
as before."""

from __future__ import annotations

from tests.scoring.unit.test_review_items import GIANT_2026
from tests.scoring.unit.test_review_items import by_id
from tests.scoring.unit.test_review_items import one

REPUTATION = "little_giant.c5_reputation"
GROUP_117 = "little_giant.r117_group"
FILE = {"id": 12, "submission_id": 3, "filename": "2025年度审计报告.pdf", "kind": "audit_report"}


def _reviews(evidence: dict[str, object] | None) -> dict[tuple[str, ...], object]:
    cited = {"outcome": "pass", "reviewed_on": "2026-05-20", "by": "市工信局"}
    if evidence is not None:
        cited["evidence"] = evidence  # type: ignore[assignment]
    return {("assessments", "reviews"): {
        REPUTATION: cited, GROUP_117: {"outcome": "pass", "reviewed_on": "2026-05-20"}}}


def test_the_verdict_explains_a_settled_review_with_the_file_the_reviewer_cited() -> None:
    r = one({**GIANT_2026, **_reviews(FILE)}, "little_giant", y2026=True)
    assert r.verdict == "eligible"
    c = by_id(r)[REPUTATION]
    assert c["actual"] == {"outcome": "pass", "reviewed_on": "2026-05-20", "evidence": FILE}
    assert c["actual_text"] == {"zh": "评审通过（2026-05-20）；依据材料：2025年度审计报告.pdf",
                                "en": "passed review (2026-05-20); evidence: 2025年度审计报告.pdf"}
    assert by_id(r)[GROUP_117]["actual_text"]["zh"] == "评审通过（2026-05-20）"


def test_a_review_without_a_file_reads_as_before() -> None:
    c = by_id(one({**GIANT_2026, **_reviews(None)}, "little_giant", y2026=True))[REPUTATION]
    assert c["actual"] == {"outcome": "pass", "reviewed_on": "2026-05-20"}
    assert c["actual_text"]["en"] == "passed review (2026-05-20)"
