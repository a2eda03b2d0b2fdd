"""The administration area: users, organisations, delegations, consultations,
reference data and the audit log. Views parse, call ``consult.admin.services``,
commit and render."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

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
        role=form.role.data if not form.role.errors else "",
        organisation_id=form.organisation.data if not form.organisation.errors else "",
        delegation_slug=form.delegation.data if not form.delegation.errors else "",
        active=form.active.data if not form.active.errors else "",
        email=form.email.data or "",
    )
    page = services.user_page(filters, after=request.args.get("after") or None)
    next_args = {k: v for k, v in request.args.items() if k != "after" and v}
    return render_template("admin/users.html", form=form, page=page, next_args=next_args)


@bp.route("/users/new", methods=["GET", "POST"])
@requires("administer")
def user_new() -> Rendered:
    invitations = _invitations()
    form = forms.UserCreateForm(invitations=invitations is not None)
    if request.method == "GET":
        form.role.data = request.args.get("role", "")
        form.organisation.data = request.args.get("organisation", "")
        form.delegation.data = request.args.get("delegation", "")
    loose: list[str] = []
    if form.validate_on_submit():
        invite = form.wants_invitation()
        try:
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
        except AdminError as exc:
            db.session.rollback()
            loose = _apply_errors(form, exc)
        else:
            db.session.commit()
            if link:
                flash(
                    _("Account created for %(email)s; invitation sent.", email=user.email),
                    "success",
                )
            else:
                flash(_("Account created for %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    status = 400 if form.errors or loose else 200
    return render_template("admin/user_new.html", form=form, loose=loose), status


def _load_user(user_id: str) -> User:
    user = db.session.get(User, parse_uuid(user_id))
    if user is None:
        abort(404)
    return user


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
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    try:
        changed = services.set_user_active(_actor(), user, active)
    except AdminError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    db.session.commit()
    if changed and active:
        flash(_("%(email)s may sign in again.", email=user.email), "success")
    elif changed:
        flash(
            _("%(email)s is deactivated and signed out everywhere.", email=user.email),
            "success",
        )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<user_id>/invite", methods=["POST"])
@requires("administer")
def user_invite(user_id: str) -> Response:
    user = _load_user(user_id)
    invitations = _invitations()
    if invitations is None or not forms.ConfirmForm().validate_on_submit():
        abort(404 if invitations is None else 400)
    if not user.active:
        flash(_("Reactivate the account before inviting its owner."), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    invitations.create_invitation(user, _actor())
    db.session.commit()
    flash(_("Invitation sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<user_id>/reset-two-factor", methods=["POST"])
@requires("administer")
def user_reset_two_factor(user_id: str) -> Response:
    """Clear a user's second factor after a lost phone; they enrol again at next sign-in."""
    from consult.auth.totp import reset_two_factor

    user = _load_user(user_id)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    if user.id == _actor().id:
        flash(_("Ask another administrator to reset your own second factor."), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
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
    return redirect(url_for("admin.user_detail", user_id=user.id))


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
    members = dict(
        db.session.execute(
            select(User.organisation_id, func.count())
            .where(User.organisation_id.is_not(None))
            .group_by(User.organisation_id)
        ).all()
    )
    return render_template(
        "admin/organisations.html",
        organisations=orgs,
        members=members,
        state=state,
        form=forms.ConfirmForm(),
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@requires("administer")
def organisation_new() -> Rendered:
    form = forms.OrganisationForm()
    loose: list[str] = []
    if form.validate_on_submit():
        try:
            org = services.create_organisation(
                _actor(),
                form.name.data,
                form.countries.data or [],
                form.contact_email.data,
                form.verified.data,
            )
        except AdminError as exc:
            db.session.rollback()
            loose = _apply_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Organisation %(name)s created.", name=org.name), "success")
            return redirect(url_for("admin.organisations"))
    status = 400 if form.errors or loose else 200
    return render_template(
        "admin/organisation_form.html", form=form, org=None, loose=loose, regions=_regions()
    ), status


def _load_organisation(org_id: str) -> Organisation:
    org = db.session.get(Organisation, parse_uuid(org_id))
    if org is None:
        abort(404)
    return org


@bp.route("/organisations/<org_id>", methods=["GET", "POST"])
@requires("administer")
def organisation_edit(org_id: str) -> Rendered:
    org = _load_organisation(org_id)
    form = forms.OrganisationForm(
        data=None if request.method == "POST" else _org_data(org),
    )
    del form.verified
    loose: list[str] = []
    if form.validate_on_submit():
        try:
            changed = services.update_organisation(
                _actor(), org, form.name.data, form.countries.data or [], form.contact_email.data
            )
        except AdminError as exc:
            db.session.rollback()
            loose = _apply_errors(form, exc)
        else:
            db.session.commit()
            if changed:
                flash(_("Organisation %(name)s saved.", name=org.name), "success")
            else:
                flash(_("Nothing changed."), "info")
            return redirect(url_for("admin.organisations"))
    status = 400 if form.errors or loose else 200
    return render_template(
        "admin/organisation_form.html",
        form=form,
        org=org,
        loose=loose,
        regions=_regions(),
        confirm=forms.ConfirmForm(),
    ), status


def _org_data(org: Organisation) -> dict[str, Any]:
    return {"name": org.name, "countries": org.country_codes, "contact_email": org.contact_email}


@bp.route("/organisations/<org_id>/verify", methods=["POST"])
@requires("administer")
def organisation_verify(org_id: str) -> Response:
    org = _load_organisation(org_id)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
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
    loose: list[str] = []
    if form.validate_on_submit():
        assignments = {c.code: form[f"country__{c.code}"].data or None for c in countries}
        try:
            moved = services.set_coverage(_actor(), assignments)
        except AdminError as exc:
            db.session.rollback()
            loose = _apply_errors(form, exc)
        else:
            db.session.commit()
            if moved:
                flash(
                    _(
                        "Coverage saved for %(codes)s. New inputs follow it.",
                        codes=", ".join(moved),
                    ),
                    "success",
                )
            else:
                flash(_("Nothing changed."), "info")
            return redirect(url_for("admin.delegations"))
    moderators = dict(
        db.session.execute(
            select(User.delegation_slug, func.count())
            .where(User.delegation_slug.is_not(None))
            .group_by(User.delegation_slug)
        ).all()
    )
    status = 400 if form.errors or loose else 200
    return render_template(
        "admin/delegations.html",
        delegations=reference.delegations(),
        regions=_regions(),
        form=form,
        loose=loose,
        moderators=moderators,
    ), status


@bp.route("/delegations/new", methods=["GET", "POST"])
@requires("administer")
def delegation_new() -> Rendered:
    form = forms.DelegationForm()
    loose: list[str] = []
    if form.validate_on_submit():
        try:
            delegation = services.create_delegation(
                _actor(), form.slug.data, form.name.data, form.countries.data or []
            )
        except AdminError as exc:
            db.session.rollback()
            loose = _apply_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Delegation %(name)s created.", name=delegation.name), "success")
            return redirect(url_for("admin.delegations"))
    status = 400 if form.errors or loose else 200
    return render_template(
        "admin/delegation_form.html", form=form, delegation=None, loose=loose, regions=_regions()
    ), status


@bp.route("/delegations/<slug>", methods=["GET", "POST"])
@requires("administer")
def delegation_edit(slug: str) -> Rendered:
    delegation = db.session.get(Delegation, slug)
    if delegation is None:
        abort(404)
    data = None
    if request.method != "POST":
        data = {"name": delegation.name, "countries": delegation.country_codes}
    form = forms.DelegationForm(editing=True, data=data)
    loose: list[str] = []
    if form.validate_on_submit():
        try:
            changed = services.update_delegation(
                _actor(), delegation, form.name.data, form.countries.data or []
            )
        except AdminError as exc:
            db.session.rollback()
            loose = _apply_errors(form, exc)
        else:
            db.session.commit()
            flash(
                _("Delegation %(name)s saved.", name=delegation.name)
                if changed
                else _("Nothing changed."),
                "success" if changed else "info",
            )
            return redirect(url_for("admin.delegations"))
    status = 400 if form.errors or loose else 200
    return render_template(
        "admin/delegation_form.html",
        form=form,
        delegation=delegation,
        loose=loose,
        regions=_regions(),
    ), status


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
            priority.slug: (field.data or "").splitlines()
            for priority, field in form.question_fields
        },
    )


