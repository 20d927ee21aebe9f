"""Reference tables the demo generator draws from: towns, the plan's industries, name parts.

Kept as plain data so the generator stays a pure function and reviewers can check each code
against domain-data.md (§2.2 towns, §3.2 industry codes, §4 high-tech fields).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from yumiao_common.vocabulary.towns import TOWNS_BY_CODE

#: Where firms sit, by NBS town code: industrial towns and the development-zone streets carry
#: more. Names come from the one town table (``yumiao_common.vocabulary.towns``); retired codes
#: get none.
_TOWN_WEIGHTS: Final[dict[str, int]] = {
    "371502001": 4, "371502002": 5, "371502003": 6, "371502004": 4, "371502005": 7,
    "371502006": 7, "371502008": 8, "371502009": 6, "371502010": 9, "371502011": 5,
    "371502100": 3, "371502101": 3, "371502102": 4, "371502103": 4, "371502104": 3,
    "371502105": 6, "371502106": 3, "371502107": 3, "371502108": 4, "371502109": 3,
    "371502110": 5, "371502115": 3, "371502116": 4,
}
#: (code, name, weight) of each current town a demo firm may sit in.
TOWNS: Final[tuple[tuple[str, str, int], ...]] = tuple(
    (code, TOWNS_BY_CODE[code].name, weight) for code, weight in _TOWN_WEIGHTS.items()
)

DISTRICT: Final = "371502"


@dataclass(frozen=True, slots=True)
class Industry:
    """One industry slot of the plan: GB/T 4754-2017 code, name words and its tech field."""

    key: str
    code: str
    product: str  # word that goes into a firm name, e.g. 轴承
    hightech_field: str | None
    weight: int
    techy: float  # share of firms in this slot that do R&D at all
    agri: bool = False


INDUSTRIES: Final[tuple[Industry, ...]] = (
    Industry("steel_pipe", "C3130", "钢管", "new_materials", 70, 0.35),
    Industry("metal_structure", "C3311", "钢结构", "advanced_manufacturing", 25, 0.25),
    Industry("bearing", "C3451", "轴承", "advanced_manufacturing", 60, 0.45),
    Industry("bearing_cage", "C3451", "轴承保持器", "advanced_manufacturing", 30, 0.45),
    Industry("gearbox", "C3453", "齿轮传动", "advanced_manufacturing", 15, 0.4),
    Industry("agri_machinery", "C3572", "农业机械", "advanced_manufacturing", 35, 0.45),
    Industry("tractor", "C3571", "拖拉机", "advanced_manufacturing", 8, 0.45),
    Industry("agri_parts", "C3576", "农机配件", "advanced_manufacturing", 15, 0.3),
    Industry("nev", "C3612", "新能源汽车", "advanced_manufacturing", 6, 0.8),
    Industry("auto_parts", "C3670", "汽车零部件", "advanced_manufacturing", 45, 0.45),
    Industry("li_battery", "C3841", "锂电池", "new_energy", 6, 0.7),
    Industry("optical_fibre", "C3832", "光纤", "electronic_information", 8, 0.7),
    Industry("optical_cable", "C3833", "光缆", "electronic_information", 8, 0.7),
    Industry("sensor", "C3983", "传感器", "electronic_information", 8, 0.8),
    Industry("cement", "C3011", "水泥", "new_materials", 12, 0.2),
    Industry("precast", "C3022", "装配式建筑构件", "new_materials", 20, 0.3),
    Industry("concrete", "C3021", "混凝土", "new_materials", 25, 0.15),
    Industry("insulation", "C3034", "保温材料", "new_materials", 10, 0.35),
    Industry("coatings", "C2641", "涂料", "new_materials", 15, 0.5),
    Industry("pesticide", "C2631", "农药", "biomedicine", 6, 0.6),
    Industry("fine_chem", "C2661", "精细化工", "new_materials", 15, 0.6),
    Industry("fertiliser", "C2624", "复合肥", "resources_environment", 8, 0.3),
    Industry("flour", "C1312", "面粉", None, 25, 0.1, True),
    Industry("edible_oil", "C1331", "粮油", None, 15, 0.1, True),
    Industry("slaughter", "C1351", "肉类食品", None, 18, 0.1, True),
    Industry("poultry", "C1352", "禽业", None, 20, 0.1, True),
    Industry("vegetables", "C1371", "蔬菜加工", None, 15, 0.1, True),
    Industry("feed", "C1329", "饲料", "biomedicine", 12, 0.2, True),
    Industry("software", "I6513", "软件", "electronic_information", 35, 0.85),
    Industry("iot", "I6532", "物联网科技", "electronic_information", 12, 0.85),
    Industry("integration", "I6531", "信息技术", "electronic_information", 20, 0.6),
    Industry("rd_service", "M7320", "工程技术研究", "hightech_services", 12, 0.9),
    Industry("tech_promotion", "M7519", "科技服务", "hightech_services", 15, 0.6),
    Industry("farming", "A0141", "蔬菜种植", None, 45, 0.05, True),
    Industry("livestock", "A0313", "畜牧养殖", None, 40, 0.05, True),
    Industry("construction", "E4710", "建筑工程", None, 200, 0.03),
    Industry("installation", "E4910", "电气安装", None, 40, 0.03),
    Industry("wholesale", "F5174", "五金交电", None, 260, 0.0),
    Industry("retail", "F5211", "商贸", None, 240, 0.0),
    Industry("logistics", "G5431", "物流", None, 70, 0.02),
    Industry("catering", "H6210", "餐饮管理", None, 60, 0.0),
    Industry("business", "L7243", "企业管理咨询", None, 90, 0.02),
    Industry("repair", "O8111", "汽车维修", None, 50, 0.0),
)

#: Trade-name characters (字号) pairs are built from; plain, regional, common in Shandong.
TRADE_CHARS: Final = (
    "东昌凤凰水城光岳鲁西金泰华盛鑫源恒通新宇聚丰瑞博德隆祥和宏运中科天元"
    "昊达永安嘉明兴旺佳禾齐力正阳汇通润丰三和万象百川宝丰广益诚信长青富民"
)

CITY_PREFIXES: Final = ("聊城", "聊城市", "山东")
LEGAL_FORMS: Final = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")
COOP_SUFFIX: Final = "专业合作社"
