"""Enterprise size classes for the registry: the shared 300号 table, no copy of it here.

The table (工信部联企业〔2011〕300号 / 国统字〔2017〕213号) is part of the profile vocabulary
and lives in ``yumiao_common.contracts.sme_size``, where scoring's MIIT SME gate reads it too.
This module keeps the registry's import path: the stored ``size_class`` is
``classify(industry_code, latest figures).key``, None when the industry or a measure its row
lists is unknown.
"""

from __future__ import annotations

from yumiao_common.contracts.sme_size import SizeClass
from yumiao_common.contracts.sme_size import SizeRule
from yumiao_common.contracts.sme_size import classify
from yumiao_common.contracts.sme_size import rule_for

__all__ = ["SizeClass", "SizeRule", "classify", "rule_for"]
