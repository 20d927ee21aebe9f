"""e2e fixtures: ``stack`` (the whole stack via scripts/dev-up.sh) lives in ``e2e_stack``,
``browser`` (one Chromium per module) in ``browser_kit``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from browser_kit import browser  # noqa: E402,F401
from e2e_stack import stack  # noqa: E402,F401

__all__ = ["browser", "stack"]
