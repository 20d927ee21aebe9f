"""e2e fixtures: ``stack`` (the whole stack via scripts/dev-up.sh) lives in ``e2e_stack``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from e2e_stack import stack  # noqa: E402,F401

__all__ = ["stack"]
