"""The review queues (a delegation's, HQ's, the forwarded inputs) and bulk forwarding."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import requires
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.scope import load_input, may_see_organisation, queue_kind
from consult.inputs.states import OPEN_FOR_REVIEW
from consult.review import services
from consult.review.queue import ALL, OPEN, QueueFilterError, queue_page
from consult.review.services import can_review
from consult.review.views.blueprint import bp, staff_status_label
from consult.review.visits import count_new, is_new, last_visit, mark_visited


@bp.route("/queue")
@requires("review")
def queue() -> str:
    """The caller's queue: their delegation's for moderators, HQ's for HQ analysts."""
    kind = queue_kind(current_user)
    return _render_queue(kind)


@bp.route("/forwarded")
@requires("review_hq_queue")
def forwarded() -> str:
    """HQ: every forwarded input, from delegations and from the HQ queue."""
    return _render_queue("forwarded")


def _render_queue(kind: str) -> str:
    try:
        page = queue_page(current_user, request.args, after=request.args.get("after"), kind=kind)
    except QueueFilterError:
        abort(404)
    if kind == "delegation":
        delegation = current_user.delegation
        title = _("Review queue: %(name)s", name=delegation.name if delegation else "")
    elif kind == "hq":
        title = _("HQ queue")
    else:
        title = _("Forwarded inputs")
    endpoint = "review.forwarded" if kind == "forwarded" else "review.queue"
    status_choices = [] if kind == "forwarded" else [(OPEN, _("Open (submitted or in review)"))]
    status_choices += [(ALL, _("All"))]
    status_choices += [(s, staff_status_label(s)) for s in page.scope.statuses]
    since = last_visit(current_user, kind)
    html = render_template(
        "review/queue.html",
        page=page,
        kind=kind,
        title=title,
        endpoint=endpoint,
        status_choices=status_choices,
        may_see_organisation=may_see_organisation,
        can_bulk=kind != "forwarded",
        open_statuses=OPEN_FOR_REVIEW,
        since=since,
        new_count=count_new(current_user, kind, since),
        is_new=lambda item: is_new(item, kind, since),
    )
    # The page just shown marked what was new: the next visit counts from now.
    mark_visited(current_user, kind)
    db.session.commit()
    return html


@bp.route("/bulk-forward", methods=["POST"])
@requires("review")
def bulk_forward() -> Response:
    """Forward the inputs ticked in the queue (each carries the version shown)."""
    items: list[Input] = []
    versions: dict[uuid.UUID, int] = {}
    for value in request.form.getlist("selected"):
        ident, _sep, version = value.partition(":")
        item = load_input(ident, current_user)
        if not can_review(current_user, item):
            abort(404)
        items.append(item)
        if version.isdigit():
            versions[item.id] = int(version)
    back = _queue_return_url()
    if not items:
        flash(_("Tick the inputs to forward first."), "error")
        return redirect(back)
    result = services.bulk_forward(current_user, items, versions)
    db.session.commit()
    if result.forwarded:
        flash(
            ngettext(
                "%(num)d input forwarded to HQ.",
                "%(num)d inputs forwarded to HQ.",
                len(result.forwarded),
            ),
            "success",
        )
    for item, reason in result.skipped:
        flash(
            _(
                "Not forwarded: \u201c%(title)s\u201d (%(reason)s).",
                title=item.effective_title,
                reason=reason,
            ),
            "error",
        )
    return redirect(back)


def _queue_return_url() -> str:
    back = request.form.get("return_to") or ""
    if back.startswith("/review/") and "//" not in back and "\\" not in back:
        return back
    return url_for("review.queue")
