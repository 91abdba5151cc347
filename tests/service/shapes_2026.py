"""Check a boto3 answer against botocore's output shape for the operation (issue 14 tests)."""

from __future__ import annotations

from typing import Any

import botocore.session
from botocore.validate import ParamValidator

_MODEL = botocore.session.get_session().get_service_model("cognito-idp")


def assert_valid_output(operation: str, response: dict[str, Any]) -> None:
    """``response`` (ResponseMetadata aside) has only the output shape's members, well typed.

    botocore's parser drops keys the model does not know, so the wire document is what the
    parser returned; the validator then checks required members, types and enums' types.
    """
    shape = _MODEL.operation_model(operation).output_shape
    document = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    if shape is None:
        assert document == {}
        return
    report = ParamValidator().validate(document, shape)
    assert not report.has_errors(), report.generate_report()
    for name, member in shape.members.items():
        enum = getattr(member, "enum", None)
        if enum and name in document:
            assert document[name] in enum, (name, document[name])
