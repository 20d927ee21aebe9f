"""Schemas of parked messages: the shared ones (``yumiao_common.parking.api``)."""

from __future__ import annotations

from yumiao_common.parking.api import ParkedArgs
from yumiao_common.parking.api import ParkedDetail
from yumiao_common.parking.api import ParkedOut
from yumiao_common.parking.api import ParkedPage
from yumiao_common.parking.api import ReplayIn

__all__ = ["ParkedArgs", "ParkedDetail", "ParkedOut", "ParkedPage", "ReplayIn"]
