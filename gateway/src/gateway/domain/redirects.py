"""Where the gateway may send a browser after sign-in: same-site paths only.

Judging the raw ``next`` value is not enough, because browsers rewrite a URL before they
follow it (WHATWG URL parsing): they strip leading and trailing control characters and spaces,
drop every tab and newline anywhere, and read ``\\`` as ``/`` in http(s) URLs. So
``/\\t/evil.example/x`` looks like a path but is followed as ``//evil.example/x`` — another
site. ``same_site_path`` applies the same normalisation first and then accepts only an
absolute path with no scheme and no host; the value returned is the normalised one, so what
the browser follows is exactly what was judged.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_NEXT_LENGTH = 2000
_EDGE = "".join(chr(c) for c in range(0x21))  # C0 controls and space, stripped at both ends
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def browser_normalised(target: str) -> str:
    """``target`` as a browser reads it before resolving it against the current page."""
    value = _TAB_OR_NEWLINE.sub("", target.strip(_EDGE))
    return value.replace("\\", "/")


def same_site_path(target: str | None) -> str | None:
    """The normalised path when ``target`` stays on this site, else None."""
    if not target or len(target) > MAX_NEXT_LENGTH:
        return None
    value = browser_normalised(target)
    if not value.startswith("/") or value.startswith("//") or _CONTROL.search(value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value
