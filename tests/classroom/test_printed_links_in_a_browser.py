"""Every link the classroom prints opens a readable page in a browser, holding no key.

A browser sends no fragment (``#trainer=KEY``), so what it asks for is ``GET /``; the answer is
an HTML page saying where each link goes, never ``{"error": "not found"}``.
"""

from __future__ import annotations

import urllib.request
from html.parser import HTMLParser

import pytest

from mfa_widgets.core.classroom_link import JoinLink
from mfa_widgets.sandbox.classroom.app import Classroom


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _open(link: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(link, timeout=10) as answer:  # noqa: S310 - loopback http
        return answer.status, answer.headers["Content-Type"], answer.read().decode()


@pytest.mark.parametrize("which", ["trainer", "class", "join"])
def test_a_printed_link_opens_a_page_that_says_where_it_goes(
    classroom: Classroom, which: str
) -> None:
    link = {
        "trainer": classroom.trainer_link,
        "class": classroom.class_link,
        "join": next(iter(classroom.links().values())),
    }[which]
    status, kind, body = _open(link)
    assert status == 200
    assert kind.startswith("text/html")
    page = _Text()
    page.feed(body)
    words = " ".join(page.text)
    assert "classroom" in words
    assert "Board(LINK)" in words
    assert 'Lab(classroom=LINK, name="Your Name")' in words
    assert JoinLink.parse(link, which).key not in body
    assert classroom.roster.trainer_key not in body


def test_other_requests_still_get_the_plain_refusal(classroom: Classroom) -> None:
    url = classroom.endpoint_url + "/"
    request = urllib.request.Request(url, data=b"{}", method="POST")  # noqa: S310 - loopback
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - loopback http
    assert refused.value.code == 404
