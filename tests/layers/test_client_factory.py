"""One place makes boto3 clients (``mfa_widgets/aws_clients.py``); no other module of ours does.

Every module's syntax tree is read (strings and comments, such as the AWS CLI's generated
``boto3.client(...)`` snippet, are not calls) for the calls that make a session, a client or a
service-model loader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import mfa_widgets

PACKAGE = Path(mfa_widgets.__file__).parent
FACTORY = PACKAGE / "aws_clients.py"

#: Calls that make a boto3/botocore session, client or loader, by the name called.
_MAKERS = frozenset({"client", "Session", "get_session", "create_client", "create_loader"})


def _may_be_a_service_name(node: ast.expr) -> bool:
    """Text (``"cognito-idp"``) or a name that may hold it; never a number (``world.client(1)``)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, ast.Name | ast.Attribute)


def _makers_called(source: str) -> list[str]:
    """``name(...)`` / ``x.name(...)`` calls of a maker; ``.client(...)`` only given a service.

    A ``client()`` without a service name is a toolkit object's own accessor
    (``sandbox.client()``, ``world.client(1)``), never boto3's, which needs the service first.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name not in _MAKERS:
            continue
        if name == "client" and not (node.args and _may_be_a_service_name(node.args[0])):
            continue
        found.append(f"{ast.unparse(func)}(...) line {node.lineno}")
    return found


def _makers_in(path: Path) -> list[str]:
    return _makers_called(path.read_text(encoding="utf-8"))


def test_only_the_factory_makes_sessions_and_clients() -> None:
    strays = {
        str(path.relative_to(PACKAGE)): calls
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != FACTORY and (calls := _makers_in(path))
    }
    assert strays == {}, "make boto3 clients with mfa_widgets.aws_clients"


def test_the_factory_is_found_making_them() -> None:
    assert {call.split("(")[0] for call in _makers_in(FACTORY)} >= {
        "session.client",
        "boto3.Session",
        "botocore.session.get_session",
        "botocore.loaders.create_loader",
    }


@pytest.mark.parametrize(
    "source",
    [
        'import boto3\nc = boto3.client("cognito-idp")',
        "import boto3\ns = boto3.session.Session()",
        'def f(session):\n    return session.client("cognito-idp", region_name="eu-west-1")',
        "import botocore.session\nm = botocore.session.get_session()",
        "from botocore.loaders import create_loader\nloader = create_loader()",
    ],
)
def test_a_stray_client_is_caught(source: str) -> None:
    assert _makers_called(source)


def test_text_and_accessors_are_not_clients() -> None:
    assert not _makers_called('snippet = "client = boto3.client(\\"cognito-idp\\")"')
    assert not _makers_called("def f(sandbox):\n    return sandbox.client()")
    assert not _makers_called("def f(world):\n    return world.client(1)")
