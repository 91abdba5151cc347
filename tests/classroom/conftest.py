"""Fixtures for the classroom tests: one real classroom server on 127.0.0.1 per module.

Fixtures
--------
classroom
    A running :class:`~mfa_widgets.sandbox.classroom.app.Classroom` with learners ``ana``, ``ben``
    and ``cy``, its roster saved under a temporary directory.
links
    The learners' join links by name.
trainer
    A :class:`~mfa_widgets.training.classroom.TrainerConnection` with the trainer's link.
world_client
    ``world_client(name_or_key) -> boto3 client`` calling the classroom with that learner's key
    (or any key given as ``key=...``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mfa_widgets.core.classroom_link import JoinLink, send_key_with
from mfa_widgets.sandbox.classroom.app import Classroom
from mfa_widgets.training.classroom import TrainerConnection


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Classroom]:
    state = tmp_path_factory.mktemp("classroom")
    with Classroom(["ana", "ben", "cy"], state_dir=state) as room:
        yield room


@pytest.fixture
def links(classroom: Classroom) -> dict[str, str]:
    return classroom.links()


@pytest.fixture
def trainer(classroom: Classroom) -> TrainerConnection:
    return TrainerConnection(classroom.trainer_link)


def raw_client(endpoint: str, key: str | None) -> Any:
    """A boto3 cognito-idp client for ``endpoint`` sending ``key`` (none when ``None``)."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="guess",
        aws_secret_access_key="guess",
        config=Config(retries={"total_max_attempts": 1}),
    )
    return send_key_with(client, key) if key is not None else client


@pytest.fixture
def world_client(classroom: Classroom, links: dict[str, str]) -> Callable[..., Any]:
    def make(name: str | None = None, *, key: str | None = None) -> Any:
        if name is not None:
            key = JoinLink.parse(links[name]).key
        return raw_client(classroom.endpoint_url, key)

    return make


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"
