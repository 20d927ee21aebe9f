"""What a curator maintains about an enterprise, as forms: fields, labels, parsing, conflicts.

One ``Kind`` per thing the registry keeps (the enterprise's basics and flags, a fiscal year's
figures, an IP item, an award, an R&D institution, a standard led, a certification, a review
outcome). The pages (``pages/curation.py``) render any kind with one template and send what
the form parsed to the registry, which decides what is valid (its field errors come back
beside the fields). A form carries the version it was loaded with; when the registry says the
record changed meanwhile (409) the page shows the typed values again, the stored ones beside
them and who changed the record when (``last_change`` reads the registry's audit trail).

Codes are chosen and shown by name: industries (GB/T 4754-2017 sections and the classes the
district's plan names), the district's towns and streets, the high-tech fields (Chinese, with
the English beside on English pages).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from werkzeug.datastructures import MultiDict

from gateway.web.i18n import EN
from gateway.web.i18n import current_lang
from yumiao_common.vocabulary.choices import FLAGS
from yumiao_common.vocabulary.choices import IP_KINDS
from yumiao_common.vocabulary.choices import PRODUCT_FIELDS
from yumiao_common.vocabulary.choices import QUALITY_ITEMS
from yumiao_common.vocabulary.choices import TAX_METHODS
from yumiao_common.vocabulary.hightech_fields import FIELDS as HIGHTECH
from yumiao_common.vocabulary.industries import SECTIONS
from yumiao_common.vocabulary.towns import CURRENT_TOWNS
from yumiao_common.vocabulary.towns import TOWNS_BY_CODE

Pair = tuple[str, str]

#: GB/T 4754-2017 classes the district's plan industries are filed under (names confirmed in
#: ../shared/reference/domain-data.md §3.2); every other code is picked by its section.
INDUSTRY_CLASSES: dict[str, Pair] = {
    "C13": ("农副食品加工业", "Agricultural and sideline food processing"),
    "C1351": ("牲畜屠宰", "Livestock slaughtering"), "C1353": ("肉制品及副产品加工",
                                                              "Meat products processing"),
    "C14": ("食品制造业", "Food manufacturing"),
    "C2631": ("化学农药制造", "Chemical pesticides"), "C2641": ("涂料制造", "Paints and coatings"),
    "C3011": ("水泥制造", "Cement"), "C3021": ("水泥制品制造", "Cement products"),
    "C3022": ("砼结构构件制造", "Precast concrete components"),
    "C31": ("黑色金属冶炼和压延加工业", "Ferrous metal smelting and rolling"),
    "C3130": ("钢压延加工", "Steel rolling"), "C33": ("金属制品业", "Metal products"),
    "C3311": ("金属结构制造", "Metal structures"), "C34": ("通用设备制造业",
                                                        "General-purpose machinery"),
    "C3451": ("滚动轴承制造", "Rolling bearings"), "C3452": ("滑动轴承制造", "Plain bearings"),
    "C35": ("专用设备制造业", "Special-purpose machinery"),
    "C3571": ("拖拉机制造", "Tractors"), "C3572": ("机械化农业及园艺机具制造",
                                                  "Farm and garden machinery"),
    "C36": ("汽车制造业", "Motor vehicles"), "C3612": ("新能源车整车制造", "New-energy vehicles"),
    "C3670": ("汽车零部件及配件制造", "Vehicle parts and accessories"),
    "C38": ("电气机械和器材制造业", "Electrical machinery"),
    "C3832": ("光纤制造", "Optical fibre"), "C3833": ("光缆制造", "Optical cable"),
    "C3841": ("锂离子电池制造", "Lithium-ion batteries"),
    "I6532": ("物联网技术服务", "Internet-of-things services"),
    "M7520": ("知识产权服务", "Intellectual property services"),
}  # fmt: skip
LEVELS: dict[str, Pair] = {
    "national": ("国家级", "National"), "provincial": ("省级", "Provincial"),
    "municipal": ("市级", "Municipal"), "below": ("市级以下", "Below municipal"),
    "district": ("区级", "District"),
}  # fmt: skip
STANDARD_LEVELS: dict[str, Pair] = {
    "international": ("国际标准", "International"), "national": ("国家标准", "National"),
    "industry": ("行业标准", "Industry"), "local": ("地方标准", "Local"),
    "group": ("团体标准", "Group"),
}  # fmt: skip
ACQUIRED_BY: dict[str, Pair] = {
    "self_developed": ("自主研发", "Self-developed"), "transferred": ("受让", "Transferred"),
    "donated": ("受赠", "Donated"), "acquired": ("并购", "Acquired"), "other": ("其他", "Other"),
}  # fmt: skip
CERT_TIERS: dict[str, Pair] = {
    "hnte": ("高新技术企业", "High-tech enterprise"), "tech_sme": ("科技型中小企业",
                                                             "Tech-based SME"),
    "innovative_sme": ("创新型中小企业", "Innovative SME"),
    "srdi_sme": ("专精特新中小企业", "Specialised SME (SRDI)"),
    "little_giant": ("专精特新“小巨人”", "Little giant"),
    "agri_leader_national": ("国家级农业产业化龙头企业", "National agricultural leader"),
    "agri_leader_provincial": ("省级农业产业化龙头企业", "Provincial agricultural leader"),
    "agri_leader_municipal": ("市级农业产业化龙头企业", "Municipal agricultural leader"),
}  # fmt: skip
OUTCOMES: dict[str, Pair] = {"pass": ("通过", "Passed"), "fail": ("未通过", "Not passed")}
TRI: dict[str, Pair] = {"": ("未知", "Unknown"), "yes": ("是", "Yes"), "no": ("否", "No")}


def side(texts: Pair) -> str:
    """The page's language of a (zh, en) pair."""
    return texts[1] if current_lang() == EN else texts[0]


