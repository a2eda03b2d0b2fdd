"""Onboarding commands: create-org, create-user, seed-demo."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.auth.models import User
from consult.extensions import db
from consult.inputs.models import Consultation
from consult.organisations.models import Organisation


def test_create_org_and_user(runner):
    result = runner.invoke(
        args=[
            "create-org",
            "Amman Peace Lab",
            "--country",
            "JO,SY",
            "--email",
            "hi@apl.example.org",
            "--verified",
        ]
    )
    assert result.exit_code == 0, result.output
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Amman Peace Lab"))
    assert org.is_verified and sorted(org.country_codes) == ["JO", "SY"]

    result = runner.invoke(
        args=["create-user", "Lina@APL.example.org", "--role", "cso", "--org", "amman peace lab"],
        env={"CONSULT_PASSWORD": "a-long-enough-password-1"},
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "lina@apl.example.org"))
    assert user.organisation_id == org.id and user.role == "cso"


def test_create_user_with_delegation_by_country_code(runner):
    result = runner.invoke(
        args=["create-user", "mod@eeas.example.org", "--role", "moderator", "--delegation", "ua"],
        env={"CONSULT_PASSWORD": "a-long-enough-password-1"},
    )
    assert result.exit_code == 0, result.output
    assert (
        db.session.scalar(select(User.delegation_slug).where(User.email == "mod@eeas.example.org"))
        == "eud-ua"
    )


def test_create_user_prompts_for_password(runner):
    result = runner.invoke(
        args=["create-user", "hq2@eeas.example.org", "--role", "hq"],
        input="a-long-enough-password-1\na-long-enough-password-1\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def _one_line_error(result):
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:")
    return lines[0]


def test_create_user_errors_are_one_line_with_status_2(runner, cso_user):
    env = {"CONSULT_PASSWORD": "a-long-enough-password-1"}
    line = _one_line_error(
        runner.invoke(
            args=["create-user", "x@y.example.org", "--role", "cso", "--org", "No Such Org"],
            env=env,
        )
    )
    assert "No Such Org" in line
    line = _one_line_error(
        runner.invoke(
            args=["create-user", "x@y.example.org", "--role", "moderator", "--delegation", "SY"],
            env=env,
        )
    )
    assert "delegation" in line
    line = _one_line_error(
        runner.invoke(args=["create-user", cso_user.email.upper(), "--role", "hq"], env=env)
    )
    assert "already exists" in line
    result = runner.invoke(args=["create-user", "x@y.example.org", "--role", "king"], env=env)
    assert result.exit_code == 2 and "king" in result.output


def test_create_org_unknown_country_is_one_line_error(runner):
    line = _one_line_error(
        runner.invoke(
            args=["create-org", "Somewhere", "--country", "FR", "--email", "a@b.example.org"]
        )
    )
    assert "FR" in line


def test_seed_demo_twice_changes_nothing(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "cso.tn@consult.example.org" in first.output

    def counts():
        return (
            db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(Organisation)),
            db.session.scalar(select(func.count()).select_from(Consultation)),
        )

    before = counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert counts() == before
    users, orgs, consultations = before
    assert users >= 6 and orgs >= 3 and consultations == 1


def test_demo_routing_leaves_syria_without_delegation(runner):
    runner.invoke(args=["seed-demo"])
    from consult.reference.models import Country

    assert db.session.get(Country, "SY").delegation_slug is None
    assert all(c.delegation_slug for c in db.session.scalars(select(Country)) if c.code != "SY")


def test_load_reference_is_idempotent(runner):
    assert runner.invoke(args=["load-reference"]).exit_code == 0
    assert runner.invoke(args=["load-reference"]).exit_code == 0


def test_seed_demo_prints_every_cso_account_and_names_the_organisation_admin(runner):
    from consult.cli.demo_inputs_data import EXTRA_ORGANISATIONS

    output = runner.invoke(args=["seed-demo"]).output
    for _name, _countries, _contact, email, _full_name in EXTRA_ORGANISATIONS:
        assert email in output
    admin_line = next(line for line in output.splitlines() if "cso.tn@" in line)
    assert "organisation admin" in admin_line


def test_invitation_links_follow_the_request_in_development_only(make_app):
    from consult.auth.tokens import link_for

    development = make_app(ENV_NAME="development", PUBLIC_URL="http://127.0.0.1:5000")
    with development.test_request_context("/admin/users/new", base_url="http://localhost:8123"):
        assert link_for("/auth/set-password/", "abc") == (
            "http://localhost:8123/auth/set-password/abc"
        )
    other = make_app(PUBLIC_URL="https://consult.example.org")
    with other.test_request_context("/admin/users/new", base_url="http://evil.example"):
        assert link_for("/auth/set-password/", "abc") == (
            "https://consult.example.org/auth/set-password/abc"
        )
