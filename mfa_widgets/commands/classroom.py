"""``mfa-widgets classroom``: one sandbox for a whole class, one isolated world per learner.

It prints the trainer's link (for the board), the class code learners join with (and their
name), and one join link per named learner, then serves in the foreground until Ctrl-C.
Loopback only unless ``--allow-remote``; every request needs a key either way. With
``--state-dir`` the roster, progress, hints and class code survive a restart (the same links
and code keep working; learners' labs say plainly that their world was emptied).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from mfa_widgets.commands import arguments, needs
from mfa_widgets.commands.foreground import serve_until_interrupted

HELP = "run one sandbox for a class: a join link and an isolated world per learner"


def register(parser: argparse.ArgumentParser) -> None:
    """Add the classroom's options and set the handler."""
    parser.add_argument(
        "--learners", type=int, default=0, metavar="N", help="create N learners (learner-01...)"
    )
    parser.add_argument(
        "--names", default="", metavar="A,B,...", help="learner names, comma-separated"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=arguments.port, default=0, help="TCP port (default: a free port)"
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="permit a non-loopback --host (every request still needs a join key)",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="keep the roster, progress and hints here, to survive a restart",
    )
    parser.add_argument("--json", action="store_true", help="print the links as one line of JSON")
    parser.set_defaults(func=run, extras=needs.always("sandbox", "the classroom"))


def describe(room: Any) -> dict[str, Any]:
    """The printable facts about a running classroom (links carry keys: print them only)."""
    return {
        "endpoint_url": room.endpoint_url,
        "trainer_link": room.trainer_link,
        "class_code": room.class_code,
        "class_link": room.class_link,
        "learners": room.links(),
        "started": room.roster.boots,
        "kept_across_restarts": room.roster.path is not None,
    }


def _print_text(facts: dict[str, Any]) -> None:
    print(f"Classroom on {facts['endpoint_url']}")
    if facts["started"] > 1:
        print(f"  restarted (start number {facts['started']}): learners' worlds are empty again")
    if not facts["kept_across_restarts"]:
        print("  no --state-dir: after a restart every link changes and progress starts over")
    print(f"Trainer's board link (keep it to yourself):\n  {facts['trainer_link']}")
    print(f"Class code for the board: {facts['class_code']}")
    print("  each learner joins with it and their name, into a world of their own:")
    print(f"  Lab(classroom='{facts['class_link']}', name='Your Name')")
    if facts["learners"]:
        print("Join links, one per learner (in the notebook: Lab(classroom=LINK)):")
    for name, link in facts["learners"].items():
        print(f"  {name:<12} {link}")
    print("Press Ctrl-C to stop.", flush=True)


def run(args: argparse.Namespace) -> int:
    """Start the classroom, print its links, and serve until interrupted."""
    from mfa_widgets.sandbox.classroom.app import Classroom

    names = [n.strip() for n in args.names.split(",") if n.strip()]
    room = Classroom(
        names or args.learners,
        host=args.host,
        port=args.port,
        state_dir=args.state_dir,
        allow_remote=args.allow_remote,
    )

    def announce() -> None:
        facts = describe(room)
        if args.json:
            print(json.dumps(facts), flush=True)
        else:
            _print_text(facts)

    return serve_until_interrupted(room, announce)
