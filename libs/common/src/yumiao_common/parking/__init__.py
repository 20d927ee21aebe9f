"""The parking ledger every service shares: its table, the keeper's SQL side, the use cases
and the ``/parking`` HTTP API (list, inspect, replay).

The broker side (parking queues, :class:`~yumiao_common.messaging.parking.ParkingKeeper`) was
already common; the ledger behind it was notify's alone, so only notify's parked messages could
be seen and replayed. A service now declares its ledger table with
:class:`~.models.ParkedMessageColumns` on its own ``Base``, hands it to its consumer
(``consumer.main(..., parked=Model)``) and registers :func:`~.api.parking_blueprint`.
"""
