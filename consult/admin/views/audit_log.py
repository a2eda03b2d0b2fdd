"""The audit log."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from consult.access import requires
from consult.admin import forms, services
from consult.admin.views.common import Rendered, acting_admin, args_without, bp, filter_value
from consult.auth.models import User
from consult.extensions import db


@bp.route("/audit")
@requires("view_audit_log")
def audit() -> Rendered:
    form = forms.AuditFilterForm(formdata=request.args, actions=services.audit_actions())
    valid = form.validate()
    filters = services.AuditFilters(
        action=filter_value(form.action),
        actor_email=(form.actor_email.data or "").strip(),
        object_id=(form.object_id.data or "").strip(),
        since=filter_value(form.since, None),
        until=filter_value(form.until, None),
    )
    before_raw = request.args.get("before", "")
    before = int(before_raw) if before_raw.isdigit() else None
    page = services.audit_page(acting_admin(), filters, before=before)
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
        next_args=args_without("before"),
        detail=services.visible_detail,
    ), (200 if valid else 400)
