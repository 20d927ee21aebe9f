"""Routes of registry's parking ledger (list, inspect, replay): the shared blueprint.

The prefix names the service so the gateway can route it beside notify's ``/parking``; a
replay is published by the consumer's keeper to the queue the message was parked from.
"""

from __future__ import annotations

from registry.models.parked import ParkedMessage
from yumiao_common.parking.api import parking_blueprint

blp = parking_blueprint(ParkedMessage, url_prefix="/parking/registry")
