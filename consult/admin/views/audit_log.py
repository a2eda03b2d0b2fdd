"""The audit log."""

from __future__ import annotations

from flask import render_template, request

from consult.access import requires
from consult.admin import forms, services
from consult.admin.views.common import Rendered, acting_admin, args_without, bp, filter_value
from consult.dates import reader_zone
from consult.extensions import db


@bp.route("/audit")
@requires("view_audit_log")
def audit() -> Rendered:
    form = forms.AuditFilterForm(formdata=request.args)
    valid = form.validate()
    filters = services.AuditFilters(
        who=(form.who.data or "").strip(),
        what=filter_value(form.what),
        object_id=(form.object_id.data or "").strip(),
        since=filter_value(form.since, None),
        until=filter_value(form.until, None),
    )
    before_raw = request.args.get("before", "")
    before = int(before_raw) if before_raw.isdigit() else None
    viewer = acting_admin()
    page = services.audit_page(viewer, filters, reader_zone(), before=before)
    db.session.commit()
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        lines=services.event_lines(page.items, viewer),
        next_args=args_without("before"),
        first_page=before is not None,
        page_size=services.AUDIT_PAGE_SIZE,
        zone=reader_zone(),
    ), (200 if valid else 400)
