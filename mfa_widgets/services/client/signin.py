"""One sign-in conversation: :class:`SignIn`, what :meth:`MfaClient.sign_in` returns for every flow.

A sign-in is a conversation with Cognito: the first call (a password, an SRP claim or a choice-based
``USER_AUTH``) and the answers to each challenge, until tokens or an error. :class:`SignIn` is the
latest step (it *is* a :class:`~mfa_widgets.core.results.SignInAttempt`: ``challenge``,
``options``, ``tokens``, ``error``, ...) and knows how to go on:

- :meth:`SignIn.answer` answers the challenge: a code (``SMS_MFA``, ``SOFTWARE_TOKEN_MFA``,
  ``EMAIL_OTP``, ``SMS_OTP``), a passkey from an authenticator (``WEB_AUTHN``), or an SRP proof
  (``PASSWORD_VERIFIER``, ``DEVICE_SRP_AUTH``, ``DEVICE_PASSWORD_VERIFIER``);
- :meth:`SignIn.choose` picks among ``options`` (``SELECT_CHALLENGE``, with the password for
  ``PASSWORD``; ``SELECT_MFA_TYPE``);
- :meth:`SignIn.set_up` finishes ``MFA_SETUP`` with the session ``verify_totp`` returned.

Each returns the next step, a new :class:`SignIn` (a step is never changed in place, so two clicks
that answer one step are two answers to the same step, and Cognito refuses the second).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from mfa_widgets.core.errors import ArgumentTypeError, InvalidArgumentError
from mfa_widgets.core.results import SignInAttempt
from mfa_widgets.core.signin import Prediction
from mfa_widgets.services.srp import SrpProof

__all__ = ["SRP_CHALLENGES", "SignIn"]

#: The challenges answered with an SRP proof.
SRP_CHALLENGES = frozenset({"PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"})
#: One-time codes sent by Cognito, as a first factor (passwordless) or as MFA.
_CODES = frozenset({"EMAIL_OTP", "SMS_OTP"})


@dataclass(frozen=True)
class SignIn(SignInAttempt):
    """The latest step of a sign-in, and the way on (see the module's docstring).

    Attributes
    ----------
    client
        The :class:`~mfa_widgets.services.client.MfaClient` the conversation goes through.
    client_secret
        The app client's secret, if it has one (sent as ``SECRET_HASH`` with every answer).
    """

    client: Any = field(default=None, repr=False, compare=False)
    client_secret: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, attempt: SignInAttempt, client: Any, client_secret: str | None = None) -> SignIn:
        """``attempt`` as a step of a conversation through ``client``."""
        values = {f.name: getattr(attempt, f.name) for f in dataclasses.fields(SignInAttempt)}
        return cls(**values, client=client, client_secret=client_secret)

    def answer(self, answer: Any, *, predicted: Prediction | str | None = None) -> SignIn:
        """Answer the current challenge and return the next step.

        Parameters
        ----------
        answer
            A code as text for a code challenge; an authenticator whose ``.get(options)``
            returns the passkey's answer (e.g. ``SoftwareAuthenticator``) for ``WEB_AUTHN``; an
            :class:`~mfa_widgets.services.srp.SrpProof` for an SRP challenge; a factor name for
            ``SELECT_MFA_TYPE`` (or use :meth:`choose`).
        predicted
            The challenge the core predicted next, logged beside what Cognito answers.
        """
        client = self._client_or_refuse("answer")
        challenge = self.challenge or ""
        secret = self.client_secret
        if challenge in SRP_CHALLENGES or isinstance(answer, SrpProof):
            if not isinstance(answer, SrpProof):
                raise ArgumentTypeError(
                    f"{challenge} is answered with an SrpProof, not a {type(answer).__name__}: "
                    "pass SrpProof(pool_id, client_id, username, password)"
                )
            step = client._answer_srp(self, answer, client_secret=secret, predicted=predicted)
        elif challenge == "WEB_AUTHN":
            step = client._answer_passkey(self, answer, client_secret=secret, predicted=predicted)
        elif challenge == "SELECT_CHALLENGE":
            return self.choose(answer, predicted=predicted)
        elif challenge in _CODES:  # a first factor or MFA: either way, <challenge>_CODE
            step = client._answer_code(self, answer, client_secret=secret, predicted=predicted)
        else:
            step = client._answer_challenge(self, answer, client_secret=secret, predicted=predicted)
        return SignIn.of(step, client, secret)

    def choose(
        self,
        option: str,
        *,
        password: str | None = None,
        predicted: Prediction | str | None = None,
    ) -> SignIn:
        """Pick one of ``options``: a first factor for ``SELECT_CHALLENGE`` or an MFA factor.

        Parameters
        ----------
        option
            One of :attr:`options`, e.g. ``"EMAIL_OTP"``, ``"PASSWORD"``, ``"WEB_AUTHN"``,
            ``"SOFTWARE_TOKEN_MFA"``.
        password
            The password, when ``option`` is ``"PASSWORD"``.
        predicted
            The challenge the core predicted next.
        """
        client = self._client_or_refuse("choose")
        secret = self.client_secret
        if self.challenge == "SELECT_MFA_TYPE":
            step = client._answer_challenge(self, option, client_secret=secret, predicted=predicted)
        else:
            step = client._select_challenge(
                self, option, password=password, client_secret=secret, predicted=predicted
            )
        return SignIn.of(step, client, secret)

    def set_up(self, session: str, *, predicted: Prediction | str | None = None) -> SignIn:
        """Finish ``MFA_SETUP`` with the session :meth:`MfaClient.verify_totp` returned."""
        client = self._client_or_refuse("set_up")
        step = client._continue_setup(self, session, predicted=predicted)
        return SignIn.of(step, client, self.client_secret)

    def _client_or_refuse(self, verb: str) -> Any:
        if self.client is None:
            raise InvalidArgumentError(
                f"this sign-in step has no client to {verb} through: use the step "
                "MfaClient.sign_in(...) (or the previous answer) returned"
            )
        return self.client
