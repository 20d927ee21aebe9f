"""The registry records the MIIT general condition "no tax evasion in three years" (63号 第五条)
as the flag ``tax_evasion`` and carries it in the profile scoring reads; unknown stays unknown."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from registry_testkit import create_enterprise
from registry_testkit import new_uscc

from yumiao_common.contracts.profile import Profile

pytestmark = pytest.mark.integration


def test_tax_evasion_is_stored_and_reaches_the_profile(client: FlaskClient) -> None:
    uscc = new_uscc()
    created = create_enterprise(client, uscc, flags={"tax_evasion": True, "tax_violation": True})
    assert created["flags"]["tax_evasion"] is True
    profile = Profile.model_validate(
        client.get(f"/api/v1/enterprises/{uscc}/profile?as_of=2025-06-30").json)
    assert profile.enterprise.flags.tax_evasion is True


def test_tax_evasion_left_out_stays_unknown(client: FlaskClient) -> None:
    created = create_enterprise(client, new_uscc())
    assert created["flags"]["tax_evasion"] is None