def _consultation_page(
    form: forms.ConsultationBaseForm, consultation: Consultation | None, loose: list[str]
) -> tuple[str, int]:
    status = 400 if form.errors or loose else 200
    return render_template(
        "admin/consultation_form.html",
        form=form,
        consultation=consultation,
        loose=loose,
        regions=_regions(),
    ), status


@bp.route("/consultations/new", methods=["GET", "POST"])
@requires("administer")
def consultation_new() -> Rendered:
    form = forms.consultation_form(reference.priorities())
    loose: list[str] = []
    if form.validate_on_submit():
        try:
            consultation = services.create_consultation(_actor(), _consultation_data(form))
        except AdminError as exc:
            db.session.rollback()
            loose = _apply_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Consultation %(title)s created.", title=consultation.title), "success")
            return redirect(url_for("admin.consultations"))
    return _consultation_page(form, None, loose)


@bp.route("/consultations/<consultation_id>", methods=["GET", "POST"])
@requires("administer")
def consultation_edit(consultation_id: str) -> Rendered:
    consultation = db.session.get(Consultation, parse_uuid(consultation_id))
    if consultation is None:
        abort(404)
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
    loose: list[str] = []
    if form.validate_on_submit():
        try:
            changed = services.update_consultation(_actor(), consultation, _consultation_data(form))
        except AdminError as exc:
            db.session.rollback()
            loose = _apply_errors(form, exc)
        else:
            db.session.commit()
            flash(
                _("Consultation %(title)s saved.", title=consultation.title)
                if changed
                else _("Nothing changed."),
                "success" if changed else "info",
            )
            return redirect(url_for("admin.consultations"))
    return _consultation_page(form, consultation, loose)


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
    status = 400 if names_form.errors or add_form.errors or loose else 200
    entries = services.reference_entries(kind)
    return render_template(
        "admin/reference_kind.html",
        kind_name=kind_name,
        kind=kind,
        entries=entries,
        names_form=names_form,
        add_form=add_form,
        loose=loose,
    ), status


