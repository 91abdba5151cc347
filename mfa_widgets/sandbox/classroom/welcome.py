"""The page a browser gets from the classroom's address: what the links are for, in plain words.

The classroom prints links (``http://host:port/#trainer=KEY``, ``#class=CODE``, ``#join=KEY``)
that belong in a notebook, but a person will click them. The key or code is in the fragment,
which a browser never sends, so the page holds no secret and needs none: it says where to paste
the link instead of answering ``{"error": "not found"}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["PAGE", "welcome"]

PAGE = b"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mfa-widgets classroom</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; background: #fff; }
code { background: #f0f0f0; padding: 0 .25em; border-radius: 3px; }
@media (prefers-color-scheme: dark) {
  body { color: #eee; background: #111; } code { background: #333; } }
</style>
</head>
<body>
<h1>This is an mfa-widgets classroom</h1>
<p>The classroom is running. Its links open in a Jupyter notebook, not in the browser:</p>
<ul>
<li><strong>The trainer's board link</strong> (it ends in <code>#trainer=&hellip;</code>):
  <code>Board(LINK)</code> in the trainer's notebook shows the live board.</li>
<li><strong>The class link</strong> (it ends in <code>#class=</code> and the class code):
  each learner pastes it with their name into the first cell of the training lab,
  <code>Lab(classroom=LINK, name="Your Name")</code>.</li>
<li><strong>A learner's own join link</strong> (it ends in <code>#join=&hellip;</code>):
  <code>Lab(classroom=LINK)</code>.</li>
</ul>
<p>Keep the trainer's link to yourself: it opens every learner's progress.</p>
</body>
</html>
"""


def welcome(start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answer a browser's ``GET /`` with :data:`PAGE`."""
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(PAGE))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [PAGE]
