"""The profile's keyed choices (profile.md) by name: main-product fields, quality items, tax
method, IP kinds and compliance flags, zh-CN first and English beside it.

Scoring's answers and the gateway's pages both show these keys; one table keeps them reading
alike (the high-tech fields have their own table, ``vocabulary.hightech_fields``).
"""

from __future__ import annotations

from typing import Final

from yumiao_common.vocabulary.hightech_fields import FIELDS

PRODUCT_FIELDS: Final[dict[str, tuple[str, str]]] = {
    "key_chain_gap": ("补短板/锻长板/填空白", "filling gaps in key supply chains"),
    "six_foundations": ("工业“六基”", "the six industrial foundations"),
    "strategic_emerging": ("战略性新兴产业", "strategic emerging industries"),
    "manufacturing_power_key": ("制造强国重点产业", "key manufacturing-power industries"),
    "network_power": ("网络强国领域", "network-power fields"),
    "time_honoured_brand": ("中华老字号", "China time-honoured brand"),
}  # fmt: skip
QUALITY_ITEMS: Final[dict[str, tuple[str, str]]] = {
    "provincial_quality_award": ("省级质量奖", "provincial quality award"),
    "iso9001": ("ISO 9001 质量管理体系认证", "ISO 9001 certification"),
    "own_brand": ("自主品牌", "own brand"), "standards": ("主导或参与制定标准", "standards"),
    "foreign_product_cert": ("境外产品认证", "foreign product certification"),
}  # fmt: skip
TAX_METHODS: Final[dict[str, tuple[str, str]]] = {
    "audited": ("查账征收", "taxed on audited accounts"), "deemed": ("核定征收", "deemed tax"),
}  # fmt: skip
IP_KINDS: Final[dict[str, tuple[str, str]]] = {
    "invention_patent": ("发明专利", "Invention patent"),
    "defense_patent": ("国防专利", "Defence patent"),
    "plant_variety": ("植物新品种", "Plant variety"),
    "national_crop_variety": ("国家级农作物品种", "National crop variety"),
    "national_new_drug": ("国家新药", "National new drug"),
    "tcm_protected_grade1": ("国家一级中药保护品种", "Grade 1 protected TCM variety"),
    "ic_layout": ("集成电路布图设计专有权", "IC layout design"),
    "utility_model": ("实用新型专利", "Utility model"),
    "design_patent": ("外观设计专利", "Design patent"),
    "software_copyright": ("软件著作权", "Software copyright"),
}  # fmt: skip
#: Compliance flags (profile.md ``flags``), as the general-condition gates list them.
FLAGS: Final[dict[str, tuple[str, str]]] = {
    "major_safety_incident": ("重大安全事故（含网络安全、数据安全）",
                              "major safety incident (network and data security included)"),
    "major_quality_incident": ("重大质量事故", "major quality incident"),
    "serious_environmental_violation": ("重大环境污染事故或严重环境违法",
                                        "major environmental incident or violation"),
    "research_misconduct": ("科研严重失信行为", "research misconduct"),
    "abnormal_operations_list": ("列入经营异常名录", "on the abnormal-operations list"),
    "serious_dishonesty_list": ("列入严重失信主体名单", "on the serious-dishonesty list"),
    "wage_or_insurance_arrears": ("拖欠工资或社会保险金", "wage or social-insurance arrears"),
    "tax_violation": ("涉税违法", "tax violation"), "tax_evasion": ("偷税漏税", "tax evasion"),
    "bad_bank_credit_2y": ("近两年不良信用记录", "bad credit record in the last two years"),
    "restricted_products": ("产品属于国家禁止、限制或淘汰类",
                            "products in a prohibited, restricted or obsolete category"),
}  # fmt: skip

#: Every keyed choice of the profile by its key.
PROFILE_CHOICES: Final[dict[str, tuple[str, str]]] = {
    **PRODUCT_FIELDS, **QUALITY_ITEMS, **FIELDS, **TAX_METHODS, **IP_KINDS, **FLAGS,
}
