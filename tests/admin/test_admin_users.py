"""Accounts in the administration area: list, create, invite, deactivate."""

from __future__ import annotations

from consult.auth import mail
from consult.auth.models import User, user_by_email
from consult.extensions import db
from tests import factories
from tests.factories import PASSWORD

GOOD_PASSWORD = "correct-horse-battery-staple-77"


def test_list_filters_by_role_organisation_delegation_and_status(
    client, login, admin_user, cso_user, moderator_user, hq_user, organisation
):
    other = factories.make_organisation("Kyiv Watch", ["UA"])
    factories.make_user("member@kyiv.example.org", "cso", organisation=other, active=False)
    factories.make_user("mod.ua@eeas.example.org", "moderator", delegation="eud-ua")
    login(client, admin_user)

    html = client.get("/admin/users").get_data(as_text=True)
    for email in (cso_user.email, moderator_user.email, hq_user.email, "member@kyiv.example.org"):
        assert email in html

    html = client.get("/admin/users?role=moderator").get_data(as_text=True)
    assert moderator_user.email in html and "mod.ua@eeas.example.org" in html
    assert cso_user.email not in html

    html = client.get(f"/admin/users?organisation={organisation.id}").get_data(as_text=True)
    assert cso_user.email in html and "member@kyiv.example.org" not in html

    html = client.get("/admin/users?delegation=eud-ua").get_data(as_text=True)
    assert "mod.ua@eeas.example.org" in html and moderator_user.email not in html

    html = client.get("/admin/users?active=no").get_data(as_text=True)
    assert "member@kyiv.example.org" in html and cso_user.email not in html

    html = client.get("/admin/users?email=KYIV").get_data(as_text=True)
    assert "member@kyiv.example.org" in html and cso_user.email not in html


def test_list_pages_by_email(client, login, admin_user, organisation, app):
    for n in range(105):
        db.session.add(User(email=f"user{n:03d}@bulk.example.org", role="hq", session_generation=0))
    db.session.commit()
    login(client, admin_user)
    first = client.get("/admin/users?role=hq").get_data(as_text=True)
    assert "user099@bulk.example.org" in first
    assert "user100@bulk.example.org" not in first
    assert "after=user099" in first
    second = client.get("/admin/users?role=hq&after=user099@bulk.example.org").get_data(
        as_text=True
    )
    assert "user100@bulk.example.org" in second and "user099@bulk.example.org" not in second


def test_create_cso_member_with_initial_password(
    client, login, admin_user, organisation, audit_events
):
    login(client, admin_user)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "New.Member@TCF.example.org",
            "full_name": "Amira Ben Salah",
            "role": "cso",
            "organisation": str(organisation.id),
            "delegation": "",
            "is_org_admin": "y",
            "setup": "password",
            "password": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = user_by_email("new.member@tcf.example.org")
    assert user is not None and user.organisation_id == organisation.id and user.is_org_admin
    assert [e.object_id for e in audit_events("user.created")] == [str(user.id)]
    # the new member signs in with that password
    other = client.application.test_client()
    signed_in = other.post(
        "/auth/login", data={"email": "new.member@tcf.example.org", "password": GOOD_PASSWORD}
    )
    assert signed_in.status_code == 302 and "/auth/login" not in signed_in.headers["Location"]
    assert "new.member@tcf.example.org" in other.get("/auth/account").get_data(as_text=True)


