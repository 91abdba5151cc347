"""What the sign-in rules need to know about a pool and a user, read from the sandbox once.

:func:`gather` reads everything one sign-in decides on (the user, the pool's MFA configuration,
the user's MFA facts, the choice-based sign-in view of pool and user) into one
:class:`SignInFacts`, which the gates and the MFA stage are then given: a sign-in reads the bridge
and the store once, up front, and decides on what it read. :func:`user_facts`,
:func:`choice_pool` and :func:`choice_user` serve the auth-factor operations and passkeys.
"""

from __future__ import annotations

from dataclasses import dataclass

from mfa_widgets.core.preferences import Factor, FactorState
from mfa_widgets.core.signin import ChoicePool, ChoiceUser, PoolMfaConfig, UserMfaFacts
from mfa_widgets.sandbox.bridge.views import ClientView, PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.pool_mfa import mfa_config

__all__ = ["SignInFacts", "choice_pool", "choice_user", "gather", "user_facts"]


@dataclass(frozen=True)
class SignInFacts:
    """Everything a sign-in decides on, read once (:func:`gather`).

    Attributes
    ----------
    pool, client
        Where the sign-in happens.
    username
        The name the request gave (a user may be found under an alias).
    user
        The user, or ``None`` when there is none of that name (the gates refuse it).
    mfa, user_mfa
        The pool's MFA configuration and the user's MFA facts (the MFA stage's inputs).
    choices, chooser
        Pool and user as choice-based sign-in (``USER_AUTH``) sees them.
    """

    pool: PoolView
    client: ClientView
    username: str
    user: UserView | None = None
    mfa: PoolMfaConfig | None = None
    user_mfa: UserMfaFacts | None = None
    choices: ChoicePool | None = None
    chooser: ChoiceUser | None = None


def gather(ctx: RequestContext, pool: PoolView, client: ClientView, username: str) -> SignInFacts:
    """Read what a sign-in of ``username`` decides on: the bridge's, then the store's."""
    user = ctx.bridge.find_user(pool, username)
    if user is None:
        return SignInFacts(pool, client, username)
    config = mfa_config(ctx.bridge, ctx.state, pool)
    mfa = user_facts(ctx, pool, user)
    return SignInFacts(
        pool,
        client,
        username,
        user,
        config,
        mfa,
        _choice_pool(ctx, pool, config),
        _choice_user(ctx, pool, user, mfa),
    )


def user_facts(ctx: RequestContext, pool: PoolView, user: UserView) -> UserMfaFacts:
    """What the core rules need to know about ``user``.

    A TOTP factor whose authenticator is no longer registered (re-associated, not yet verified)
    is passed as disabled: Cognito then falls back to the other factors (amplify-js#3844).
    """
    state = ctx.state.user(pool.id, user.id)
    preference = state.preference
    if not state.totp_registered and preference.totp is not FactorState.DISABLED:
        preference = preference.with_state(Factor.TOTP, FactorState.DISABLED)
    return UserMfaFacts(
        preference=preference,
        totp_registered=state.totp_registered,
        has_phone=ctx.bridge.attribute(user, "phone_number") is not None,
        has_email=ctx.bridge.attribute(user, "email") is not None,
    )


def choice_pool(ctx: RequestContext, pool: PoolView) -> ChoicePool:
    """The pool as the choice-based sign-in rules see it."""
    return _choice_pool(ctx, pool, mfa_config(ctx.bridge, ctx.state, pool))


def choice_user(ctx: RequestContext, pool: PoolView, user: UserView) -> ChoiceUser:
    """The user as the choice-based sign-in rules see it."""
    return _choice_user(ctx, pool, user, user_facts(ctx, pool, user))


def _choice_pool(ctx: RequestContext, pool: PoolView, config: PoolMfaConfig) -> ChoicePool:
    policy = (ctx.bridge.setting(pool, "Policies") or {}).get("SignInPolicy") or {}
    return ChoicePool(
        mfa=config,
        first_factors=frozenset(policy.get("AllowedFirstAuthFactors") or ["PASSWORD"]),
        passkey_mfa=ctx.state.records.passkey_mfa_pool(pool.id),
    )


def _choice_user(
    ctx: RequestContext, pool: PoolView, user: UserView, mfa: UserMfaFacts
) -> ChoiceUser:
    user_records = ctx.state.records.user(pool.id, user.id)
    stored = ctx.state.user(pool.id, user.id).preference
    return ChoiceUser(
        mfa,
        has_passkey=bool(user_records.passkeys),
        passkey_mfa=bool(stored.webauthn),
        must_change_password=ctx.bridge.must_change_password(user),
    )
