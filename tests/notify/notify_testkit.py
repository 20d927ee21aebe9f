"""Factories for notify tests: unique credit codes, contract events, preference writes."""

from __future__ import annotations

import random
import string
from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

from flask.testing import FlaskClient

from yumiao_common.contracts.registry import CertificationExpiring
from yumiao_common.contracts.registry import CertificationExpiringPayload
from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.contracts.registry import PipelineMovedPayload
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.contracts.scoring import EligibilityChangedPayload
from yumiao_common.identifiers import generate_uscc

BUREAU = {"X-Actor": "bureau:test"}


def new_uscc() -> str:
    body = "".join(random.choices(string.digits + "ABCDEFGHJKLMNPQRTUWXY", k=8))
    return generate_uscc("91", "371502", body)


def eligibility(uscc: str, tier: str = "hnte", *, before: str | None = "ineligible",
                after: str = "eligible", rulebook: str = "hnte-2016.1",
                name: str = "测试企业有限公司") -> EligibilityChanged:
    return EligibilityChanged(payload=EligibilityChangedPayload(
        uscc=uscc, enterprise_name=name, tier=tier, before=before, after=after,  # type: ignore[arg-type]
        criteria_gained=("rd_ratio", "hightech_revenue_share"), rulebook_version=rulebook,
        as_of=date.today(),
    ))


def expiring(uscc: str, tier: str = "hnte", days_before: int = 90,
             expires_on: date | None = None) -> CertificationExpiring:
    expires = expires_on or date.fromordinal(date.today().toordinal() + days_before)
    return CertificationExpiring(payload=CertificationExpiringPayload(
        uscc=uscc, enterprise_name="测试企业有限公司", tier=tier, number="GR2024001",
        expires_on=expires, days_before=days_before,  # type: ignore[arg-type]
    ))


def moved(uscc: str, pool: str = "listing_reserve", to_stage: str = "admitted") -> PipelineMoved:
    return PipelineMoved(payload=PipelineMovedPayload(
        uscc=uscc, enterprise_name="测试企业有限公司", pool=pool, from_stage="screened",
        to_stage=to_stage, actor="bureau:test", reason="符合入库条件",  # type: ignore[arg-type]
        moved_at=datetime.now(UTC),
    ))


def put_prefs(client: FlaskClient, uscc: str, **body: Any) -> Any:
    current = client.get(f"/api/v1/enterprises/{uscc}/preferences").json
    assert current is not None
    doc = {"language": "zh-CN", "channels": ["inapp"]} | body
    if current["version"]:
        doc.setdefault("version", current["version"])
    resp = client.put(f"/api/v1/enterprises/{uscc}/preferences", json=doc, headers=BUREAU)
    assert resp.status_code == 200, resp.json
    return resp.json
