"""One handler per operation, named by the table; an access token checked once per request."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

import mfa_widgets.sandbox.cognito as cognito_package
from mfa_widgets.sandbox.cognito import access, app
from mfa_widgets.sandbox.cognito.app import HANDLERS
from mfa_widgets.sandbox.cognito.operations import (
    DuplicateHandlerError,
    Treatment,
    handler_name,
    register,
    table,
)
from mfa_widgets.sandbox.cognito.ops import preferences, users

COGNITO = Path(cognito_package.__file__).parent


def test_a_second_handler_for_an_operation_is_refused() -> None:
    with pytest.raises(DuplicateHandlerError) as refused:
        register(preferences.HANDLERS, {"SetUserMFAPreference": users.delete_user})
    message = str(refused.value)
    assert "SetUserMFAPreference" in message
    assert "cognito.ops.preferences.set_user_mfa_preference" in message
    assert "cognito.ops.users.delete_user" in message


def test_one_family_listed_twice_is_refused_too() -> None:
    with pytest.raises(DuplicateHandlerError):
        register(users.HANDLERS, users.HANDLERS)


def test_a_name_that_is_not_an_operation_is_refused() -> None:
    with pytest.raises(ValueError, match="SetUserMfaPreference is not a cognito-idp operation"):
        register({"SetUserMfaPreference": users.delete_user})


def test_the_table_names_the_one_handler_of_every_emulated_operation() -> None:
    emulated = [row for row in table(HANDLERS) if row.treatment is Treatment.EMULATED]
    assert len(emulated) == len(HANDLERS)
    for row in emulated:
        assert row.handler == handler_name(HANDLERS[row.operation])
        assert row.handler.startswith(("cognito.ops.", "cognito.signin.")), row
        assert "<lambda>" not in row.handler, row
    others = [row for row in table(HANDLERS) if row.treatment is not Treatment.EMULATED]
    assert all(row.handler == "" for row in others)


def _imports_authorize(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and any(a.name == "authorize" for a in node.names):
            return True
    return False


def test_only_the_app_checks_access_tokens() -> None:
    checkers = sorted(
        str(path.relative_to(COGNITO)) for path in COGNITO.rglob("*.py") if _imports_authorize(path)
    )
    assert checkers == ["app.py"]


def test_set_user_mfa_preference_checks_its_token_once(
    sandbox: Any, cognito: Any, pool: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(pool)
    token = sandbox.sign_in(pool, user.username, user.password)["AccessToken"]
    calls: list[str] = []

    def counted(*args: Any, **kwargs: Any) -> access.TokenOwner:
        calls.append("authorize")
        return access.authorize(*args, **kwargs)

    monkeypatch.setattr(app, "authorize", counted)
    cognito.set_user_mfa_preference(
        AccessToken=token, EmailMfaSettings={"Enabled": False, "PreferredMfa": False}
    )
    assert calls == ["authorize"]