@bp.route("/reference/<kind_name>", methods=["GET", "POST"])
@requires("administer")
def reference_kind(kind_name: str) -> Rendered:
    kind = _kind(kind_name)
    entries = services.reference_entries(kind)
    names_form = forms.reference_names_form(entries, kind.name_max)
    loose: list[str] = []
    if names_form.validate_on_submit():
        names = {e.slug: names_form[f"name__{e.slug}"].data for e in entries}
        try:
            renamed = services.rename_reference(_actor(), kind_name, kind, names)
        except AdminError as exc:
            db.session.rollback()
            loose = _apply_errors(names_form, exc)
        else:
            db.session.commit()
            flash(
                _("Renamed: %(slugs)s.", slugs=", ".join(renamed))
                if renamed
                else _("Nothing changed."),
                "success" if renamed else "info",
            )
            return redirect(url_for("admin.reference_kind", kind_name=kind_name))
    return _reference_page(
        kind_name, kind, names_form, forms.ReferenceAddForm(formdata=None), loose
    )


@bp.route("/reference/<kind_name>/add", methods=["POST"])
@requires("administer")
def reference_add(kind_name: str) -> Rendered:
    kind = _kind(kind_name)
    add_form = forms.ReferenceAddForm()
    loose: list[str] = []
    if add_form.validate_on_submit():
        try:
            entry = services.add_reference(
                _actor(), kind_name, kind, add_form.slug.data, add_form.name.data
            )
        except AdminError as exc:
            db.session.rollback()
            loose = _apply_errors(add_form, exc)
        else:
            db.session.commit()
            flash(_("Added %(name)s (%(slug)s).", name=entry.name, slug=entry.slug), "success")
            return redirect(url_for("admin.reference_kind", kind_name=kind_name))
    entries = services.reference_entries(kind)
    names_form = forms.reference_names_form(entries, kind.name_max, formdata=None)
    return _reference_page(kind_name, kind, names_form, add_form, loose)


# --- the audit log ---------------------------------------------------------------------


@bp.route("/audit")
@requires("view_audit_log")
def audit() -> Rendered:
    form = forms.AuditFilterForm(formdata=request.args, actions=services.audit_actions())
    valid = form.validate()
    filters = services.AuditFilters(
        action=form.action.data if not form.action.errors else "",
        actor_email=(form.actor_email.data or "").strip(),
        object_id=(form.object_id.data or "").strip(),
        since=form.since.data if not form.since.errors else None,
        until=form.until.data if not form.until.errors else None,
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
    next_args = {k: v for k, v in request.args.items() if k != "before" and v}
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        actors=actors,
        next_args=next_args,
        detail=services.visible_detail,
    ), (200 if valid else 400)
