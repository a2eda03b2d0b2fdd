"""Every route is guarded, and object routes answer 404 outside the caller's scope.

The routes are read from ``app.url_map`` when the tests are collected, so a
route added later is checked without anyone editing this file — except a new
*public* route, which must be added to :data:`PUBLIC_ENDPOINTS` on purpose.
"""

from __future__ import annotations

import uuid

import pytest
from werkzeug.routing import Rule

from consult import create_app
from consult.access import GUARD_ATTR
from consult.auth.roles import PERMISSIONS
from consult.extensions import db
from consult.inputs.models import Attachment
from tests import factories

#: Routes anyone may open without signing in, each for a reason.
PUBLIC_ENDPOINTS = {
    "main.home": "the welcome page",
    "main.health": "load balancer health check",
    "main.choose_language": "the language switcher, also before sign-in",
    "auth.login": "signing in",
    "auth.two_factor": "second step of signing in (needs the password step first)",
    "auth.two_factor_setup": "staff enrolment during first sign-in (needs the password step)",
    "auth.forgot_password": "asking for a reset link",
    "auth.reset_password": "following a reset link (needs the one-time token)",
    "auth.accept_invite": "following an invitation (needs the one-time token)",
    "api.openapi": "the description of the API",
}

#: URL parameters that name an object of a CSO organisation's data.
OBJECT_PARAMS = ("input_id", "attachment_id", "token_id")

_APP = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
RULES: list[Rule] = sorted(
    (r for r in _APP.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule
)
VIEWS = dict(_APP.view_functions)
OBJECT_RULES = [r for r in RULES if any(p in r.arguments for p in OBJECT_PARAMS)]
ID_RULES = [r for r in RULES if any(a.endswith("_id") for a in r.arguments)]


def _guard(rule: Rule) -> str | None:
    return getattr(VIEWS[rule.endpoint], GUARD_ATTR, None)


def _method(rule: Rule) -> str:
    if "GET" in rule.methods:
        return "GET"
    return sorted(rule.methods - {"HEAD", "OPTIONS"})[0]


def _path(rule: Rule, values: dict[str, str]) -> str:
    path = rule.rule
    for name in rule.arguments:
        value = values.get(name, "x")
        path = path.replace(f"<{name}>", value)
        for kind in ("uuid", "string", "path", "any"):
            path = path.replace(f"<{kind}:{name}>", value)
    return path


def test_the_url_map_was_read():
    assert len(RULES) > 10 and OBJECT_RULES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.endpoint)
def test_every_route_has_a_guard(rule):
    guard = _guard(rule)
    assert guard is not None, f"{rule.endpoint} ({rule.rule}) has no @requires/@login_only/@public"
    if guard == "public":
        assert rule.endpoint in PUBLIC_ENDPOINTS, (
            f"{rule.endpoint} is public: add it to PUBLIC_ENDPOINTS with the reason, "
            "or guard it with @requires / @login_only"
        )
    elif guard.startswith("requires:"):
        assert guard.removeprefix("requires:") in PERMISSIONS
    else:
        assert guard == "login"


def test_public_list_has_no_stale_entries():
    public = {r.endpoint for r in RULES if _guard(r) == "public"}
    assert set(PUBLIC_ENDPOINTS) <= public | {e for e in PUBLIC_ENDPOINTS if e not in VIEWS}
    assert all(e in VIEWS for e in PUBLIC_ENDPOINTS), "remove entries for routes that are gone"


def test_guarded_routes_send_anonymous_visitors_away(app):
    failures = []
    for rule in RULES:
        if _guard(rule) == "public":
            continue
        values = {name: str(uuid.uuid4()) for name in rule.arguments}
        path = _path(rule, values)
        response = app.test_client().open(path, method=_method(rule))
        if rule.rule.startswith("/api/"):
            ok = response.status_code == 401
        else:
            ok = response.status_code == 302 and "/auth/login" in response.headers["Location"]
        if not ok:
            failures.append(f"{_method(rule)} {path} -> {response.status_code}")
    assert failures == []


def test_ids_in_urls_are_not_sequences():
    from werkzeug.routing import IntegerConverter

    for rule in ID_RULES:
        for name, converter in rule._converters.items():  # noqa: SLF001
            assert not isinstance(converter, IntegerConverter), (rule.rule, name)
    from consult.api.models import ApiToken
    from consult.auth.models import User
    from consult.inputs.models import Consultation, Input
    from consult.organisations.models import Organisation

    for model in (Input, Attachment, User, Organisation, Consultation, ApiToken):
        column = model.__table__.c.id
        assert column.type.python_type is uuid.UUID, model


