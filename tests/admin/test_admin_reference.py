"""Reference data names: rename entries, add entries; slugs never change."""

from __future__ import annotations

from consult.extensions import db
from consult.reference.models import Priority, Theme


def _names(kind: str, **changes: str) -> dict[str, str]:
    model = {"priorities": Priority, "themes": Theme}[kind]
    data = {f"name__{e.slug}": e.name for e in db.session.scalars(db.select(model))}
    data.update({f"name__{slug}": name for slug, name in changes.items()})
    return data


def test_rename_entries_keeps_their_slugs(client, login, admin_user, audit_events):
    login(client, admin_user)
    page = client.get("/admin/reference/priorities").get_data(as_text=True)
    assert 'value="Fighting cybercrime"' in page and "<code>cybercrime</code>" in page
    response = client.post(
        "/admin/reference/priorities",
        data=_names("priorities", cybercrime="Fighting cybercrime and online harms"),
        follow_redirects=True,
    )
    assert "Renamed: cybercrime." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Priority, "cybercrime").name == "Fighting cybercrime and online harms"
    (event,) = audit_events("reference.renamed")
    assert event.object_type == "priorities" and event.object_id == "cybercrime"
    assert event.detail["after"] == "Fighting cybercrime and online harms"


def test_empty_or_long_name_is_refused_and_typed_names_kept(client, login, admin_user):
    login(client, admin_user)
    response = client.post(
        "/admin/reference/themes",
        data=_names("themes", youth="", gender="Gender equality and women", media="x" * 121),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "A name cannot be empty." in html
    assert "Field cannot be longer than 120 characters." in html
    assert 'value="Gender equality and women"' in html
    db.session.expire_all()
    assert db.session.get(Theme, "gender").name == "Gender and women"


def test_add_an_entry_with_a_new_slug(client, login, admin_user):
    login(client, admin_user)
    response = client.post(
        "/admin/reference/themes/add",
        data={"slug": "climate-security", "name": "Climate and security"},
        follow_redirects=True,
    )
    assert "Added Climate and security (climate-security)." in response.get_data(as_text=True)
    db.session.expire_all()
    theme = db.session.get(Theme, "climate-security")
    assert theme.name == "Climate and security"
    last = db.session.scalars(db.select(Theme).order_by(Theme.position.desc())).first()
    assert last.slug == "climate-security"  # listed last


def test_add_with_a_bad_or_taken_slug_is_refused(client, login, admin_user):
    login(client, admin_user)
    response = client.post(
        "/admin/reference/themes/add", data={"slug": "Climate Security", "name": "Climate"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use lower-case letters, digits and single hyphens" in html
    assert 'value="Climate Security"' in html and 'value="Climate"' in html

    response = client.post("/admin/reference/themes/add", data={"slug": "youth", "name": "Young"})
    assert "This slug is already used in this list." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Theme, "youth").name == "Youth"