def both(texts: Pair) -> str:
    """Chinese, with the English beside it on English pages (names of codes)."""
    return f"{texts[0]} / {texts[1]}" if current_lang() == EN else texts[0]


@dataclass(frozen=True)
class Spec:
    """One field of a form: its key in the registry body, what it holds, its label."""

    name: str
    kind: str  # text | long | date | int | decimal | money | signed | year | bool | tri |
    #            choice | multi | industry | town | hightech | criterion | evidence
    label: Pair
    options: Mapping[str, Pair] = field(default_factory=dict)
    required: bool = False
    group: str = ""  # the registry body's nesting: "" | "flags" | "assessments"


def _money(name: str, zh: str, en: str, signed: bool = False) -> Spec:
    return Spec(name, "signed" if signed else "money", (f"{zh}（元）", f"{en} (¥)"))


BASICS: tuple[Spec, ...] = (
    Spec("name", "text", ("企业名称", "Enterprise name"), required=True),
    Spec("established_on", "date", ("成立日期", "Established on")),
    Spec("town_code", "town", ("所在镇街", "Town or street")),
    Spec("park", "text", ("所在园区", "Park")),
    Spec("address", "text", ("地址", "Address")),
    Spec("industry_code", "industry", ("所属行业（GB/T 4754-2017）", "Industry (GB/T 4754-2017)")),
    Spec("hightech_field", "hightech", ("高新技术领域", "High-tech field")),
    Spec("tax_method", "choice", ("企业所得税征收方式", "Income tax collection"), TAX_METHODS),
    Spec("niche_market_years", "int", ("从事细分市场年限（年）", "Years in the niche market")),
    Spec("main_product_fields", "multi", ("主导产品所属领域", "Fields of the main products"),
         PRODUCT_FIELDS),
    Spec("market_share_pct", "decimal", ("细分市场占有率（%）", "Niche market share (%)")),
    Spec("market_rank_national", "int", ("全国细分市场排名", "National niche market rank")),
    Spec("market_rank_provincial", "int", ("全省细分市场排名", "Provincial niche market rank")),
    *(Spec(key, "tri", names, group="flags") for key, names in FLAGS.items()),
    Spec("digital_level", "int", ("数字化水平等级（0–4）", "Digital level (0–4)"),
         group="assessments"),
    Spec("quality_items", "multi", ("质量管理情况", "Quality management"), QUALITY_ITEMS,
         group="assessments"),
    Spec("srdi_dev_score", "decimal", ("专精特新发展水平得分", "SRDI development score"),
         group="assessments"),
    Spec("srdi_dev_score_prev", "decimal", ("上一年度发展水平得分",
                                            "Previous year's development score"),
         group="assessments"),
)
CREATE: tuple[Spec, ...] = (
    Spec("uscc", "text", ("统一社会信用代码", "Credit code"), required=True), *BASICS)
