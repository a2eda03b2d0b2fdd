"""The administration area: users, organisations, delegations, consultations,
reference data and the audit log. Views parse, call ``consult.admin.services``,
commit and render."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms import Field

from consult.access import parse_uuid, requires
from consult.admin import forms, services
from consult.admin.services import AdminError
from consult.auth.models import User
from consult.extensions import db
from consult.organisations.models import Organisation
from consult.reference import services as reference
from consult.reference.models import Delegation
from consult.submissions.models import Consultation, Input

bp = Blueprint("admin", __name__, url_prefix="/admin")

Rendered = str | tuple[str, int] | Response
T = TypeVar("T")


def _actor() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _apply_errors(form: FlaskForm, exc: AdminError) -> list[str]:
    """Put a service's refusals next to their fields; return those with no field."""
    loose: list[str] = []
    for name, messages in exc.fields.items():
        if name in form:
            form[name].errors = list(form[name].errors) + list(messages)
        else:
            loose.extend(messages)
    return loose


@dataclasses.dataclass
class NotSaved:
    """A form that was not saved: not sent, not valid, or refused by the service.

    ``loose`` holds the refusals that belong to no field of the form.
    """

    loose: list[str] = dataclasses.field(default_factory=list)


def _save(form: FlaskForm, action: Callable[[], T]) -> T | NotSaved:
    """Run ``action`` (a service call) for a valid submitted form and commit.

    On an ``AdminError`` the session is rolled back and the refusals are put
    next to their fields; the view then shows the form again.
    """
    if not form.validate_on_submit():
        return NotSaved()
    try:
        result = action()
    except AdminError as exc:
        db.session.rollback()
        return NotSaved(_apply_errors(form, exc))
    db.session.commit()
    return result


def _status(loose: list[str], *shown: FlaskForm) -> int:
    """400 when the page shows an error, 200 otherwise."""
    return 400 if loose or any(f.errors for f in shown) else 200


def _flash_saved(changed: bool, message: str) -> None:
    """Say what was saved, or that nothing changed."""
    if changed:
        flash(message, "success")
    else:
        flash(_("Nothing changed."), "info")


def _confirm_or_400() -> None:
    """A button that changes something must come with a valid form (CSRF token)."""
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)


def _filter_value(f: Field, fallback: Any = "") -> Any:
    """A filter's value, or ``fallback`` when what was typed is not valid."""
    return fallback if f.errors else f.data


def _args_without(key: str) -> dict[str, str]:
    """The page's query arguments that are set, less ``key`` (the pager adds its own)."""
    return {k: v for k, v in request.args.items() if k != key and v}


def _invitations() -> ModuleType | None:
    """The invitation module, when the account-invitation feature is installed."""
    try:
        from consult.auth import invitations
    except ImportError:
        return None
    return invitations if hasattr(invitations, "create_invitation") else None


def _regions() -> list[Any]:
    return reference.regions()


# --- index -----------------------------------------------------------------------------


@bp.route("/")
@requires("administer")
def index() -> str:
    return render_template("admin/index.html", counts=services.dashboard_counts())


# --- users -----------------------------------------------------------------------------


@bp.route("/users")
@requires("administer")
def users() -> str:
    form = forms.UserFilterForm(formdata=request.args)
    form.validate()
    filters = services.UserFilters(
        role=_filter_value(form.role),
        organisation_id=_filter_value(form.organisation),
        delegation_slug=_filter_value(form.delegation),
        active=_filter_value(form.active),
        email=form.email.data or "",
    )
    page = services.user_page(filters, after=request.args.get("after") or None)
    return render_template(
        "admin/users.html", form=form, page=page, next_args=_args_without("after")
    )


@bp.route("/users/new", methods=["GET", "POST"])
@requires("administer")
def user_new() -> Rendered:
    invitations = _invitations()
    form = forms.UserCreateForm(invitations=invitations is not None)
    if request.method == "GET":
        form.role.data = request.args.get("role", "")
        form.organisation.data = request.args.get("organisation", "")
        form.delegation.data = request.args.get("delegation", "")

    def create() -> tuple[User, str | None]:
        invite = form.wants_invitation()
        user = services.create_account(
            _actor(),
            email=form.email.data,
            role=form.role.data,
            full_name=form.full_name.data or "",
            organisation_id=form.organisation.data or None,
            delegation_slug=form.delegation.data or None,
            is_org_admin=form.is_org_admin.data,
            password=None if invite else form.password.data,
        )
        link = invitations.create_invitation(user, _actor()) if invite else None
        return user, link

    saved = _save(form, create)
    if not isinstance(saved, NotSaved):
        user, link = saved
        if link:
            flash(_("Account created for %(email)s; invitation sent.", email=user.email), "success")
        else:
            flash(_("Account created for %(email)s.", email=user.email), "success")
        return _to_user(user)
    return render_template("admin/user_new.html", form=form, loose=saved.loose), _status(
        saved.loose, form
    )


