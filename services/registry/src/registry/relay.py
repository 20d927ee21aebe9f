"""``python -m registry.relay``: publishes the registry's outbox with the shared relay.

Options are the shared relay's (``--once``, ``--batch-size``, ``--poll-interval``). The
settings come from ``REGISTRY_*`` (database and broker URLs, pool bounds). Never run
inside gunicorn.
"""

from __future__ import annotations

from collections.abc import Sequence

from registry.models.base import outbox_table
from registry.settings import Settings
from yumiao_common.db.engine import engine_from_settings
from yumiao_common.messaging import relay


def main(argv: Sequence[str] | None = None) -> int:
    settings = Settings()
    return relay.main(settings, outbox_table, engine_from_settings(settings), argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
