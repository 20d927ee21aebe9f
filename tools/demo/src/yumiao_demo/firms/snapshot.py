"""A demo firm's profile in exactly the shape ``registry.handlers.profile.build_profile`` returns.

The seed writes one ``registry.enterprise.changed`` event per firm without reading each firm
back through the ORM; this fills in what the registry's builder always emits (every figure,
flag and assessment key, null when unknown) around the generator's profile.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from typing import Any

from registry.handlers.profile import ENTERPRISE_FIELDS
from registry.handlers.profile import IP_FIELDS
from registry.models.enterprise import FLAG_FIELDS
from registry.models.financials import FIGURE_FIELDS

if TYPE_CHECKING:  # the generator does not need this module; keep the import one-way
    from yumiao_demo.firms.generator import DemoFirm


def demo_profile(firm: DemoFirm, as_of: date) -> dict[str, Any]:
    p = firm.profile
    enterprise = {f: p["enterprise"].get(f) for f in ENTERPRISE_FIELDS}
    enterprise["flags"] = {f: p["enterprise"]["flags"].get(f) for f in FLAG_FIELDS}
    assessments = p["assessments"]
    return {
        "as_of": as_of.isoformat(),
        "enterprise": enterprise,
        "financials": [{"year": f["year"], **{k: f.get(k) for k in FIGURE_FIELDS}}
                       for f in sorted(p["financials"], key=lambda f: f["year"])],
        "ip": [{k: i.get(k) for k in IP_FIELDS} for i in p["ip"]],
        "awards": [{k: a.get(k) for k in ("level", "year", "rank")} for a in p["awards"]],
        "rd_institutions": [{k: r[k] for k in ("level", "name")} for r in p["rd_institutions"]],
        "standards_led": [{k: s[k] for k in ("level", "year")} for s in p["standards_led"]],
        "certifications": sorted(
            ({k: c.get(k) for k in ("tier", "issued_on", "expires_on", "number")}
             for c in p["certifications"]), key=lambda c: c["issued_on"]),
        "assessments": {"digital_level": assessments.get("digital_level"),
                        "quality_items": list(assessments.get("quality_items", [])),
                        "hnte_expert": assessments.get("hnte_expert"),
                        "srdi_dev_score": None, "srdi_dev_score_prev": None,
                        "shandong": None},
    }