def _load_user(user_id: str) -> User:
    return db.get_or_404(User, parse_uuid(user_id))


def _to_user(user: User) -> Response:
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<user_id>")
@requires("administer")
def user_detail(user_id: str) -> str:
    user = _load_user(user_id)
    return render_template(
        "admin/user_detail.html",
        user=user,
        form=forms.ConfirmForm(),
        invitations=_invitations() is not None,
    )


@bp.route("/users/<user_id>/deactivate", methods=["POST"])
@requires("administer")
def user_deactivate(user_id: str) -> Response:
    return _set_active(user_id, False)


@bp.route("/users/<user_id>/reactivate", methods=["POST"])
@requires("administer")
def user_reactivate(user_id: str) -> Response:
    return _set_active(user_id, True)


def _set_active(user_id: str, active: bool) -> Response:
    user = _load_user(user_id)
    _confirm_or_400()
    try:
        changed = services.set_user_active(_actor(), user, active)
    except AdminError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _to_user(user)
    db.session.commit()
    if changed and active:
        flash(_("%(email)s may sign in again.", email=user.email), "success")
    elif changed:
        flash(
            _("%(email)s is deactivated and signed out everywhere.", email=user.email),
            "success",
        )
    return _to_user(user)


@bp.route("/users/<user_id>/invite", methods=["POST"])
@requires("administer")
def user_invite(user_id: str) -> Response:
    user = _load_user(user_id)
    invitations = _invitations()
    if invitations is None:
        abort(404)
    _confirm_or_400()
    if not user.active:
        flash(_("Reactivate the account before inviting its owner."), "error")
        return _to_user(user)
    invitations.create_invitation(user, _actor())
    db.session.commit()
    flash(_("Invitation sent to %(email)s.", email=user.email), "success")
    return _to_user(user)


@bp.route("/users/<user_id>/reset-two-factor", methods=["POST"])
@requires("administer")
def user_reset_two_factor(user_id: str) -> Response:
    """Clear a user's second factor after a lost phone; they enrol again at next sign-in."""
    from consult.auth.totp import reset_two_factor

    user = _load_user(user_id)
    _confirm_or_400()
    if user.id == _actor().id:
        flash(_("Ask another administrator to reset your own second factor."), "error")
        return _to_user(user)
    reset_two_factor(user, _actor())
    db.session.commit()
    flash(
        _(
            "Two-factor login of %(email)s is reset; they set it up again at their next "
            "sign-in and are signed out everywhere.",
            email=user.email,
        ),
        "success",
    )
    return _to_user(user)


# --- organisations ---------------------------------------------------------------------


@bp.route("/organisations")
@requires("administer")
def organisations() -> str:
    state = request.args.get("verified", "")
    stmt = (
        select(Organisation)
        .options(selectinload(Organisation.countries))
        .order_by(Organisation.name)
    )
    if state == "yes":
        stmt = stmt.where(Organisation.is_verified.is_(True))
    elif state == "no":
        stmt = stmt.where(Organisation.is_verified.is_(False))
    orgs = list(db.session.scalars(stmt))
    members = _count_by(User.organisation_id)
    return render_template(
        "admin/organisations.html",
        organisations=orgs,
        members=members,
        state=state,
        form=forms.ConfirmForm(),
    )


