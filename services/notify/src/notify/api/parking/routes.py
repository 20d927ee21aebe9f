"""Routes of notify's parking ledger (list, inspect, replay): the shared blueprint, with
notify's delivery reset in the replay's transaction."""

from __future__ import annotations

from notify.handlers.parking import reset_delivery
from notify.models.parked import ParkedMessage
from yumiao_common.parking.api import parking_blueprint

blp = parking_blueprint(ParkedMessage, url_prefix="/api/v1/parking", on_replay=reset_delivery)
