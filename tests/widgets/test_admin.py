"""The admin panel: list users page by page, open one, read and set their preference."""

from __future__ import annotations

import pytest

from mfa_widgets.core.errors import HINTS
from mfa_widgets.core.preferences import Factor, FactorState
from mfa_widgets.sandbox import Sandbox, SandboxPool
from mfa_widgets.services.client import MfaClient
from mfa_widgets.services.log import MfaLog
from mfa_widgets.widgets.admin import AdminPanel, describe_facts


@pytest.fixture(scope="module")
def admin_pool(sandbox: Sandbox) -> SandboxPool:
    pool = sandbox.create_pool(name="admin-widgets", mfa="OPTIONAL")
    sandbox.create_user(pool, "ann", phone="+15555550111", email="ann@example.com")
    sandbox.create_user(pool, "ben", email="ben@example.com")
    sandbox.create_user(pool, "cat")
    return pool


def test_open_user_reads_facts_and_sets_the_preference(
    sandbox: Sandbox, admin_pool: SandboxPool
) -> None:
    log = MfaLog()
    client = MfaClient.for_sandbox(sandbox, log=log)
    panel = AdminPanel(client, user_pool_id=admin_pool.pool_id, username="ann")
    preferences = panel.preferences
    assert preferences is not None
    assert "ann" in panel.facts.value
    assert "phone present (verified)" in panel.facts.value
    assert "status CONFIRMED" in panel.facts.value
    assert "admin-set-user-mfa-preference" in preferences.cli.value
    assert "Predicted sign-in challenge" in preferences.prediction.value
    preferences.rows[Factor.SMS].enabled.value = True
    preferences.rows[Factor.SMS].preferred.value = True
    preferences.apply_button.click()
    server = client.admin_get_preference(admin_pool.pool_id, "ann").state
    assert server is not None
    assert server.state(Factor.SMS) is FactorState.PREFERRED
    operations = set(log.frame["operation"].astype(str))
    assert {"AdminGetUser", "AdminSetUserMFAPreference", "GetUserPoolMfaConfig"} <= operations
    panel.close()


def _listed(sandbox: Sandbox, pool: SandboxPool, page_size: int) -> AdminPanel:
    """An admin panel that has listed the first page of ``pool``'s users."""
    panel = AdminPanel(MfaClient.for_sandbox(sandbox), page_size=page_size)
    panel.pool_box.value = pool.pool_id
    panel.list_button.click()
    return panel


def test_users_are_listed_a_page_at_a_time_and_picked(
    sandbox: Sandbox, admin_pool: SandboxPool
) -> None:
    panel = _listed(sandbox, admin_pool, page_size=2)
    first = panel.state.users
    assert len(first) == 2
    assert panel.state.page == 1
    assert not panel.next_button.disabled
    panel.next_button.click()
    second = panel.state.users
    assert panel.state.page == 2
    assert set(first) | set(second) == {"ann", "ben", "cat"}
    assert panel.next_button.disabled
    panel.users_list.value = second[0]
    assert panel.username_box.value == second[0]
    panel.open_button.click()
    assert panel.preferences is not None
    assert second[0] in panel.facts.value


def test_a_double_clicked_next_page_shows_the_next_page_once(
    sandbox: Sandbox, admin_pool: SandboxPool
) -> None:
    panel = _listed(sandbox, admin_pool, page_size=1)
    first = panel.state.users
    panel.next_button.click()
    panel.next_button.click()  # the second click of a double-click, queued by the browser
    assert panel.state.page == 2
    assert panel.state.users != first
    panel.close()


def test_a_next_page_click_after_the_last_page_changes_nothing(
    sandbox: Sandbox, admin_pool: SandboxPool
) -> None:
    panel = _listed(sandbox, admin_pool, page_size=2)
    panel.next_button.click()
    last = panel.state.users
    panel.list_users(next_page=True)  # a click queued before the button was disabled
    assert (panel.state.page, panel.state.users) == (2, last)
    panel.close()


def test_missing_pool_and_unknown_user_are_explained(
    sandbox: Sandbox, admin_pool: SandboxPool
) -> None:
    panel = AdminPanel(MfaClient.for_sandbox(sandbox))
    panel.list_button.click()
    assert panel.status.kind == "error"
    assert "pool id" in panel.status.message
    panel.pool_box.value = admin_pool.pool_id
    panel.username_box.value = "nobody"
    panel.open_button.click()
    assert panel.status.kind == "error"
    assert HINTS["UserNotFoundException"] in panel.status.message
    panel.username_box.value = "ben"
    panel.open_button.click()
    assert panel.status.kind == "info"
    assert "no phone" in panel.facts.value


def test_describe_facts_in_plain_words() -> None:
    text = describe_facts(
        {"status": "CONFIRMED", "has_phone": True, "phone_verified": False, "has_email": False}
    )
    assert text == "status CONFIRMED, phone present (not verified), no email"
