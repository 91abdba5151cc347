"""moto in one place: only the bridge touches moto, it lists every moto name it uses, those
names exist in the installed moto, and it hands out typed views, not moto's objects.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import mfa_widgets
from mfa_widgets.sandbox.bridge import moto_bridge
from mfa_widgets.sandbox.bridge.moto_bridge import MOTO_INTERNALS, MotoBridge, check_moto_internals

PACKAGE = Path(mfa_widgets.__file__).parent
BRIDGE = Path(moto_bridge.__file__)

#: The bridge's naming convention for moto objects and modules -> their dotted owner.
HOLDERS = {
    "mbackend": "moto.cognitoidp.models.CognitoIdpBackend",
    "mpool": "moto.cognitoidp.models.CognitoIdpUserPool",
    "muser": "moto.cognitoidp.models.CognitoIdpUser",
    "mclient": "moto.cognitoidp.models.CognitoIdpUserPoolClient",
    "cognito_models": "moto.cognitoidp.models",
    "cognito_utils": "moto.cognitoidp.utils",
    "cognito_responses": "moto.cognitoidp.responses",
    "moto_request": "moto.core.request",
    "moto_core": "moto.core",
}


def _imports_moto(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "moto" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "moto":
            return True
    return False


def test_only_the_bridge_imports_moto():
    importers = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if _imports_moto(ast.parse(path.read_text()))
    ]
    assert importers == ["sandbox/bridge/moto_bridge.py"]


def test_the_bridge_lists_every_moto_name_it_uses():
    tree = ast.parse(BRIDGE.read_text())
    used = {
        (HOLDERS[node.value.id], node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in HOLDERS
    }
    used |= {  # getattr(cognito_models, "jwk") and setattr(...) count as uses too
        (HOLDERS[node.args[0].id], node.args[1].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"getattr", "setattr", "hasattr"}
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id in HOLDERS
        and isinstance(node.args[1], ast.Constant)
    }
    assert used, "the completeness check found no moto use at all: is the convention kept?"
    hidden = [  # self._pool(...).x would dodge the check: moto objects go into a holder first
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr in {"_pool", "_backend", "_client", "_user", "_backends"}
    ]
    assert not hidden, f"moto attributes read without a holder variable: {hidden}"
    unlisted = sorted(used - set(MOTO_INTERNALS))
    assert not unlisted, (
        f"moto names used by the bridge but missing from MOTO_INTERNALS: {unlisted}"
    )
    unused = sorted(set(MOTO_INTERNALS) - used)
    assert not unused, f"MOTO_INTERNALS lists names the bridge no longer uses: {unused}"


def test_every_listed_moto_name_exists_in_the_installed_moto():
    missing = check_moto_internals()
    assert not missing, (
        "moto changed internals the sandbox relies on: "
        f"{missing}. Adapt mfa_widgets/sandbox/bridge/moto_bridge.py or pin moto to 5.2.x."
    )


def test_the_check_fails_loudly_when_moto_moves(monkeypatch):
    monkeypatch.setattr(
        moto_bridge, "MOTO_INTERNALS", (*MOTO_INTERNALS, ("moto.cognitoidp.models", "gone"))
    )
    assert moto_bridge.check_moto_internals() == ["moto.cognitoidp.models.gone"]


@pytest.mark.parametrize(
    "name",
    [n for n, f in inspect.getmembers(MotoBridge, inspect.isfunction) if not n.startswith("_")],
)
def test_public_bridge_methods_return_views_or_plain_data(name):
    returned = getattr(MotoBridge, name).__annotations__.get("return", "")
    plain = returned.replace("dict[str, Any]", "dict")
    assert "Any" not in plain, f"MotoBridge.{name} returns {returned}: a moto object may escape"
