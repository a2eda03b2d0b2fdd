"""Every administration page opens for an admin and is a 404 for everyone else."""

from __future__ import annotations

import pytest

from tests import factories

PAGES = [
    "/admin/",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/{user_id}",
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/organisations/{org_id}",
    "/admin/delegations",
    "/admin/delegations/new",
    "/admin/delegations/eud-tn",
    "/admin/consultations",
    "/admin/consultations/new",
    "/admin/consultations/{consultation_id}",
    "/admin/reference",
    "/admin/reference/priorities",
    "/admin/reference/themes",
    "/admin/audit",
]

POSTS = [
    "/admin/users/{user_id}/deactivate",
    "/admin/users/{user_id}/reactivate",
    "/admin/users/{user_id}/invite",
    "/admin/organisations/{org_id}/verify",
    "/admin/reference/themes/add",
]


@pytest.fixture
def ids(cso_user, organisation, consultation):
    return {
        "user_id": cso_user.id,
        "org_id": organisation.id,
        "consultation_id": consultation.id,
    }


def test_admin_opens_every_page(client, login, admin_user, ids):
    login(client, admin_user)
    for page in PAGES:
        response = client.get(page.format(**ids))
        assert response.status_code == 200, page
        assert "Administration" in response.get_data(as_text=True)


@pytest.mark.parametrize("fixture", ["cso_user", "moderator_user", "hq_user"])
def test_other_roles_get_404_everywhere(request, client, login, ids, fixture):
    user = request.getfixturevalue(fixture)
    login(client, user)
    for page in PAGES:
        assert client.get(page.format(**ids)).status_code == 404, page
    for page in POSTS:
        assert client.post(page.format(**ids), data={"verified": "1"}).status_code == 404, page


def test_anonymous_visitor_is_sent_to_sign_in(client, ids):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_index_shows_counts_and_links(client, login, admin_user, organisation):
    factories.make_organisation("Unverified Voices", ["UA"], verified=False)
    login(client, admin_user)
    html = client.get("/admin/").get_data(as_text=True)
    assert "Organisations: 2, of which not verified yet: 1." in html
    assert "Countries without a delegation, whose inputs go to HQ: 1." in html  # Syria
    for link in ("/admin/users", "/admin/organisations", "/admin/delegations", "/admin/audit"):
        assert f'href="{link}' in html


def test_unknown_ids_are_404(client, login, admin_user):
    login(client, admin_user)
    assert client.get("/admin/users/not-a-uuid").status_code == 404
    assert client.get("/admin/users/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/admin/delegations/eud-nowhere").status_code == 404
    assert client.get("/admin/reference/colours").status_code == 404
