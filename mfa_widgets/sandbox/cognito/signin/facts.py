"""What the sign-in rules need to know about a pool and a user, read from the sandbox.

:func:`user_facts` for the MFA stage (:func:`~mfa_widgets.core.signin.predict_challenge`),
:func:`choice_pool` and :func:`choice_user` for choice-based sign-in
(:func:`~mfa_widgets.core.signin.predict_user_auth`) and the auth-factor operations.
"""

from __future__ import annotations

from mfa_widgets.core.preferences import Factor, FactorState
from mfa_widgets.core.signin import ChoicePool, ChoiceUser, UserMfaFacts
from mfa_widgets.sandbox.bridge.views import PoolView, UserView
from mfa_widgets.sandbox.cognito.context import RequestContext
from mfa_widgets.sandbox.cognito.pool_mfa import mfa_config

__all__ = ["choice_pool", "choice_user", "user_facts"]


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
    policy = (ctx.bridge.setting(pool, "Policies") or {}).get("SignInPolicy") or {}
    return ChoicePool(
        mfa=mfa_config(ctx.bridge, ctx.state, pool),
        first_factors=frozenset(policy.get("AllowedFirstAuthFactors") or ["PASSWORD"]),
        passkey_mfa=ctx.state.records.passkey_mfa_pool(pool.id),
    )


def choice_user(ctx: RequestContext, pool: PoolView, user: UserView) -> ChoiceUser:
    """The user as the choice-based sign-in rules see it."""
    user_records = ctx.state.records.user(pool.id, user.id)
    stored = ctx.state.user(pool.id, user.id).preference
    return ChoiceUser(
        user_facts(ctx, pool, user),
        has_passkey=bool(user_records.passkeys),
        passkey_mfa=bool(stored.webauthn),
        must_change_password=ctx.bridge.must_change_password(user),
    )
