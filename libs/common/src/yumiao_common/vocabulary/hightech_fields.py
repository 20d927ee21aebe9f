"""Names of the eight fields of 《国家重点支持的高新技术领域》 (国科发火〔2016〕32号 附件) by the
profile's ``hightech_field`` key: the one table every service shows a field with (scoring's
answers, the gateway's pages, the registry's import — which also accepts the Chinese name —
and its export), so a field reads alike everywhere and never as its key.
"""

from __future__ import annotations

from typing import Final

FIELDS: Final[dict[str, tuple[str, str]]] = {
    "electronic_information": ("电子信息", "Electronic information"),
    "biomedicine": ("生物与新医药", "Biomedicine"), "aerospace": ("航空航天", "Aerospace"),
    "new_materials": ("新材料", "New materials"),
    "hightech_services": ("高技术服务", "High-tech services"),
    "new_energy": ("新能源与节能", "New energy and energy saving"),
    "resources_environment": ("资源与环境", "Resources and environment"),
    "advanced_manufacturing": ("先进制造与自动化", "Advanced manufacturing and automation"),
}  # fmt: skip


def field_label(key: str | None, language: str = "zh-CN") -> str:
    """``先进制造与自动化`` / ``Advanced manufacturing and automation``; the key itself when it
    is not a field; ``—`` when there is none."""
    if not key:
        return "—"
    names = FIELDS.get(key)
    if names is None:
        return key
    return names[1] if language == "en" else names[0]
