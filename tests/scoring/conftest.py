"""Make ``scoring`` importable before the service distribution is installed in the venv.

Only touches ``sys.path`` when ``import scoring`` fails; once ``pip install -e
services/scoring`` has run this does nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import scoring  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services/scoring/src"))
