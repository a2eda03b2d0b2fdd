"""The page of one of the organisation's inputs, with the timeline the CSO may see."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from consult.access import requires
from consult.extensions import db
from consult.i18n import label
from consult.inputs.events import EventKind
from consult.inputs.models import Input
from consult.inputs.scope import load_input
from consult.inputs.states import ATTRIBUTION_EXPLANATIONS, ATTRIBUTION_LABELS, Attribution
from consult.notifications.services import read_news_about
from consult.reference.data import INPUT_LANGUAGES
from consult.submissions import services
from consult.submissions.views.blueprint import bp

#: How the timeline names each event for the CSO (no staff names).
EVENT_LABELS = {
    EventKind.CREATED: _l("Created"),
    EventKind.SUBMITTED: _l("Submitted"),
    EventKind.RESUBMITTED: _l("Resubmitted after revision"),
    EventKind.WITHDRAWN: _l("Withdrawn by your organisation"),
    EventKind.CLAIMED: _l("A moderator started reviewing it"),
    EventKind.RELEASED: _l("Back in the review queue"),
    EventKind.TAKEN_OVER: _l("Another moderator continued the review"),
    EventKind.CORRECTED: _l("Details corrected during review"),
    EventKind.REDACTED: _l("Passages redacted to protect people"),
    EventKind.MERGED: _l("Combined with a similar input"),
    EventKind.FORWARDED: _l("Forwarded to EU headquarters"),
    EventKind.RETURNED: _l("Returned to you with a question"),
    EventKind.DECLINED: _l("Declined"),
    EventKind.USED: _l("Used by HQ"),
    EventKind.FILE_REMOVED: _l("An attached file was removed"),
}

MESSAGE_LABELS = {
    EventKind.RETURNED: _l("The moderator asks"),
    EventKind.DECLINED: _l("Reason"),
    EventKind.USED: _l("How HQ used it"),
}


def _visible_events(item: Input) -> list:
    return [e for e in item.events if e.is_visible_to_cso]


@bp.route("/inputs/<input_id>")
@requires("view_own_inputs")
def input_detail(input_id: str) -> str:
    item = load_input(input_id, current_user)
    read_news_about(current_user, item)
    db.session.commit()
    return render_template(
        "submissions/input.html",
        item=item,
        events=_visible_events(item),
        event_labels=EVENT_LABELS,
        message_labels=MESSAGE_LABELS,
        routing=services.routing_sentence(item) if item.routed_to else None,
        can_withdraw=services.can_withdraw(item),
        language=label(dict(INPUT_LANGUAGES).get(item.language, item.language)),
        attribution_label=ATTRIBUTION_LABELS.get(Attribution(item.attribution), item.attribution),
        attribution_explanation=ATTRIBUTION_EXPLANATIONS.get(Attribution(item.attribution), ""),
    )