def test_wrong_inputs_show_messages_and_keep_what_was_typed(
    client, login, admin_user, cso_user, organisation
):
    login(client, admin_user)
    # a CSO member without an organisation, with a weak password
    response = client.post(
        "/admin/users/new",
        data={
            "email": "someone@example.org",
            "full_name": "Typed Name Kept",
            "role": "cso",
            "organisation": "",
            "setup": "password",
            "password": "short",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please correct the following" in html
    assert "A CSO member belongs to an organisation: choose one." in html
    assert "Use at least 12 characters." in html
    assert 'value="Typed Name Kept"' in html
    assert 'value="someone@example.org"' in html
    assert 'value="short"' in html
    assert user_by_email("someone@example.org") is None

    # an email already taken, and a moderator without a delegation
    response = client.post(
        "/admin/users/new",
        data={
            "email": cso_user.email.upper(),
            "role": "moderator",
            "setup": "password",
            "password": GOOD_PASSWORD,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "An account with this email address already exists." in html
    assert "A delegation moderator works for a delegation: choose one." in html
    assert '<option selected value="moderator">' in html

    # the initial password chosen but left empty
    response = client.post(
        "/admin/users/new",
        data={"email": "hq2@eeas.example.org", "role": "hq", "setup": "password", "password": ""},
    )
    assert "Set an initial password." in response.get_data(as_text=True)

    # not an email address, no role
    response = client.post("/admin/users/new", data={"email": "not-an-email", "role": ""})
    html = response.get_data(as_text=True)
    assert "Enter an email address like name@example.org." in html
    assert "Choose a role." in html


def test_create_moderator_by_invitation(client, login, admin_user):
    login(client, admin_user)
    response = client.post(
        "/admin/users/new",
        data={
            "email": "mod.jo@eeas.example.org",
            "role": "moderator",
            "delegation": "eud-jo",
            "setup": "invite",
        },
    )
    assert response.status_code == 302
    user = user_by_email("mod.jo@eeas.example.org")
    assert user.delegation_slug == "eud-jo" and user.password_hash is None
    message = mail.last_message("mod.jo@eeas.example.org")
    assert message is not None and message.link and "/auth/invite?token=" in message.link
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "invitation sent" in page
    assert "not set yet" in page
    # the invitation link opens the page that sets the password
    opened = client.application.test_client().get(message.link, follow_redirects=True)
    assert opened.status_code == 200 and "Choose" in opened.get_data(as_text=True)


def test_resend_invitation(client, login, admin_user, hq_user, audit_events):
    login(client, admin_user)
    response = client.post(f"/admin/users/{hq_user.id}/invite")
    assert response.status_code == 302
    assert mail.last_message(hq_user.email) is not None
    assert audit_events("invitation.sent")[0].object_id == str(hq_user.id)


def test_deactivation_ends_every_session_and_is_audited(
    client, login, admin_user, cso_user, app, audit_events
):
    member = app.test_client()
    login(member, cso_user)
    assert member.get("/auth/account").status_code == 200

    login(client, admin_user)
    response = client.post(f"/admin/users/{cso_user.id}/deactivate", follow_redirects=True)
    assert "is deactivated and signed out everywhere" in response.get_data(as_text=True)

    after = member.get("/auth/account")
    assert after.status_code == 302
    assert "/auth/login" in after.headers["Location"]
    # and the password no longer opens a session
    relogin = member.post("/auth/login", data={"email": cso_user.email, "password": PASSWORD})
    assert "do not match an active account" in relogin.get_data(as_text=True)
    (event,) = audit_events("user.deactivated")
    assert event.object_id == str(cso_user.id) and event.actor_id == admin_user.id

    client.post(f"/admin/users/{cso_user.id}/reactivate")
    assert audit_events("user.reactivated")[0].object_id == str(cso_user.id)
    fresh = app.test_client()
    ok = fresh.post("/auth/login", data={"email": cso_user.email, "password": PASSWORD})
    assert ok.status_code == 302 and "/auth/login" not in ok.headers["Location"]


def test_admin_cannot_deactivate_themself(client, login, admin_user):
    login(client, admin_user)
    page = client.get(f"/admin/users/{admin_user.id}").get_data(as_text=True)
    assert "Deactivate" not in page
    response = client.post(f"/admin/users/{admin_user.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin_user.id).active


def test_reset_two_factor_clears_the_secret_and_ends_sessions(
    client, login, admin_user, hq_user, audit_events
):
    assert hq_user.totp_secret
    before = hq_user.session_generation
    login(client, admin_user)
    page = client.get(f"/admin/users/{hq_user.id}").get_data(as_text=True)
    assert "Reset two-factor login" in page
    response = client.post(f"/admin/users/{hq_user.id}/reset-two-factor", follow_redirects=True)
    assert response.status_code == 200
    assert "Two-factor login of analyst@eeas.example.org is reset" in response.get_data(
        as_text=True
    )
    db.session.refresh(hq_user)
    assert hq_user.totp_secret is None
    assert hq_user.session_generation == before + 1
    assert audit_events("two_factor.reset")


def test_other_roles_cannot_reset_two_factor(client, login, hq_user, moderator_user):
    login(client, moderator_user)
    response = client.post(f"/admin/users/{hq_user.id}/reset-two-factor")
    assert response.status_code == 404
    db.session.refresh(hq_user)
    assert hq_user.totp_secret
