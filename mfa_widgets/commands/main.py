"""The ``mfa-widgets`` command: one entry point, one module per subcommand.

Each subcommand lives in its own module of :mod:`mfa_widgets.commands` (named in
:data:`SUBCOMMANDS`) and exposes ``register(parser)``, which adds its arguments and sets ``func``
to a callable taking the parsed
arguments and returning an exit code. Subcommand modules are imported only when chosen, so
``mfa-widgets predict`` never pays for moto or Jupyter. ``mfa-widgets completion bash`` builds
the whole parser (every module's arguments) and prints a completion script generated from it.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from mfa_widgets import __version__
from mfa_widgets.commands.needs import check_extras
from mfa_widgets.core.errors import MfaWidgetsError
from mfa_widgets.core.redaction import looks_like_secret

#: subcommand name -> (module in ``mfa_widgets.commands``, one-line help). ``cli`` renders the
#: *AWS* CLI command for a preference, so its module is ``aws_command``.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "cli": ("aws_command", "render an MFA preference as AWS CLI, boto3, JSON or skeleton"),
    "predict": ("predict", "predict the sign-in challenge Cognito returns for a pool and user"),
    "sandbox": ("sandbox", "run the local Cognito sandbox with a demo pool and users"),
    "explore": ("explore", "sweep preference combinations and print the challenge matrix"),
    "audit": ("audit", "audit the MFA posture of every user in a pool"),
    "impact": ("impact", "predict (and rehearse) the impact of a pool MFA change on every user"),
    "lab": ("lab", "open the notebooks in JupyterLab (copied to a folder of yours)"),
    "dashboard": ("dashboard", "open the quickstart dashboard in Voila"),
    "completion": ("completion", "print a bash or zsh completion script"),
    "classroom": ("classroom", "run one sandbox for a class: a world and a join link per learner"),
    "conformance": ("conformance", "run the corpus of real Cognito answers against an endpoint"),
}


class _QuietParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors never quote back what was typed.

    argparse repeats a bad value in its error (``argument --port: invalid int value: 'x'``), and
    people put passwords and tokens in the wrong option: the value is replaced by words.
    """

    typed: tuple[str, ...] = ()

    def error(self, message: str) -> NoReturn:
        # The parser's own words (subcommands, choices) are not secrets: keep them readable.
        known = {str(choice) for action in self._actions for choice in (action.choices or ())}
        super().error(without_typed(message, [v for v in self.typed if v not in known]))


def typed_values(argv: Sequence[str]) -> tuple[str, ...]:
    """Every value a person typed: the words of ``argv`` and the right of ``--opt=value``."""
    return tuple(argv) + tuple(a.split("=", 1)[1] for a in argv if a.startswith("-") and "=" in a)


def without_typed(message: str, typed: Sequence[str], *, only_secrets: bool = False) -> str:
    """``message`` with the quoted values of ``typed`` replaced by words (never repeated).

    With ``only_secrets``, only values shaped like a password, token or TOTP secret
    (:func:`~mfa_widgets.core.redaction.looks_like_secret`) are replaced: a command's own error
    may name a profile or a pool id, but never a password typed in the wrong place.
    """
    for value in sorted(set(typed), key=len, reverse=True):
        if only_secrets and not looks_like_secret(value):
            continue
        if value and not value.startswith("-"):
            message = message.replace(repr(value), "(the value given)")
    return message


def build_parser(argv: Sequence[str], *, complete: bool = False) -> argparse.ArgumentParser:
    """Build the parser, importing only the module of the chosen subcommand.

    Parameters
    ----------
    argv
        The arguments about to be parsed; their first word names the subcommand to load.
    complete
        Load every subcommand's arguments (for shell completion) instead of the chosen one's.
    """
    parser_class = type("Parser", (_QuietParser,), {"typed": typed_values(argv)})
    parser: argparse.ArgumentParser = parser_class(
        prog="mfa-widgets",
        description="Explore Amazon Cognito user MFA preferences and sign-in challenges.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        if complete or name == chosen:
            module = importlib.import_module(f"mfa_widgets.commands.{module_name}")
            module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mfa-widgets``; returns the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    try:
        check_extras(args)
        code: int = args.func(args)
        sys.stdout.flush()  # a reader gone early (`| head`) is found here, not at exit
    except BrokenPipeError:
        return _reader_gone()
    except MfaWidgetsError as error:
        message = without_typed(str(error), typed_values(args_list), only_secrets=True)
        return _fail(args.command, message)
    except OSError as error:  # a port in use, a missing folder, a read-only file, a full disk
        return _fail(args.command, _os_error_text(error))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: still one line, and the traceback on request
        if os.environ.get("MFA_WIDGETS_DEBUG"):
            raise
        print(
            f"mfa-widgets {args.command}: internal error: {type(error).__name__}: "
            f"{without_typed(str(error), typed_values(args_list))} "
            "(a bug: run again with MFA_WIDGETS_DEBUG=1 to see where, and report it)",
            file=sys.stderr,
        )
        return INTERNAL_ERROR
    return code


#: Exit status for an unexpected exception (EX_SOFTWARE): distinct from a user's mistake (2).
INTERNAL_ERROR = 70


#: Exit status when the reader of stdout went away (``| head``): a shell's 128 + SIGPIPE.
READER_GONE = 141


def _reader_gone() -> int:
    """Stop quietly, as ``cat`` does when ``head`` has read enough: no error, no traceback.

    What is still buffered for stdout goes to ``/dev/null``, so Python's own flush at exit does
    not raise again (see "Note on SIGPIPE" in the :mod:`signal` documentation).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)  # stdout holds its own copy now
    except (OSError, ValueError):  # stdout is no file (captured in a test, a notebook)
        pass
    return READER_GONE


def _fail(command: str, message: str) -> int:
    """Print the one error line for a user's mistake and return exit status 2."""
    line = " ".join(message.split())  # one line, whatever the message held
    print(f"mfa-widgets {command}: error: {line}", file=sys.stderr)
    return 2


def _os_error_text(error: OSError) -> str:
    """An operating-system failure in plain words, with what to do about it."""
    reason = error.strerror or str(error)
    where = f" ({error.filename})" if error.filename else ""
    fixes = {
        errno.EADDRINUSE: "pick another --port, or 0 for a free one",
        errno.EACCES: "pick a path (or a port above 1023) you are allowed to use",
        errno.ENOENT: "check the path: its folder must exist",
        errno.ENOSPC: "free some disk space and run again",
        errno.EISDIR: "pass a file name, not a folder",
    }
    code = error.errno
    if code is None and "non-existent directory" in reason:  # pandas' own wording
        code = errno.ENOENT
    fix = fixes.get(code or 0, "check the path or address and try again")
    return f"{reason}{where}: {fix}"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
