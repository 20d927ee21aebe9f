"""Keyset pages for notify's lists: the shared ``yumiao_common.web.keyset`` (notify's own
module until the parking ledger, which every service now pages, moved it to libs/common)."""

from __future__ import annotations

from yumiao_common.web.keyset import Key
from yumiao_common.web.keyset import keyset_page
from yumiao_common.web.keyset import ordered
from yumiao_common.web.keyset import text_key
from yumiao_common.web.keyset import timestamp_key
from yumiao_common.web.keyset import uuid_key

__all__ = ["Key", "keyset_page", "ordered", "text_key", "timestamp_key", "uuid_key"]
