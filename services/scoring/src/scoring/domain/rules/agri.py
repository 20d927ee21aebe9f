"""农业产业化龙头企业 ladder (农经发〔2018〕1号; 鲁农产业字〔2018〕28号; Liaocheng local).

Every condition is a generic threshold over the facts (agri share of sales, assets, fixed
assets, sales, ROA against the 1-year LPR, no loss, debt ratio, households, farm-sourced
share, arrears and credit flags), so this module adds no builder. Numbers not read in a
source (provincial and municipal thresholds, several national ones marked [MEM]) are local
parameters in the rulebook files: unverified defaults the bureau overrides.
"""

from __future__ import annotations

from scoring.domain.rules.base import Builder

BUILDERS: dict[str, Builder] = {}