def test_a_guessed_number_is_not_an_id(app, admin_user, make_token):
    """Even the admin, who may see everything, gets 404 for a sequential id."""
    failures = []
    for rule in ID_RULES:
        values = {name: "1" for name in rule.arguments if name.endswith("_id")}
        path = _path(rule, values)
        response = _as(app.test_client(), admin_user, rule, path, make_token)
        if response.status_code != 404:
            failures.append(f"{_method(rule)} {path} -> {response.status_code}")
    assert failures == []


# --- another organisation's or delegation's objects -------------------------------


@pytest.fixture
def world(app, consultation):
    """An input of a Tunisian CSO, and people who must not reach it."""
    tn_org = factories.make_organisation("Owner Org TN", ["TN"])
    ua_org = factories.make_organisation("Other Org UA", ["UA"])
    owner = factories.make_user("owner@tn.example.org", "cso", organisation=tn_org)
    item = factories.make_input(consultation, owner, countries=["TN"])
    hq_direct = factories.make_input(consultation, owner, countries=["TN"], hq_direct=True)
    attachment = Attachment(
        input_id=item.id,
        organisation_id=tn_org.id,
        uploaded_by_id=owner.id,
        filename="notes.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
        storage_name=uuid.uuid4().hex,
    )
    db.session.add(attachment)
    db.session.commit()
    from consult.api.tokens import create_token

    token, _raw = create_token(owner, "owner's token")
    db.session.commit()
    strangers = {
        "cso of another organisation": factories.make_user(
            "other@ua.example.org", "cso", organisation=ua_org
        ),
        "moderator of another delegation": factories.make_user(
            "mod.ua@eeas.example.org", "moderator", delegation="eud-ua"
        ),
        "hq analyst before forwarding": factories.make_user("hq.x@eeas.example.org", "hq"),
    }
    tn_moderator = factories.make_user("mod.tn@eeas.example.org", "moderator", delegation="eud-tn")
    cases = [
        (who, user, {"input_id": item.id, "attachment_id": attachment.id, "token_id": token.id})
        for who, user in strangers.items()
    ]
    # an HQ-direct input is hidden from its country's delegation
    cases.append(
        (
            "moderator of the country, HQ-direct input",
            tn_moderator,
            {"input_id": hq_direct.id, "attachment_id": attachment.id, "token_id": token.id},
        )
    )
    return {"cases": cases, "owner": owner, "item": item}


def _as(client, user, rule: Rule, path: str, make_token):
    if rule.rule.startswith("/api/"):
        raw = make_token(user, "stranger")
        return client.open(
            path, method=_method(rule), headers={"Authorization": f"Bearer {raw}"}, json={}
        )
    factories.login(client, user)
    return client.open(path, method=_method(rule), data={})


@pytest.mark.parametrize("rule", OBJECT_RULES, ids=lambda r: f"{r.endpoint}")
def test_object_routes_answer_404_outside_scope(app, world, rule, make_token):
    failures = []
    for who, user, ids in world["cases"]:
        values = {name: str(ids[name]) for name in rule.arguments if name in ids}
        path = _path(rule, values)
        response = _as(app.test_client(), user, rule, path, make_token)
        if response.status_code != 404:
            failures.append(f"{who}: {_method(rule)} {path} -> {response.status_code}")
    assert failures == []


def test_the_owner_does_reach_the_same_objects(app, world, make_token):
    """The control: the ids above are real, so the 404s come from the scope checks."""
    reached = []
    for rule in OBJECT_RULES:
        if "GET" not in rule.methods or "input_id" not in rule.arguments:
            continue
        path = _path(rule, {"input_id": str(world["item"].id)})
        if _as(app.test_client(), world["owner"], rule, path, make_token).status_code == 200:
            reached.append(rule.endpoint)
    assert reached


def test_access_denials_are_audited_without_addresses(app, client, login, consultation):
    """A refused object request is on record: who, which object, why; never the address."""
    from consult.audit.models import AuditEvent
    from consult.extensions import db as _db
    from tests import factories as _factories

    other_org = _factories.make_organisation("Other Org", ["UA"])
    author = _factories.make_user("author@other.example.org", "cso", organisation=other_org)
    item = _factories.make_input(consultation, author, countries=["UA"])
    outsider_org = _factories.make_organisation("Outsider Org", ["TN"])
    outsider = _factories.make_user("out@outsider.example.org", "cso", organisation=outsider_org)
    login(client, outsider)
    response = client.get(f"/inputs/{item.id}", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 404
    event = _db.session.scalars(
        _db.select(AuditEvent).where(AuditEvent.action == "access.denied")
    ).one()
    assert event.actor_id == outsider.id
    assert event.object_id == str(item.id)
    assert "203.0.113.9" not in str(event.detail)
