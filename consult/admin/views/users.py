"""Accounts: the list, a new account, deactivation, invitations, two-factor reset."""

from __future__ import annotations

from types import ModuleType

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.access import parse_uuid, requires
from consult.actions import answer_refusal
from consult.admin import forms, services
from consult.admin.views.common import (
    NotSaved,
    Rendered,
    acting_admin,
    args_without,
    bp,
    confirm_or_400,
    filter_value,
    page_status,
    save_form,
)
from consult.auth.models import User
from consult.errors import DomainError
from consult.extensions import db


@bp.route("/users")
@requires("administer")
def users() -> str:
    form = forms.UserFilterForm(formdata=request.args)
    form.validate()
    filters = services.UserFilters(
        role=filter_value(form.role),
        organisation_id=filter_value(form.organisation),
        delegation_slug=filter_value(form.delegation),
        active=filter_value(form.active),
        email=form.email.data or "",
    )
    page = services.user_page(filters, after=request.args.get("after") or None)
    return render_template(
        "admin/users.html", form=form, page=page, next_args=args_without("after")
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
            acting_admin(),
            email=form.email.data,
            role=form.role.data,
            full_name=form.full_name.data or "",
            organisation_id=form.organisation.data or None,
            delegation_slug=form.delegation.data or None,
            is_org_admin=form.is_org_admin.data,
            password=None if invite else form.password.data,
        )
        link = invitations.create_invitation(user, acting_admin()) if invite else None
        return user, link

    saved = save_form(form, create)
    if not isinstance(saved, NotSaved):
        user, link = saved
        if link:
            flash(_("Account created for %(email)s; invitation sent.", email=user.email), "success")
        else:
            flash(_("Account created for %(email)s.", email=user.email), "success")
        return _to_user(user)
    return render_template("admin/user_new.html", form=form, loose=saved.loose), page_status(
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
    confirm_or_400()
    answer_refusal(lambda error: _refused_on_user_page(user, error))
    changed = services.set_user_active(acting_admin(), user, active)
    if changed and active:
        flash(_("%(email)s may sign in again.", email=user.email), "success")
    elif changed:
        flash(
            _("%(email)s is deactivated and signed out everywhere.", email=user.email),
            "success",
        )
    return _to_user(user)


def _refused_on_user_page(user: User, error: DomainError) -> Response:
    flash(error.message, "error")
    return _to_user(user)


@bp.route("/users/<user_id>/invite", methods=["POST"])
@requires("administer")
def user_invite(user_id: str) -> Response:
    user = _load_user(user_id)
    invitations = _invitations()
    if invitations is None:
        abort(404)
    confirm_or_400()
    if not user.active:
        flash(_("Reactivate the account before inviting its owner."), "error")
        return _to_user(user)
    invitations.create_invitation(user, acting_admin())
    flash(_("Invitation sent to %(email)s.", email=user.email), "success")
    return _to_user(user)


@bp.route("/users/<user_id>/reset-two-factor", methods=["POST"])
@requires("administer")
def user_reset_two_factor(user_id: str) -> Response:
    """Clear a user's second factor after a lost phone; they enrol again at next sign-in."""
    from consult.auth.totp import reset_two_factor

    user = _load_user(user_id)
    confirm_or_400()
    if user.id == acting_admin().id:
        flash(_("Ask another administrator to reset your own second factor."), "error")
        return _to_user(user)
    reset_two_factor(user, acting_admin())
    flash(
        _(
            "Two-factor login of %(email)s is reset; they set it up again at their next "
            "sign-in and are signed out everywhere.",
            email=user.email,
        ),
        "success",
    )
    return _to_user(user)


def _invitations() -> ModuleType | None:
    """The invitation module, when the account-invitation feature is installed."""
    try:
        from consult.auth import invitations
    except ImportError:
        return None
    return invitations if hasattr(invitations, "create_invitation") else None
