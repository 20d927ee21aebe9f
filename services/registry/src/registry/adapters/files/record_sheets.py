"""The record sheets of the import: certifications, IP items and pool memberships.

The bureau receives these as official lists (认定名单, 知识产权清单, 入库名单): one row per
certificate, item or membership, identified by the firm's credit code, with the firm's name as
printed on the list. Headers read ``中文 / English`` like the enterprise template; an uploaded
file may use the full header, either half or the field key. Choices accept the key, the
Chinese or the English label (``高新技术企业``, ``High-tech enterprise`` or ``hnte``).

``SheetValidator`` converts every cell (errors name row, column, why and what is allowed) and
finds rows repeated within the file: an identical repeat is skipped and reported (official
lists carry duplicates), a repeat that differs is an error (which of the two is right?).
Matching against the registry and the records on file happens in ``handlers.import_records``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any
from typing import Final

from registry.adapters.files import cells
from registry.adapters.files.cells import CellError
from registry.adapters.files.cells import Converter
from registry.adapters.files.columns import ColumnSpec
from registry.adapters.files.row_validation import MAX_ERRORS_KEPT
from registry.adapters.files.row_validation import HeaderError
from registry.adapters.files.row_validation import RowError
from registry.domain.pipeline import POOLS
from registry.domain.pipeline import STAGE_LABELS
from registry.domain.tiers import CERT_LEVELS
from registry.domain.tiers import TIERS
from registry.models.ip import ACQUIRED_BY
from yumiao_common.clock import beijing_today
from yumiao_common.vocabulary.choices import IP_KINDS

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _norm(value: object) -> str:
    return _SPACE.sub("", str(value)).replace("／", "/").casefold()


def _labelled(labels: dict[str, str]) -> dict[str, str]:
    """Accepted spellings → key, from ``{key: "中文 / English"}``."""
    table: dict[str, str] = {}
    for key, label in labels.items():
        zh, _, en = label.partition(" / ")
        for spelling in (key, zh, en, label):
            if spelling:
                table[_norm(spelling)] = key
    return table


_LEVEL_LABELS: Final = {"national": "国家级 / National", "provincial": "省级 / Provincial",
                        "municipal": "市级 / Municipal", "district": "区级 / District"}
_ACQUIRED_LABELS: Final = {"self_developed": "自主研发 / Self-developed",
                           "transferred": "受让 / Transferred", "donated": "受赠 / Donated",
                           "acquired": "并购 / Acquired", "other": "其他 / Other"}
#: name → (key → "中文 / English"): the choice columns and how their values may be written
CHOICES: Final[dict[str, dict[str, str]]] = {
    "tier": {k: t.label for k, t in TIERS.items()},
    "cert_level": {k: _LEVEL_LABELS[k] for k in CERT_LEVELS},
    "ip_kind": {k: f"{zh} / {en}" for k, (zh, en) in IP_KINDS.items()},
    "acquired_by": {k: _ACQUIRED_LABELS[k] for k in ACQUIRED_BY},
    "pool": {k: p.label for k, p in POOLS.items()},
    "stage": {s.value: label for s, label in STAGE_LABELS.items()},
}
_CHOICE_TABLES: Final = {name: _labelled(labels) for name, labels in CHOICES.items()}


def allowed_names(name: str) -> list[str]:
    """What a person may type in a choice column: the Chinese labels."""
    return [label.partition(" / ")[0] for label in CHOICES[name].values()]


def _choice(name: str) -> Converter:
    table = _CHOICE_TABLES[name]
    allowed = "、".join(allowed_names(name))
    keys = ", ".join(CHOICES[name])

    def convert(raw: Any) -> str:
        value = table.get(_norm(raw))
        if value is None:
            raise CellError(f"可选值：{allowed}", f"allowed: {keys} (or their Chinese names)")
        return value

    return convert


def _text(limit: int) -> Converter:
    def convert(raw: Any) -> str:
        value = str(raw).strip()
        if isinstance(raw, float) and raw.is_integer():  # a number typed into Excel
            value = str(int(raw))
        if _CONTROL.search(value):
            raise CellError("含有控制字符", "contains control characters")
        if len(value) > limit:
            raise CellError(f"不能超过{limit}个字符", f"must be at most {limit} characters")
        return value

    return convert


def _past_day(today: date) -> Converter:
    def convert(raw: Any) -> date:
        value = cells.day(raw)
        if not date(1949, 1, 1) <= value <= today:
            raise CellError("日期须在1949年至今天之间", "must be between 1949 and today")
        return value

    return convert


def _any_day(raw: Any) -> date:
    value = cells.day(raw)
    if not date(1949, 1, 1) <= value <= date(2100, 12, 31):
        raise CellError("日期须在1949年至2100年之间", "must be between 1949 and 2100")
    return value


def converter(kind: str, today: date) -> Converter:
    """The converter of a record-sheet column kind."""
    if kind.startswith("choice:"):
        return _choice(kind[7:])
    if kind.startswith("text"):
        return _text(int(kind[4:] or 200))
    table: dict[str, Converter] = {"uscc": cells.uscc, "flag": cells.yes_no,
                                   "past_date": _past_day(today), "date": _any_day}
    return table[kind]


def _c(key: str, zh: str, en: str, kind: str, example: str, required: bool = False
       ) -> ColumnSpec:
    return ColumnSpec(key, zh, en, kind, "record", required, example)


_FIRM: Final = (
    _c("uscc", "统一社会信用代码", "USCC", "uscc", "91371502MA3DHUQR57", True),
    _c("name", "企业名称", "Name", "text200", "聊城某某轴承有限公司", True),
)


@dataclass(frozen=True)
class SheetSpec:
    """One record sheet: its columns, what makes a row unique, and its instructions."""

    key: str
    zh: str
    en: str
    columns: tuple[ColumnSpec, ...]
    identity: tuple[str, ...]  # with the credit code: one row per these values
    notes: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.zh} {self.en}"[:31]  # Excel sheet titles hold 31 characters

    @property
    def by_key(self) -> dict[str, ColumnSpec]:
        return {c.key: c for c in self.columns}


CERTIFICATIONS: Final = SheetSpec(
    "certifications", "认定证书", "Certifications",
    (*_FIRM,
     _c("tier", "认定类型", "Title", "choice:tier", "高新技术企业", True),
     _c("level", "级别", "Level", "choice:cert_level", "国家级"),
     _c("number", "证书编号", "Certificate number", "text60", "GR202537000123", True),
     _c("issuer", "发证机关", "Issuer", "text200", "山东省科学技术厅"),
     _c("issued_on", "发证日期", "Issued on", "past_date", "2025-11-28", True),
     _c("expires_on", "有效期至", "Expires on", "date", "2028-11-27")),
    ("tier", "number"),
    ("有效期至留空时按认定类型的通常有效期填写（高企3年、科技型中小企业当年）。/ A blank expiry "
     "gets the title's usual validity (HNTE 3 years, tech SME the calendar year).",
     "同一企业已登记相同类型、相同编号的证书时，该行跳过并在结果中列出（可重复导入同一名单）。/ "
     "A certificate already on file (same firm, title and number) is skipped and listed, so "
     "the same list can be imported again.",
     "登记的证书按认定规则推动培育流程（如已入库企业自动流转至“认定”）。/ A recorded "
     "certificate moves the firm's pool memberships as the certification rules say."),
)
IP: Final = SheetSpec(
    "ip", "知识产权", "IP items",
    (*_FIRM,
     _c("kind", "类型", "Kind", "choice:ip_kind", "发明专利", True),
     _c("number", "编号（专利号/登记号）", "Number", "text64", "ZL202310123456.7", True),
     _c("title", "名称", "Title", "text200", "一种轴承保持架"),
     _c("granted_on", "授权日期", "Granted on", "past_date", "2024-05-10"),
     _c("acquired_by", "获得方式", "Acquired by", "choice:acquired_by", "自主研发", True),
     _c("related_to_main_product", "与主营产品相关", "Related to main product", "flag", "是",
        True),
     _c("high_value", "高价值专利", "High value", "flag", "否"),
     _c("in_force", "有效", "In force", "flag", "是"),
     _c("used_in_hnte", "已用于高企认定", "Used in an HNTE recognition", "flag", ""),
     _c("in_dispute", "存在权属纠纷", "In dispute", "flag", "否")),
    ("kind", "number"),
    ("同一企业已登记相同类型、相同编号的知识产权时，该行跳过并在结果中列出。/ An item already "
     "on file (same firm, kind and number) is skipped and listed.",
     "“已用于高企认定”留空表示未知。/ A blank 'used in an HNTE recognition' means not known."),
)
POOL_MEMBERSHIPS: Final = SheetSpec(
    "pools", "培育库名单", "Pool memberships",
    (*_FIRM,
     _c("pool", "培育库", "Pool", "choice:pool", "高企后备库", True),
     _c("stage", "阶段", "Stage", "choice:stage", "入库", True),
     _c("decided_on", "日期", "Date", "past_date", "2025-06-30", True),
     _c("reason", "依据/原因", "Reason", "text500", "2025年高企后备库入库名单", True)),
    ("pool",),
    ("不在库的企业先提名，再按培育流程逐步流转至所填阶段；已在库的企业从当前阶段流转。/ A firm "
     "not in the pool is nominated, then moved stage by stage to the stage given; a member "
     "moves on from where it is.",
     "流转规则与单个操作相同（如“认定”须有有效证书）；不允许的流转作为错误列出。/ The same "
     "rules as a single move apply (certified needs a valid certificate); a move they refuse "
     "is listed as an error.",
     "已在所填阶段的企业跳过并在结果中列出。/ A member already at the stage is skipped and "
     "listed."),
)
SHEETS: Final[dict[str, SheetSpec]] = {s.key: s for s in (CERTIFICATIONS, IP, POOL_MEMBERSHIPS)}


def map_sheet_header(spec: SheetSpec, header: Iterable[Any]) -> list[str | None]:
    """Field key per column position; raises ``HeaderError`` on unknown, repeated or missing."""
    aliases = {_norm(alias): c.key for c in spec.columns
               for alias in (c.header, c.zh, c.en, c.key)}
    keys: list[str | None] = []
    problems: dict[str, list[str]] = {}
    for position, cell in enumerate(header, start=1):
        if cell is None or str(cell).strip() == "":
            keys.append(None)
            continue
        key = aliases.get(_norm(cell))
        if key is None:
            allowed = "、".join(c.zh for c in spec.columns)
            problems[f"row 1: {str(cell)[:60]}"] = [
                f"未知列；本表可用的列：{allowed} / unknown column for the {spec.en} sheet"]
        elif key in keys:
            problems[f"row 1: {str(cell)[:60]}"] = [f"列重复（第{position}列） / repeated column"]
        keys.append(key)
    for required in (c for c in spec.columns if c.required and c.key not in keys):
        problems[required.header] = ["缺少必填列 / required column missing"]
    if problems:
        raise HeaderError(problems)
    return keys


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One accepted row: its line in the file, the firm it names and its values."""

    row: int
    uscc: str
    name: str
    values: dict[str, Any]


