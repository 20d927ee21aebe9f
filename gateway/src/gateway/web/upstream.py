"""The upstream calls the pages make that the typed clients do not (yet) offer.

Built on the gateway's pooled ``ServiceClient.request`` (same timeouts, retries, X-Actor,
X-Request-ID and internal token); only the paths and bodies live here, so the web layer never
opens its own HTTP sessions. Every function returns the upstream JSON or raises its error in
the shared shape (a 409 of an illegal move keeps ``details.allowed_moves``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from urllib3 import encode_multipart_formdata

from gateway.adapters.http import clients
from gateway.frontdoor.credentials import settings

API = "/api/v1"
PAGE = 200  # the registry's largest page


def enterprise_page(**params: Any) -> dict[str, Any]:
    """One page of the registry's enterprise list: ``items``, ``next_cursor``, ``total``."""
    registry = clients().registry
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return dict(registry.json_or_raise(registry.request("GET", f"{API}/enterprises",
                                                        params=clean)))


def enterprise_total(**filters: Any) -> int:
    """How many enterprises match ``filters`` (one row fetched; the registry counts)."""
    return int(enterprise_page(limit=1, **filters).get("total") or 0)


def enterprise_usccs(**filters: Any) -> set[str]:
    """Every credit code matching ``filters`` (paged; used for small sets such as a tier)."""
    found: set[str] = set()
    cursor: str | None = None
    while True:
        page = enterprise_page(limit=PAGE, cursor=cursor, **filters)
        found.update(row["uscc"] for row in page.get("items", []))
        cursor = page.get("next_cursor")
        if cursor is None:
            return found


def pool_members(pool: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every member of a pool (keyset pages of 200), optionally of one stage."""
    registry = clients().registry
    cursor: str | None = None
    while True:
        query = {"limit": PAGE, **params, **({"cursor": cursor} if cursor else {})}
        body = registry.json_or_raise(registry.request(
            "GET", f"{API}/pools/{pool}/members", params=query))
        yield from body.get("items", [])
        cursor = body.get("next_cursor")
        if cursor is None:
            return


def move(pool: str, uscc: str, *, to_stage: str, reason: str, version: int | None
         ) -> dict[str, Any]:
    """Move a member; the registry answers 409 with ``allowed_moves`` when it is illegal."""
    registry = clients().registry
    body: dict[str, Any] = {"to_stage": to_stage, "reason": reason}
    if version is not None:
        body["version"] = version
    return dict(registry.json_or_raise(registry.request(
        "POST", f"{API}/pools/{pool}/members/{uscc}/moves", json=body)))


def nominate(pool: str, uscc: str, *, reason: str, cohort_year: int | None) -> dict[str, Any]:
    """Put an enterprise into a pool at ``nominated`` (409 when it is already a member)."""
    registry = clients().registry
    body: dict[str, Any] = {"uscc": uscc, "reason": reason, "cohort_year": cohort_year}
    return dict(registry.json_or_raise(registry.request(
        "POST", f"{API}/pools/{pool}/members", json=body)))


def upload_import(data: bytes, filename: str, *, dry_run: bool, sheet: str = "enterprises"
                  ) -> dict[str, Any]:
    """Hand a spreadsheet to the registry's import; answered at once with the job (202).
    ``sheet``: enterprises, or an official list (certifications, ip, pools)."""
    registry = clients().registry
    body, content_type = encode_multipart_formdata({"file": (filename, data)})
    params = {"dry_run": str(dry_run).lower()}
    if sheet != "enterprises":  # the registry's default: the enterprise template
        params["sheet"] = sheet
    response = registry.request(
        "POST", f"{API}/imports", params=params, data=body,
        headers={"Content-Type": content_type}, timeout=settings().bulk_read_timeout_seconds)
    return dict(registry.json_or_raise(response))


def import_history(*, cursor: str | None, limit: int = 20) -> dict[str, Any]:
    """One page of the registry's import history, newest first (``items``, ``next_cursor``,
    ``total``)."""
    registry = clients().registry
    params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
    return dict(registry.json_or_raise(registry.request("GET", f"{API}/imports",
                                                        params=params)))


def import_job(job_id: str) -> dict[str, Any]:
    registry = clients().registry
    return dict(registry.json_or_raise(registry.request("GET", f"{API}/imports/{job_id}")))


def ranking(tier: str, **params: Any) -> dict[str, Any]:
    """One page of a tier's ranking (``items``, ``next_cursor``)."""
    scoring = clients().scoring
    clean = {k: v for k, v in params.items() if v not in (None, "", [])}
    return dict(scoring.json_or_raise(scoring.request("GET", f"{API}/rankings/{tier}",
                                                      params=clean)))
