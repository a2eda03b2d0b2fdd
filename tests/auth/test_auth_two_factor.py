"""Two-factor login: mandatory for EU staff, optional for CSO members."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest

from consult.audit.models import AuditEvent
from consult.auth.models import RecoveryCode, User
from consult.auth.totp import INTERVAL, current_step
from consult.extensions import db
from tests import factories
from tests.factories import PASSWORD

INVALID_CODE = "That code is not valid"


def _password_step(client, user, password=PASSWORD, follow=False):
    return client.post(
        "/auth/login",
        data={"email": user.email, "password": password},
        follow_redirects=follow,
    )


def _code(secret: str, later: int = 0) -> str:
    return pyotp.TOTP(secret, interval=INTERVAL).generate_otp(current_step() + later)


def _fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def _enrol(client, user) -> list[str]:
    """Walk the enrolment page: read the secret shown as text, confirm with a code."""
    page = client.get("/auth/two-factor/setup")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    secret = re.search(r'<p class="totp-secret"><code>([A-Z2-7 ]+)</code>', html).group(1)
    secret = secret.replace(" ", "")
    done = client.post("/auth/two-factor/setup", data={"code": _code(secret)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.get_data(as_text=True))
    assert _fresh(user).totp_secret == secret
    return codes


@pytest.mark.parametrize("fixture", ["moderator_user", "hq_user", "admin_user"])
def test_staff_password_alone_does_not_sign_in(request, client, fixture):
    user = request.getfixturevalue(fixture)
    response = _password_step(client, user)
    assert response.headers["Location"].endswith("/auth/two-factor")
    # halfway through, nothing but the code page opens
    assert client.get("/auth/account").status_code == 302
    assert client.get("/admin/").status_code in (302, 404)
    page = client.get("/auth/two-factor")
    assert "Enter your code" in page.get_data(as_text=True)
    wrong = client.post("/auth/two-factor", data={"code": "000000"})
    assert INVALID_CODE in wrong.get_data(as_text=True)
    assert client.get("/auth/account").status_code == 302
    ok = client.post("/auth/two-factor", data={"code": factories.totp_code(user)})
    assert ok.status_code == 302
    assert client.get("/auth/account").status_code == 200


def test_a_code_cannot_be_used_twice(client, moderator_user):
    # The step the code was made in (the 30 s window may turn during a slow run).
    made_in = current_step()
    code = factories.totp_code(moderator_user)
    _password_step(client, moderator_user)
    assert client.post("/auth/two-factor", data={"code": code}).status_code == 302
    client.post("/auth/logout")
    # someone who saw the code (over a shoulder, a phished page) tries it again
    other = client.application.test_client()
    _password_step(other, moderator_user)
    replay = other.post("/auth/two-factor", data={"code": code})
    assert INVALID_CODE in replay.get_data(as_text=True)
    assert other.get("/auth/account").status_code == 302
    assert _fresh(moderator_user).totp_last_step >= made_in  # the used step is spent


def test_code_from_an_old_window_is_refused(client, hq_user):
    _password_step(client, hq_user)
    stale = factories.totp_code(hq_user, later=-3)
    assert INVALID_CODE in client.post("/auth/two-factor", data={"code": stale}).get_data(
        as_text=True
    )


def test_failed_code_is_audited(client, hq_user):
    _password_step(client, hq_user)
    client.post("/auth/two-factor", data={"code": "123456"})
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "auth.login_failed")
    ).all()
    assert [e.detail.get("reason") for e in events] == ["code"]


def test_staff_without_a_secret_must_enrol_and_can_reach_nothing_else(client, app):
    admin = factories.make_user("new.admin@consult.example.org", "admin", totp_secret="")
    assert admin.totp_secret is None
    response = _password_step(client, admin)
    assert response.headers["Location"].endswith("/auth/two-factor/setup")
    for path in ("/admin/", "/auth/account", "/auth/password"):
        assert client.get(path).status_code in (302, 404)
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    # the QR code is drawn on the server: an inline image, no outside service
    qr_src = re.search(r'<p class="totp-qr"><img src="([^"]+)"', page).group(1)
    assert qr_src.startswith("data:image/svg+xml")
    codes = _enrol(client, admin)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/auth/account").status_code == 200
    assert client.get("/admin/").status_code == 200
    # recovery codes are stored hashed, never as typed
    stored = db.session.scalars(
        db.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == admin.id)
    ).all()
    assert len(stored) == 10
    assert not any(code in h or code.replace("-", "") in h for code in codes for h in stored)


def test_signed_in_staff_without_secret_are_sent_to_enrolment(client, app):
    hq = factories.make_user("hq2@consult.example.org", "hq", totp_secret="")
    from consult.auth.session import fresh_session_values

    with client.session_transaction() as sess:  # an old session, from before 2FA existed
        sess["_user_id"] = hq.get_id()
        sess.update(fresh_session_values())
    response = client.get("/review/forwarded")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/two-factor/setup")


def test_recovery_code_signs_in_once(client, app):
    org = factories.make_organisation("Recovery Org", ["TN"])
    user = factories.make_user("rec@org.example.org", "cso", organisation=org)
    factories.login(client, user)
    codes = _enrol(client, user)
    client.post("/auth/logout")

    _password_step(client, user)
    assert client.post("/auth/two-factor", data={"code": codes[0].upper()}).status_code == 302
    assert client.get("/auth/account").status_code == 200
    client.post("/auth/logout")

    _password_step(client, user)
    again = client.post("/auth/two-factor", data={"code": codes[0]})
    assert INVALID_CODE in again.get_data(as_text=True)
    assert client.post("/auth/two-factor", data={"code": codes[1]}).status_code == 302
    assert "Recovery codes left: 8 of 10" in client.get("/auth/account").get_data(as_text=True)


def test_cso_two_factor_is_optional_and_can_be_turned_on_and_off(client, cso_user):
    assert _password_step(client, cso_user).headers["Location"] == "/"
    page = client.get("/auth/account").get_data(as_text=True)
    assert "Turn on two-factor login" in page
    codes = _enrol(client, cso_user)
    client.post("/auth/logout")
    assert _password_step(client, cso_user).headers["Location"].endswith("/auth/two-factor")
    secret = _fresh(cso_user).totp_secret
    assert client.post("/auth/two-factor", data={"code": _code(secret, later=1)}).status_code == 302

    # turning it off needs the password and a fresh code
    refused = client.post(
        "/auth/two-factor/disable",
        data={"password": "wrong-password-123", "code": _code(secret)},
        follow_redirects=True,
    )
    assert "Two-factor login is still on" in refused.get_data(as_text=True)
    # the app's codes of this window are used up (enrolment, sign-in): a recovery code
    client.post(
        "/auth/two-factor/disable",
        data={"password": PASSWORD, "code": codes[0]},
        follow_redirects=True,
    )
    assert _fresh(cso_user).totp_secret is None
    client.post("/auth/logout")
    assert _password_step(client, cso_user).headers["Location"] == "/"


def test_staff_cannot_turn_two_factor_off(client, login, hq_user):
    login(client, hq_user)
    page = client.get("/auth/account").get_data(as_text=True)
    assert "Turn off two-factor login" not in page
    client.post(
        "/auth/two-factor/disable",
        data={"password": PASSWORD, "code": factories.totp_code(hq_user)},
    )
    assert _fresh(hq_user).totp_secret == factories.STAFF_TOTP_SECRET


def test_wrong_enrolment_code_keeps_two_factor_off(client, cso_user, login):
    login(client, cso_user)
    client.get("/auth/two-factor/setup")
    response = client.post("/auth/two-factor/setup", data={"code": "000000"})
    assert response.status_code == 400
    assert "That code does not match" in response.get_data(as_text=True)
    assert _fresh(cso_user).totp_secret is None


def test_new_recovery_codes_replace_the_old_ones(client, login, hq_user):
    from consult.auth.totp import generate_recovery_codes

    old = generate_recovery_codes(hq_user)
    db.session.commit()
    login(client, hq_user)
    page = client.post(
        "/auth/two-factor/recovery-codes", data={"code": factories.totp_code(hq_user)}
    )
    new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/auth/logout")
    _password_step(client, hq_user)
    assert INVALID_CODE in client.post("/auth/two-factor", data={"code": old[0]}).get_data(
        as_text=True
    )


def test_password_reset_does_not_bypass_the_second_factor(client, moderator_user):
    from consult.auth.mail import last_message

    client.post("/auth/forgot", data={"email": moderator_user.email})
    link = last_message(moderator_user.email).link
    path = link.split("127.0.0.1:5000", 1)[-1]
    new = "a-fresh-reset-passphrase-81"
    done = client.post(path, data={"new_password": new, "confirm": new})
    assert done.headers["Location"].endswith("/auth/login")
    # the reset did not sign anyone in
    assert client.get("/review/queue").status_code == 302
    response = _password_step(client, moderator_user, new)
    assert response.headers["Location"].endswith("/auth/two-factor")
    assert client.get("/review/queue").status_code == 302
    client.post("/auth/two-factor", data={"code": factories.totp_code(moderator_user)})
    assert client.get("/review/queue").status_code == 200


def test_admin_reset_makes_staff_enrol_again(client, app, admin_user, hq_user):
    from consult.auth.totp import reset_two_factor

    factories.login(client, hq_user)
    reset_two_factor(_fresh(hq_user), admin_user)
    db.session.commit()
    assert client.get("/review/forwarded").status_code == 302  # that session ended
    response = _password_step(client, hq_user)
    assert response.headers["Location"].endswith("/auth/two-factor/setup")


def test_pending_sign_in_expires(client, hq_user):
    from freezegun import freeze_time

    from consult.timeutil import utcnow

    start = utcnow()
    with freeze_time(start):
        _password_step(client, hq_user)
    with freeze_time(start + timedelta(minutes=11)):
        response = client.post("/auth/two-factor", data={"code": factories.totp_code(hq_user)})
    assert response.headers["Location"].endswith("/auth/login")
