"""Sign in (password, then a code), sign out, passwords, invitations, two-factor enrolment.

The blueprint is defined in :mod:`.blueprint` with what the views share (rate
limits and their keys, :func:`~.blueprint.safe_next`); importing the other
modules registers their routes on it:

- :mod:`.login_logout`: signing in with a password, and signing out
- :mod:`.two_factor`: the code step of signing in, enrolling an app, recovery codes,
  turning two-factor login off
- :mod:`.links`: emailed links: forgotten password, password reset, invitation accepted
- :mod:`.account`: the account page, and changing the password
- :mod:`.confirm`: the password and code again before a sensitive step
"""

from consult.auth.views import account, confirm, links, login_logout, two_factor
from consult.auth.views.blueprint import bp, safe_next

__all__ = ["account", "bp", "confirm", "links", "login_logout", "safe_next", "two_factor"]
