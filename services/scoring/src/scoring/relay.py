"""``python -m scoring.relay``: publish scoring's outbox (``scoring.eligibility.changed``).

The shared relay does the work (confirms in flight, at-least-once, back-off, exit non-zero on a
refused topology); this module only binds it to scoring's settings and outbox table.
"""

from __future__ import annotations

from collections.abc import Sequence

from scoring.models import outbox
from scoring.settings import Settings
from yumiao_common.db.engine import engine_from_settings
from yumiao_common.messaging.relay import main as relay_main


def main(argv: Sequence[str] | None = None) -> int:
    settings = Settings()
    return relay_main(settings, outbox, engine_from_settings(settings), argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
