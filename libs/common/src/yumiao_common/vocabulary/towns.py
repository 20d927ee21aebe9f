"""Dongchangfu District's towns and sub-districts with their NBS division codes: the one table
every service shows a town with (the registry validates and serves it at
``/api/v1/reference/towns``, scoring's ranking export and the gateway's pages name towns by it).

Source: NBS 统计用区划代码 (cut-off 2022-10-31) via domain-data.md §2.2. Retired codes are kept
with an end year so old records still validate and display: 凤凰街道 (gone from 2018) and the
two former townships 广平乡 / 韩集乡 (became towns with new codes in the 2020 data). The 2025
九州街道 has no confirmed NBS code yet, so it is not listed.
"""

from __future__ import annotations

from dataclasses import dataclass

DISTRICT_CODE = "371502"


@dataclass(frozen=True)
class Town:
    code: str
    name: str
    name_en: str
    kind: str  # "subdistrict" (街道), "town" (镇), "township" (乡), "other"
    retired_in: int | None = None


TOWNS: tuple[Town, ...] = (
    Town("371502001", "古楼街道", "Gulou Subdistrict", "subdistrict"),
    Town("371502002", "柳园街道", "Liuyuan Subdistrict", "subdistrict"),
    Town("371502003", "新区街道", "Xinqu Subdistrict", "subdistrict"),
    Town("371502004", "湖西街道", "Huxi Subdistrict", "subdistrict"),
    Town("371502005", "道口铺街道", "Daokoupu Subdistrict", "subdistrict"),
    Town("371502006", "闫寺街道", "Yansi Subdistrict", "subdistrict"),
    Town("371502007", "凤凰街道", "Fenghuang Subdistrict", "subdistrict", retired_in=2018),
    Town("371502008", "北城街道", "Beicheng Subdistrict", "subdistrict"),
    Town("371502009", "东城街道", "Dongcheng Subdistrict", "subdistrict"),
    Town("371502010", "蒋官屯街道", "Jiangguantun Subdistrict", "subdistrict"),
    Town("371502011", "李海务街道", "Lihaiwu Subdistrict", "subdistrict"),
    Town("371502100", "侯营镇", "Houying Town", "town"),
    Town("371502101", "沙镇镇", "Shazhen Town", "town"),
    Town("371502102", "堂邑镇", "Tangyi Town", "town"),
    Town("371502103", "梁水镇镇", "Liangshuizhen Town", "town"),
    Town("371502104", "斗虎屯镇", "Douhutun Town", "town"),
    Town("371502105", "郑家镇", "Zhengjia Town", "town"),
    Town("371502106", "张炉集镇", "Zhangluji Town", "town"),
    Town("371502107", "于集镇", "Yuji Town", "town"),
    Town("371502108", "许营镇", "Xuying Town", "town"),
    Town("371502109", "朱老庄镇", "Zhulaozhuang Town", "town"),
    Town("371502110", "顾官屯镇", "Guguantun Town", "town"),
    Town("371502115", "韩集镇", "Hanji Town", "town"),
    Town("371502116", "广平镇", "Guangping Town", "town"),
    Town("371502202", "广平乡", "Guangping Township", "township", retired_in=2020),
    Town("371502203", "韩集乡", "Hanji Township", "township", retired_in=2020),
    Town("371502400", "香江光彩大市场服务中心", "Xiangjiang Guangcai Market Service Centre",
         "other"),
)

TOWNS_BY_CODE: dict[str, Town] = {t.code: t for t in TOWNS}
CURRENT_TOWNS: tuple[Town, ...] = tuple(t for t in TOWNS if t.retired_in is None)


def is_town_code(code: str) -> bool:
    """True for any Dongchangfu township-level code, current or retired."""
    return code in TOWNS_BY_CODE


def town_label(code: str | None, language: str = "zh-CN") -> str:
    """``古楼街道（371502001）`` / ``Gulou Subdistrict (371502001)``: the name with the code
    beside it; the code alone when it is not a Dongchangfu town; ``—`` when there is none."""
    if not code:
        return "—"
    town = TOWNS_BY_CODE.get(code.strip())
    if town is None:
        return code.strip()
    return f"{town.name_en} ({town.code})" if language == "en" else f"{town.name}（{town.code}）"
