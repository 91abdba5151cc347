"""The append-only event log of MFA API calls and sign-in attempts, as a pandas DataFrame.

One role per module: :mod:`.event` (the event type), :mod:`.schema` (the frame's columns and
dtypes), :mod:`.store` (the JSON Lines file), :mod:`.mfa_log` (the log) and :mod:`.scoring` (how
often predictions held).

One :class:`LogEvent` per API call or sign-in attempt. :class:`MfaLog` buffers events column by
column (appends are O(1)) and builds :attr:`MfaLog.frame` on demand with typed columns: a UTC
timestamp, categoricals with fixed categories, nullable booleans, ``Float64`` latency and
``string`` free text. The frame is cached until the next append.

Secrets never enter the log. Every free-text field goes through
:func:`mfa_widgets.core.tokens.scrub_secrets` (JWT-shaped strings are removed when the event is
made,
registered secrets when it is logged), and a field whose whole value is a registered secret is
dropped and the drop noted. With ``autosave`` each event is appended to a JSON Lines file and
flushed before :meth:`MfaLog.append` returns, so a crash loses nothing.

Resulting factors are stored twice on purpose: ``enabled`` is a categorical label such as
``"SMS,TOTP"`` (one of eight fixed combinations, ``"none"`` for no factor), which reads well as a
pivot-table axis or a groupby key; ``enabled_sms``/``enabled_totp``/``enabled_email`` are nullable
booleans for filtering (``df[df.enabled_totp]``) and for counting (``.sum()``).

Examples
--------
>>> log = MfaLog()
>>> log.append(LogEvent("GetUser", enabled=("SMS",), preferred="SMS"))
>>> log.frame.loc[0, "enabled"]
'SMS'
"""

from __future__ import annotations

from mfa_widgets.services.errors import (
    LogEventError,
    LogFileError,
    LogRecoveryWarning,
    LogWriteError,
    SubscriberWarning,
)
from mfa_widgets.services.log.event import NO_CHALLENGE, SIGN_IN_ERROR, LogEvent
from mfa_widgets.services.log.mfa_log import MfaLog
from mfa_widgets.services.log.scoring import decision_summary, mismatch_summary
from mfa_widgets.services.log.store import drop_truncated_tail

__all__ = [
    "NO_CHALLENGE",
    "SIGN_IN_ERROR",
    "LogEvent",
    "LogEventError",
    "LogFileError",
    "LogRecoveryWarning",
    "LogWriteError",
    "MfaLog",
    "SubscriberWarning",
    "decision_summary",
    "drop_truncated_tail",
    "mismatch_summary",
]
