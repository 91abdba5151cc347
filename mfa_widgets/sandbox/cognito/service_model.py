r"""cognito-idp's request shapes from botocore's service model, checked as Cognito checks them.

A member of the wrong JSON type is a ``SerializationException``; a missing required member, a
length, range, pattern or enum violation is an ``InvalidParameterException`` worded like
Cognito's ("1 validation error detected: Value at 'username' failed to satisfy constraint: ...").
Values are never quoted back (they may be passwords or codes). Patterns are the model's Java
regular expressions, matched in full (Cognito rejects ``"a b"`` as a username); the ``regex``
package understands their ``\p{L}`` classes, which :mod:`re` does not.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

import regex  # type: ignore[import-untyped]
from botocore.model import OperationModel, ServiceModel, Shape

from mfa_widgets.aws_clients import cognito_service_model
from mfa_widgets.sandbox.wire import WireError, invalid_parameter

__all__ = [
    "check_request",
    "documented_errors",
    "operation_names",
    "service_model",
    "token_authorized",
]

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "blob": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float, str),
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
}
_TYPE_WORDS = {"structure": "an object", "map": "an object", "list": "a list"}


def service_model() -> ServiceModel:
    """Botocore's cognito-idp service model (loaded once, :mod:`mfa_widgets.aws_clients`)."""
    return cognito_service_model()


@functools.cache
def operation_names() -> frozenset[str]:
    """Every operation cognito-idp has, e.g. ``"AdminGetUser"``."""
    return frozenset(service_model().operation_names)


@functools.cache
def documented_errors(operation: str) -> frozenset[str]:
    """The error codes the model lists for ``operation``."""
    return frozenset(
        shape.name for shape in service_model().operation_model(operation).error_shapes
    )


@functools.cache
def token_authorized(operation: str) -> bool:
    """True when ``operation`` takes an ``AccessToken`` (authorized by the token, not by IAM)."""
    shape = service_model().operation_model(operation).input_shape
    return shape is not None and "AccessToken" in shape.members


@functools.cache
def _pattern(expression: str) -> Any:
    try:
        return regex.compile(expression)
    except regex.error:  # a Java construct regex does not know: skip the check
        return None


def check_request(operation: str, body: Mapping[str, Any]) -> None:
    """Raise Cognito's error for the first thing wrong with ``body`` for ``operation``.

    Raises
    ------
    WireError
        ``SerializationException`` (wrong JSON type) or ``InvalidParameterException``.
    """
    model: OperationModel = service_model().operation_model(operation)
    if model.input_shape is not None:
        for problem in _problems(model.input_shape, body, ""):
            raise problem


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _violation(path: str, constraint: str) -> WireError:
    return invalid_parameter(
        f"1 validation error detected: Value at '{path}' failed to satisfy constraint: "
        f"Member must {constraint}"
    )


def _is_json_type(value: object, kind: str) -> bool:
    if kind in {"integer", "long", "float", "double"} and isinstance(value, bool):
        return False
    return isinstance(value, _JSON_TYPES.get(kind, (object,)))


def _problems(shape: Shape, value: Any, path: str) -> Iterator[WireError]:
    kind = shape.type_name
    if not _is_json_type(value, kind):
        word = _TYPE_WORDS.get(kind, f"a {kind}")
        where = f"'{path}'" if path else "the request"
        yield WireError("SerializationException", f"Value at {where} must be {word}.")
        return
    yield from _constraints(shape, value, path)
    if kind == "structure":
        yield from _structure(shape, value, path)
    elif kind == "list":
        for index, item in enumerate(value, start=1):
            yield from _problems(shape.member, item, f"{path}.{index}.member")  # type: ignore[attr-defined]
    elif kind == "map":
        for key, item in value.items():
            yield from _problems(shape.key, key, f"{path}.key")  # type: ignore[attr-defined]
            yield from _problems(shape.value, item, f"{path}.{key}")  # type: ignore[attr-defined]


def _structure(shape: Shape, value: Mapping[str, Any], path: str) -> Iterator[WireError]:
    members = shape.members  # type: ignore[attr-defined]
    for name in shape.required_members:  # type: ignore[attr-defined]
        if value.get(name) is None:
            yield _violation(_join(path, name), "not be null")
    for name, item in value.items():
        if name in members and item is not None:
            yield from _problems(members[name], item, _join(path, name))


def _join(path: str, name: str) -> str:
    return f"{path}.{_camel(name)}" if path else _camel(name)


def _constraints(shape: Shape, value: Any, path: str) -> Iterator[WireError]:
    meta = shape.metadata
    size = len(value) if isinstance(value, (str, list, dict)) else None
    if size is None:
        if "min" in meta and value < meta["min"]:
            yield _violation(path, f"have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            yield _violation(path, f"have value less than or equal to {meta['max']}")
        return
    if "min" in meta and size < meta["min"]:
        yield _violation(path, f"have length greater than or equal to {meta['min']}")
    if "max" in meta and size > meta["max"]:
        yield _violation(path, f"have length less than or equal to {meta['max']}")
    if isinstance(value, str):
        if shape.enum and value not in shape.enum:
            yield _violation(path, f"satisfy enum value set: [{', '.join(shape.enum)}]")
        pattern = _pattern(meta["pattern"]) if "pattern" in meta else None
        if pattern is not None and pattern.fullmatch(value) is None:
            yield _violation(path, f"satisfy regular expression pattern: {meta['pattern']}")