def _count_by(column: Any) -> dict[Any, int]:
    """How many users have each (set) value of one of their columns."""
    return dict(
        db.session.execute(
            select(column, func.count()).where(column.is_not(None)).group_by(column)
        ).all()
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@requires("administer")
def organisation_new() -> Rendered:
    form = forms.OrganisationForm()
    saved = _save(
        form,
        lambda: services.create_organisation(
            _actor(),
            form.name.data,
            form.countries.data or [],
            form.contact_email.data,
            form.verified.data,
        ),
    )
    if not isinstance(saved, NotSaved):
        flash(_("Organisation %(name)s created.", name=saved.name), "success")
        return redirect(url_for("admin.organisations"))
    return _form_page("admin/organisation_form.html", form, saved.loose, org=None)


def _form_page(template: str, form: FlaskForm, loose: list[str], **context: Any) -> tuple[str, int]:
    """An edit page with the countries grouped by region; 400 when it shows an error."""
    return render_template(
        template, form=form, loose=loose, regions=_regions(), **context
    ), _status(loose, form)


def _load_organisation(org_id: str) -> Organisation:
    return db.get_or_404(Organisation, parse_uuid(org_id))


@bp.route("/organisations/<org_id>", methods=["GET", "POST"])
@requires("administer")
def organisation_edit(org_id: str) -> Rendered:
    org = _load_organisation(org_id)
    form = forms.OrganisationForm(
        data=None if request.method == "POST" else _org_data(org),
    )
    del form.verified
    saved = _save(
        form,
        lambda: services.update_organisation(
            _actor(), org, form.name.data, form.countries.data or [], form.contact_email.data
        ),
    )
    if not isinstance(saved, NotSaved):
        _flash_saved(bool(saved), _("Organisation %(name)s saved.", name=org.name))
        return redirect(url_for("admin.organisations"))
    return _form_page(
        "admin/organisation_form.html", form, saved.loose, org=org, confirm=forms.ConfirmForm()
    )


def _org_data(org: Organisation) -> dict[str, Any]:
    return {"name": org.name, "countries": org.country_codes, "contact_email": org.contact_email}


@bp.route("/organisations/<org_id>/verify", methods=["POST"])
@requires("administer")
def organisation_verify(org_id: str) -> Response:
    org = _load_organisation(org_id)
    _confirm_or_400()
    verified = request.form.get("verified") == "1"
    if services.set_organisation_verified(_actor(), org, verified):
        db.session.commit()
        if verified:
            flash(
                _("%(name)s is verified: its members may submit inputs.", name=org.name), "success"
            )
        else:
            flash(
                _("%(name)s is no longer verified: its members cannot submit.", name=org.name),
                "success",
            )
    if request.form.get("back") == "edit":
        return redirect(url_for("admin.organisation_edit", org_id=org.id))
    return redirect(url_for("admin.organisations"))


# --- delegations -----------------------------------------------------------------------


@bp.route("/delegations", methods=["GET", "POST"])
@requires("administer")
def delegations() -> Rendered:
    countries = reference.countries()
    form = forms.coverage_form(countries)
    saved = _save(
        form,
        lambda: services.set_coverage(
            _actor(), {c.code: form[f"country__{c.code}"].data or None for c in countries}
        ),
    )
    if not isinstance(saved, NotSaved):
        _flash_saved(
            bool(saved),
            _("Coverage saved for %(codes)s. New inputs follow it.", codes=", ".join(saved)),
        )
        return redirect(url_for("admin.delegations"))
    return _form_page(
        "admin/delegations.html",
        form,
        saved.loose,
        delegations=reference.delegations(),
        moderators=_count_by(User.delegation_slug),
    )


@bp.route("/delegations/new", methods=["GET", "POST"])
@requires("administer")
def delegation_new() -> Rendered:
    form = forms.DelegationForm()
    saved = _save(
        form,
        lambda: services.create_delegation(
            _actor(), form.slug.data, form.name.data, form.countries.data or []
        ),
    )
    if not isinstance(saved, NotSaved):
        flash(_("Delegation %(name)s created.", name=saved.name), "success")
        return redirect(url_for("admin.delegations"))
    return _form_page("admin/delegation_form.html", form, saved.loose, delegation=None)


@bp.route("/delegations/<slug>", methods=["GET", "POST"])
@requires("administer")
def delegation_edit(slug: str) -> Rendered:
    delegation = db.get_or_404(Delegation, slug)
    data = None
    if request.method != "POST":
        data = {"name": delegation.name, "countries": delegation.country_codes}
    form = forms.DelegationForm(editing=True, data=data)
    saved = _save(
        form,
        lambda: services.update_delegation(
            _actor(), delegation, form.name.data, form.countries.data or []
        ),
    )
    if not isinstance(saved, NotSaved):
        _flash_saved(bool(saved), _("Delegation %(name)s saved.", name=delegation.name))
        return redirect(url_for("admin.delegations"))
    return _form_page("admin/delegation_form.html", form, saved.loose, delegation=delegation)


# --- consultations ---------------------------------------------------------------------


@bp.route("/consultations")
@requires("administer")
def consultations() -> str:
    items = list(db.session.scalars(select(Consultation).order_by(Consultation.opens_at.desc())))
    inputs = dict(
        db.session.execute(
            select(Input.consultation_id, func.count()).group_by(Input.consultation_id)
        ).all()
    )
    return render_template("admin/consultations.html", consultations=items, inputs=inputs)


def _consultation_data(form: forms.ConsultationBaseForm) -> services.ConsultationData:
    return services.ConsultationData(
        slug=form.slug.data or "",
        title=form.title.data or "",
        description=form.description.data or "",
        opens_at=form.opens_at.data,
        closes_at=form.closes_at.data,
        country_codes=list(form.countries.data or []),
        questions={
            priority.slug: (questions.data or "").splitlines()
            for priority, questions in form.question_fields
        },
    )


@bp.route("/consultations/new", methods=["GET", "POST"])
@requires("administer")
def consultation_new() -> Rendered:
    form = forms.consultation_form(reference.priorities())
    saved = _save(form, lambda: services.create_consultation(_actor(), _consultation_data(form)))
    if not isinstance(saved, NotSaved):
        flash(_("Consultation %(title)s created.", title=saved.title), "success")
        return redirect(url_for("admin.consultations"))
    return _form_page("admin/consultation_form.html", form, saved.loose, consultation=None)


@bp.route("/consultations/<consultation_id>", methods=["GET", "POST"])
@requires("administer")
def consultation_edit(consultation_id: str) -> Rendered:
    consultation = db.get_or_404(Consultation, parse_uuid(consultation_id))
    priorities = reference.priorities()
    data = None
    if request.method != "POST":
        grouped = services.questions_by_priority(consultation)
        data = {
            "slug": consultation.slug,
            "title": consultation.title,
            "description": consultation.description,
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
            "countries": consultation.country_codes,
        }
        for priority in priorities:
            data[forms.question_field_name(priority.slug)] = "\n".join(
                grouped.get(priority.slug, [])
            )
    form = forms.consultation_form(priorities, data=data)
    saved = _save(
        form, lambda: services.update_consultation(_actor(), consultation, _consultation_data(form))
    )
    if not isinstance(saved, NotSaved):
        _flash_saved(bool(saved), _("Consultation %(title)s saved.", title=consultation.title))
        return redirect(url_for("admin.consultations"))
    return _form_page("admin/consultation_form.html", form, saved.loose, consultation=consultation)


# --- reference data --------------------------------------------------------------------


@bp.route("/reference")
@requires("administer")
def reference_index() -> str:
    kinds = services.reference_kinds()
    counts = {name: len(services.reference_entries(kind)) for name, kind in kinds.items()}
    return render_template("admin/reference_index.html", kinds=kinds, counts=counts)


def _kind(kind_name: str) -> services.ReferenceKind:
    kind = services.reference_kinds().get(kind_name)
    if kind is None:
        abort(404)
    return kind


def _reference_page(
    kind_name: str,
    kind: services.ReferenceKind,
    names_form: FlaskForm,
    add_form: FlaskForm,
    loose: list[str],
) -> tuple[str, int]:
    entries = services.reference_entries(kind)
    return render_template(
        "admin/reference_kind.html",
        kind_name=kind_name,
        kind=kind,
        entries=entries,
        names_form=names_form,
        add_form=add_form,
        loose=loose,
    ), _status(loose, names_form, add_form)


@bp.route("/reference/<kind_name>", methods=["GET", "POST"])
@requires("administer")
def reference_kind(kind_name: str) -> Rendered:
    kind = _kind(kind_name)
    entries = services.reference_entries(kind)
    names_form = forms.reference_names_form(entries, kind.name_max)
    saved = _save(
        names_form,
        lambda: services.rename_reference(
            _actor(), kind_name, kind, {e.slug: names_form[f"name__{e.slug}"].data for e in entries}
        ),
    )
    if not isinstance(saved, NotSaved):
        _flash_saved(bool(saved), _("Renamed: %(slugs)s.", slugs=", ".join(saved)))
        return redirect(url_for("admin.reference_kind", kind_name=kind_name))
    return _reference_page(
        kind_name, kind, names_form, forms.ReferenceAddForm(formdata=None), saved.loose
    )


@bp.route("/reference/<kind_name>/add", methods=["POST"])
@requires("administer")
def reference_add(kind_name: str) -> Rendered:
    kind = _kind(kind_name)
    add_form = forms.ReferenceAddForm()
    saved = _save(
        add_form,
        lambda: services.add_reference(
            _actor(), kind_name, kind, add_form.slug.data, add_form.name.data
        ),
    )
    if not isinstance(saved, NotSaved):
        flash(_("Added %(name)s (%(slug)s).", name=saved.name, slug=saved.slug), "success")
        return redirect(url_for("admin.reference_kind", kind_name=kind_name))
    entries = services.reference_entries(kind)
    names_form = forms.reference_names_form(entries, kind.name_max, formdata=None)
    return _reference_page(kind_name, kind, names_form, add_form, saved.loose)


# --- the audit log ---------------------------------------------------------------------


@bp.route("/audit")
@requires("view_audit_log")
def audit() -> Rendered:
    form = forms.AuditFilterForm(formdata=request.args, actions=services.audit_actions())
    valid = form.validate()
    filters = services.AuditFilters(
        action=_filter_value(form.action),
        actor_email=(form.actor_email.data or "").strip(),
        object_id=(form.object_id.data or "").strip(),
        since=_filter_value(form.since, None),
        until=_filter_value(form.until, None),
    )
    before_raw = request.args.get("before", "")
    before = int(before_raw) if before_raw.isdigit() else None
    page = services.audit_page(_actor(), filters, before=before)
    db.session.commit()
    actors = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in page.items if e.actor_id}))
        )
    }
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        actors=actors,
        next_args=_args_without("before"),
        detail=services.visible_detail,
    ), (200 if valid else 400)