FINANCIALS: tuple[Spec, ...] = (
    Spec("year", "year", ("会计年度", "Fiscal year"), required=True),
    Spec("employees", "int", ("职工总数（人）", "Employees")),
    Spec("science_staff", "int", ("科技人员（人）", "Science staff")),
    Spec("rd_staff", "int", ("研发人员（人）", "R&D staff")),
    _money("operating_revenue", "营业收入", "Operating revenue"),
    _money("sales_revenue", "销售收入", "Sales revenue"),
    _money("main_business_revenue", "主营业务收入", "Main business revenue"),
    _money("total_income", "收入总额", "Total income"),
    _money("hightech_revenue", "高新技术产品收入", "High-tech product revenue"),
    _money("rd_expense", "研发费用", "R&D expense"),
    _money("rd_expense_domestic", "其中境内研发费用", "of which in China"),
    _money("total_cost", "成本费用总额", "Total costs"),
    _money("total_assets", "资产总额", "Total assets"),
    _money("total_liabilities", "负债总额", "Total liabilities"),
    _money("fixed_assets", "固定资产", "Fixed assets"),
    _money("interest_expense", "利息支出", "Interest expense"),
    _money("new_equity_financing", "新增股权融资", "New equity financing"),
    _money("net_profit", "净利润", "Net profit", signed=True),
    _money("total_profit", "利润总额", "Total profit", signed=True),
    _money("agri_sales", "农产品销售收入", "Agricultural sales"),
    _money("market_turnover", "市场交易额", "Market turnover"),
    Spec("tech_conversions", "int", ("科技成果转化（项）", "Technology conversions")),
    Spec("farmer_households", "int", ("带动农户（户）", "Farm households served")),
    Spec("farm_sourced_share_pct", "decimal", ("农户来源原料占比（%）",
                                               "Share sourced from farms (%)")),
)
IP: tuple[Spec, ...] = (
    Spec("kind", "choice", ("类别", "Kind"), IP_KINDS, required=True),
    Spec("number", "text", ("授权号 / 登记号", "Grant or registration number"), required=True),
    Spec("title", "text", ("名称", "Title")),
    Spec("granted_on", "date", ("授权日期", "Granted on")),
    Spec("acquired_by", "choice", ("获得方式", "Acquired by"), ACQUIRED_BY, required=True),
    Spec("related_to_main_product", "bool", ("与主导产品相关", "Related to the main product"),
         required=True),
    Spec("high_value", "bool", ("高价值专利", "High-value patent")),
    Spec("in_force", "bool", ("有效", "In force")),
    Spec("used_in_hnte", "tri", ("已用于以往高企认定", "Used in an earlier HNTE recognition")),
    Spec("in_dispute", "bool", ("存在权属纠纷", "In dispute")),
)
AWARDS: tuple[Spec, ...] = (
    Spec("level", "choice", ("级别", "Level"), {k: LEVELS[k] for k in
                                               ("national", "provincial", "municipal", "below")},
         required=True),
    Spec("year", "year", ("获奖年份", "Year"), required=True),
    Spec("rank", "int", ("等次（1 = 一等奖）", "Rank (1 = first prize)")),
    Spec("title", "text", ("奖项名称", "Award title")),
)
INSTITUTIONS: tuple[Spec, ...] = (
    Spec("level", "choice", ("级别", "Level"), {k: LEVELS[k] for k in
                                               ("national", "provincial", "municipal", "below")},
         required=True),
    Spec("name", "text", ("机构名称", "Name"), required=True),
)
STANDARDS: tuple[Spec, ...] = (
    Spec("level", "choice", ("标准级别", "Level"), STANDARD_LEVELS, required=True),
    Spec("year", "year", ("发布年份", "Year"), required=True),
    Spec("code", "text", ("标准号", "Standard number")),
    Spec("title", "text", ("标准名称", "Title")),
)
CERTIFICATIONS: tuple[Spec, ...] = (
    Spec("tier", "choice", ("资质", "Title"), CERT_TIERS, required=True),
    Spec("level", "choice", ("认定级别", "Level"), {k: LEVELS[k] for k in
                                                   ("national", "provincial", "municipal",
                                                    "district")}),
    Spec("number", "text", ("证书编号", "Certificate number")),
    Spec("issuer", "text", ("发证机关", "Issued by")),
    Spec("issued_on", "date", ("发证日期", "Issued on"), required=True),
    Spec("expires_on", "date", ("有效期至（不填按常规年限）",
                                "Expires on (blank: the usual term)")),
)
REVIEWS: tuple[Spec, ...] = (
    Spec("criterion", "criterion", ("评审条件", "Criterion reviewed"), required=True),
    Spec("outcome", "choice", ("评审结果", "Outcome"), OUTCOMES, required=True),
    Spec("reviewed_on", "date", ("评审日期", "Reviewed on"), required=True),
    Spec("by", "text", ("评审人或单位", "Reviewed by")),
    Spec("note", "long", ("说明", "Note")),
    # Issue 15 item 4: the firm's evidence file the outcome rests on (its yearly reports').
    Spec("evidence_id", "evidence", ("依据材料（企业自报的证明材料）",
                                     "Evidence (a file from the firm's yearly reports)")),
)


