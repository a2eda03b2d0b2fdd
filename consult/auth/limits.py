"""Sign-in rate limits, shared by every place a password is typed.

A password is checked on the sign-in page and on the input form, where a CSO
member whose session ended signs in again without losing the text. Both doors
count against one budget per account (the email typed, from any address) and
one per client address: a second door must not give a password guesser a
second allowance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from consult.extensions import limiter

#: The form fields an email is typed into: the sign-in page's, the input form's.
EMAIL_FIELDS = ("email", "reauth_email")


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def login_email_key() -> str:
    """Count attempts per account (the email typed), whatever address they come from."""
    email = next((request.form.get(name) for name in EMAIL_FIELDS if request.form.get(name)), "")
    return "login:" + email.strip().lower()[:254]


def address_key() -> str:
    return "addr:" + (get_remote_address() or "")


def account_key() -> str:
    """Count attempts per signed-in account (the current password typed again)."""
    return "account:" + str(current_user.get_id() or "")


def password_limits(
    exempt_when: Callable[[], bool] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Both sign-in limits on a view's POSTs, counted together with every other such view."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view = limiter.shared_limit(
            address_limit,
            "sign-in-address",
            key_func=address_key,
            methods=["POST"],
            exempt_when=exempt_when,
        )(view)
        return limiter.shared_limit(
            login_limit,
            "sign-in-account",
            key_func=login_email_key,
            methods=["POST"],
            exempt_when=exempt_when,
        )(view)

    return decorate
