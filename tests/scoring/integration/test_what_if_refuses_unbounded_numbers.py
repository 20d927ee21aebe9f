"""Issue 9 item 1: every number of the shared profile contract is bounded, so a what-if with
an absurd figure is a 422 naming the field, answered at once — not a worker stuck at 100 %
CPU (``"1E+999999"``) or a 500 (``"1E+5000"``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

pytestmark = pytest.mark.integration

MakeProfile = Callable[..., dict[str, Any]]


@pytest.mark.parametrize("value", ["1E+999999", "1E+5000", "1E-999999", "NaN", "-Infinity",
                                   "1000000000000000.5", "1000000000000001"])
def test_absurd_revenue_is_a_422_naming_the_field(
    client: FlaskClient, make_profile: MakeProfile, value: str
) -> None:
    profile = make_profile()
    profile["financials"][0]["sales_revenue"] = value
    resp = client.post("/api/v1/evaluate", json=profile)
    assert resp.status_code == 422, resp.json
    error = resp.json["error"]
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == ["financials.0.sales_revenue"]
    assert " / " in error["fields"]["financials.0.sales_revenue"][0]  # zh-CN / English


@pytest.mark.parametrize(("path", "value"), [
    (("financials", 0, "employees"), 10**7 + 1),
    (("financials", 0, "net_profit"), "-1000000000000001"),
    (("enterprise", "niche_market_years"), 201),
    (("enterprise", "market_rank_national"), 10**7 + 1),
    (("awards",), [{"level": "provincial", "year": 2023, "rank": 10**8}]),
])
def test_counts_ranks_years_and_signed_money_are_bounded(
    client: FlaskClient, make_profile: MakeProfile, path: tuple[Any, ...], value: Any
) -> None:
    profile = make_profile()
    node: Any = profile
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    resp = client.post("/api/v1/evaluate", json=profile)
    assert resp.status_code == 422, resp.json
    field = ".".join(str(p) for p in path) + (".0.rank" if path == ("awards",) else "")
    assert field in resp.json["error"]["fields"]


def test_the_largest_allowed_figures_are_evaluated(
    client: FlaskClient, make_profile: MakeProfile
) -> None:
    profile = make_profile()
    year = profile["financials"][0]
    for name in ("sales_revenue", "operating_revenue", "total_assets", "rd_expense"):
        year[name] = "1000000000000000"
    year["net_profit"] = "-1000000000000000"
    resp = client.post("/api/v1/evaluate", json=profile)
    assert resp.status_code == 200, resp.json


def test_an_arithmetic_error_in_evaluation_is_a_422_naming_the_largest_figures(
    client: FlaskClient, make_profile: MakeProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bounds make decimal errors unreachable today; the safety net keeps any future gap
    # (a new formula, a new field) a 422 instead of a 500.
    import decimal

    import scoring.api.evaluate.routes as routes

    def overflowing(*_args: Any, **_kwargs: Any) -> Any:
        raise decimal.Overflow("simulated")

    monkeypatch.setattr(routes, "evaluate", overflowing)
    profile = make_profile()
    profile["financials"][0]["operating_revenue"] = "900000000000000"
    resp = client.post("/api/v1/evaluate", json=profile)
    assert resp.status_code == 422, resp.json
    assert "financials.0.operating_revenue" in resp.json["error"]["fields"]