@dataclass(frozen=True)
class Kind:
    """A thing a curator maintains: its registry path segment, audit entity and form."""

    key: str
    segment: str  # under /api/v1/enterprises/{uscc}/
    entity: str  # the registry's audit entity
    title: Pair
    specs: tuple[Spec, ...]
    columns: tuple[str, ...]  # shown in the overview's table

    def spec(self, name: str) -> Spec | None:
        return next((s for s in self.specs if s.name == name), None)


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("financials", "financials", "annual_financials", ("年度财务与人员", "Yearly figures"),
         FINANCIALS, ("year", "operating_revenue", "rd_expense", "employees", "total_assets")),
    Kind("ip", "ip", "ip_asset", ("知识产权", "IP items"), IP,
         ("kind", "number", "title", "granted_on", "in_force")),
    Kind("awards", "awards", "award", ("科技奖励", "Awards"), AWARDS,
         ("level", "year", "rank", "title")),
    Kind("institutions", "institutions", "rd_institution", ("研发机构", "R&D institutions"),
         INSTITUTIONS, ("level", "name")),
    Kind("standards", "standards", "standard_led", ("主导制定标准", "Standards led"), STANDARDS,
         ("level", "year", "code", "title")),
    Kind("certifications", "certifications", "certification", ("资质证书", "Certifications"),
         CERTIFICATIONS, ("tier", "level", "number", "issued_on", "expires_on")),
)}
RECORD_KINDS = tuple(k for k in KINDS if k != "financials")
BASICS_KIND = Kind("basics", "", "enterprise", ("基本信息与信用记录", "Basics and record"),
                   BASICS, ())
CREATE_KIND = Kind("create", "", "enterprise", ("新建企业", "New enterprise"), CREATE, ())
REVIEW_KIND = Kind("reviews", "", "enterprise", ("评审结果", "Review outcomes"), REVIEWS, ())


# -- choices by name -------------------------------------------------------------------------

