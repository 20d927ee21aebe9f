"""Dongchangfu District's towns: the table lives in ``yumiao_common.vocabulary.towns`` (one
owner, shown alike by every service); the registry validates town codes and serves the list from
it."""

from __future__ import annotations

from yumiao_common.vocabulary.towns import CURRENT_TOWNS
from yumiao_common.vocabulary.towns import DISTRICT_CODE
from yumiao_common.vocabulary.towns import TOWNS
from yumiao_common.vocabulary.towns import TOWNS_BY_CODE
from yumiao_common.vocabulary.towns import Town
from yumiao_common.vocabulary.towns import is_town_code

__all__ = ["CURRENT_TOWNS", "DISTRICT_CODE", "TOWNS", "TOWNS_BY_CODE", "Town", "is_town_code"]