@dataclass
class SheetBatch:
    """What validation accepted, the errors, and the rows skipped as repeats (notices)."""

    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    notices: list[RowError] = field(default_factory=list)
    skipped: int = 0
    seen: int = 0

    def error(self, row: int, column: str, zh: str, en: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(row, column, zh, en))

    def notice(self, row: int, column: str, zh: str, en: str) -> None:
        """A row skipped on purpose, reported with its row."""
        self.skipped += 1
        self.remark(row, column, zh, en)

    def remark(self, row: int, column: str, zh: str, en: str) -> None:
        """Something the user should see about a row that is still imported."""
        if len(self.notices) < MAX_ERRORS_KEPT:
            self.notices.append(RowError(row, column, zh, en))


class SheetValidator:
    """Validate the rows of one record sheet; feed with ``add``, read ``batch`` at the end."""

    def __init__(self, spec: SheetSpec, keys: list[str | None], *, today: date | None = None
                 ) -> None:
        today = today or beijing_today()
        self._spec = spec
        self._steps: list[tuple[int, ColumnSpec, Callable[[Any], Any]]] = [
            (i, spec.by_key[k], converter(spec.by_key[k].kind, today))
            for i, k in enumerate(keys) if k is not None]
        self._first: dict[tuple[Any, ...], SheetRow] = {}
        self.batch = SheetBatch()

    def add(self, row: int, cells_: tuple[Any, ...] | list[Any]) -> None:
        self.batch.seen += 1
        values: dict[str, Any] = {}
        ok = True
        for position, column, convert in self._steps:
            raw = cells_[position] if position < len(cells_) else None
            if raw is None or (raw.__class__ is str and not raw.strip()):
                values[column.key] = None
                if column.required:
                    self.batch.error(row, column.header, "必填", "required")
                    ok = False
                continue
            try:
                values[column.key] = convert(raw)
            except CellError as exc:
                self.batch.error(row, column.header, exc.zh, exc.en)
                ok = False
        if ok:
            self._accept(row, values)

    def _accept(self, row: int, values: dict[str, Any]) -> None:
        uscc, name = values.pop("uscc"), values.pop("name")
        identity = (uscc, *(values.get(k) for k in self._spec.identity))
        first = self._first.get(identity)
        if first is None:
            accepted = SheetRow(row, uscc, name, values)
            self._first[identity] = accepted
            self.batch.rows.append(accepted)
        elif first.values == values:
            self.batch.notice(row, "", f"与第{first.row}行重复，已跳过",
                              f"repeats row {first.row}; skipped")
        else:
            differs = [self._spec.by_key[k].header for k in values
                       if values[k] != first.values.get(k)]
            self.batch.error(row, differs[0], f"与第{first.row}行是同一记录但内容不同",
                             f"the same record as row {first.row} with different values")