def industry_options(current: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of every section and of the plan's classes, in code order; a stored code
    outside them is offered too (by its section's name), so nothing stored is lost."""
    options = {code: both(names) for code, names in SECTIONS.items()}
    for code, names in INDUSTRY_CLASSES.items():
        section = SECTIONS[code[0]]
        options[code] = f"{side(section)} › {both(names)}（{code}）" if current_lang() != EN \
            else f"{side(section)} › {both(names)} ({code})"
    if current and current not in options:
        options[current] = industry_name(current)
    return sorted(options.items())


def industry_name(code: Any) -> str:
    """The most precise name known for an industry code, the code beside it."""
    if not code:
        return "—"
    text = str(code).strip().upper()
    for length in (5, 4, 3):
        names = INDUSTRY_CLASSES.get(text[:length])
        if names:
            return (f"{both(names)} ({text})" if current_lang() == EN
                    else f"{names[0]}（{text}）")
    section = SECTIONS.get(text[:1])
    if section is None:
        return text
    return f"{both(section)} ({text})" if current_lang() == EN else f"{section[0]}（{text}）"


def town_options(current: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of the district's current towns and streets (a retired one only when it
    is the stored value)."""
    towns = list(CURRENT_TOWNS)
    if current and current in TOWNS_BY_CODE and TOWNS_BY_CODE[current] not in towns:
        towns.append(TOWNS_BY_CODE[current])
    return [(t.code, both((t.name, t.name_en))) for t in towns]


def town_name(code: Any) -> str:
    found = TOWNS_BY_CODE.get(str(code or "").strip())
    if found is None:
        return str(code) if code else "—"
    return both((found.name, found.name_en))


def options_of(spec: Spec, current: Any = None) -> list[tuple[str, str]]:
    """The choices of a select field as (value, name)."""
    if spec.kind == "industry":
        return industry_options(current)
    if spec.kind == "town":
        return town_options(current)
    if spec.kind == "hightech":
        return [(k, both(v)) for k, v in HIGHTECH.items()]
    return [(k, side(v)) for k, v in spec.options.items()]


def shown(spec: Spec, value: Any) -> str:
    """A stored value as a person reads it (names for codes, 是/否, ¥ with separators)."""
    if value is None or value == "" or value == []:
        return side(("未填", "not recorded")) if value is None else "—"
    if spec.kind == "industry":
        return industry_name(value)
    if spec.kind == "town":
        return town_name(value)
    if spec.kind == "hightech":
        return both(HIGHTECH.get(str(value), (str(value), str(value))))
    if spec.kind in ("bool", "tri"):
        return side(TRI["yes" if value else "no"])
    if spec.kind in ("money", "signed"):
        try:
            return f"¥{int(value):,}"
        except (TypeError, ValueError):
            return str(value)
    if spec.kind == "multi":
        names = [side(spec.options.get(v, (v, v))) for v in value]
        return ("、" if current_lang() != EN else ", ").join(names)
    if spec.kind == "choice":
        return side(spec.options.get(str(value), (str(value), str(value))))
    return str(value)


# -- form ↔ record ---------------------------------------------------------------------------

def flat(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """A registry record with ``flags`` and ``assessments`` laid flat (the form's names)."""
    values = dict(record or {})
    for group in ("flags", "assessments"):
        nested = values.pop(group, None)
        if isinstance(nested, Mapping):
            values.update(nested)
    return values


def form_values(kind: Kind, record: Mapping[str, Any] | None) -> dict[str, Any]:
    """The form's strings for a stored record (what the inputs show when a form opens)."""
    values: dict[str, Any] = {}
    stored = flat(record)
    for spec in kind.specs:
        value = stored.get(spec.name)
        if spec.kind == "multi":
            values[spec.name] = list(value) if value is not None else None
        elif spec.kind in ("bool", "tri"):
            values[spec.name] = "" if value is None else ("yes" if value else "no")
        else:
            values[spec.name] = "" if value is None else str(value)
    return values


def typed(kind: Kind, form: MultiDict[str, str]) -> dict[str, Any]:
    """What the user typed, as the form shows it again (a conflict or a refusal keeps it)."""
    values: dict[str, Any] = {}
    for spec in kind.specs:
        if spec.kind == "multi":
            ticked = [v for v in form.getlist(spec.name) if v]
            values[spec.name] = ([] if ticked == ["none"] else ticked) if ticked else None
        else:
            values[spec.name] = (form.get(spec.name) or "").strip()
    other = (form.get("industry_other") or "").strip().upper()
    if kind.spec("industry_code") and other:
        values["industry_code"] = other
    return values


def _number(raw: str) -> int | str:
    clean = raw.replace(",", "").replace("，", "").replace("¥", "").strip()
    return int(clean) if clean.lstrip("-").isdigit() and len(clean) <= 16 else raw


def body_of(kind: Kind, values: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """The registry body for the typed ``values``: blanks are "not recorded" (null on an edit,
    left out of a new record), numbers as numbers; anything malformed is sent as typed, so the
    registry names the field and why."""
    body: dict[str, Any] = {}
    for spec in kind.specs:
        if spec.kind == "criterion":
            continue
        raw = values.get(spec.name)
        value: Any
        if spec.kind == "multi":
            if raw is None:
                if not partial:
                    continue
                value = None
            else:
                value = list(raw)
        elif raw in ("", None):
            if not partial:
                continue
            value = None
        elif spec.kind in ("int", "year", "money", "signed", "evidence"):
            value = _number(str(raw))
        elif spec.kind in ("bool", "tri"):
            value = {"yes": True, "no": False}.get(str(raw), raw)
        else:
            value = raw
        if spec.kind == "bool" and value is None:
            continue  # a plain yes/no left blank keeps what the registry holds
        if spec.group:
            body.setdefault(spec.group, {})[spec.name] = value
        else:
            body[spec.name] = value
    return body


def changed(kind: Kind, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Spec]:
    """The fields whose stored value differs between two reads of a record."""
    a, b = flat(before), flat(after)
    return [s for s in kind.specs if a.get(s.name) != b.get(s.name)]


def field_errors(fields: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """The registry's field errors keyed by the form's names (``flags.x`` → ``x``; a review's
    ``assessments.reviews.<id>.outcome`` → ``outcome``); each message as the registry wrote it,
    Chinese with the English beside it."""
    out: dict[str, list[str]] = {}
    for key, messages in (fields or {}).items():
        name = str(key).rsplit(".", 1)[-1] if "." in str(key) else str(key)
        if name == "_schema" or name.isdigit():
            name = str(key).split(".")[0]
        if name == "key":  # a review's criterion id (the key of ``assessments.reviews``)
            name = "criterion"
        out.setdefault(name, []).extend(str(m) for m in (messages or []))
    return out


def last_change(entries: list[Mapping[str, Any]], entity: str, entity_id: Any
                ) -> Mapping[str, Any] | None:
    """The newest audit entry of one record (who changed it, when, which fields)."""
    mine = [e for e in entries if e.get("entity") == entity
            and (entity_id is None or e.get("entity_id") == entity_id)]
    return mine[-1] if mine else None
