"""What a CSO member does with an input: draft, submit, withdraw, revise and resubmit.

Every function takes the acting user and explicit objects, enforces the
rules, records the timeline event and the audit row, flushes and leaves the
commit to the caller.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.access import may
from consult.audit.services import record
from consult.extensions import db
from consult.reference.data import INPUT_LANGUAGES
from consult.reference.models import Addressee, Country, InputType, Level, Priority, Theme
from consult.review.models import EventKind, ReviewEvent
from consult.submissions.models import (
    BODY_MAX,
    RECOMMENDATION_MAX,
    TITLE_MAX,
    Attachment,
    Consultation,
    Input,
    InputRevision,
    Recommendation,
)
from consult.submissions.states import Attribution, RoutedTo, Status
from consult.timeutil import utcnow

LANGUAGE_CODES = frozenset(code for code, _name in INPUT_LANGUAGES)
#: Statuses whose files the organisation may still take off: nobody at the EU
#: has the input yet (draft), or a moderator gave it back to be revised.
FILES_REMOVABLE = frozenset({Status.DRAFT, Status.RETURNED})


class SubmissionError(ValueError):
    """A draft or submission that cannot be accepted.

    ``fields`` maps an :class:`InputData` field name to its messages; a message
    about the whole input is under ``"__all__"``.
    """

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


@dataclass
class InputData:
    """Everything a CSO member types into the input form (or sends through the API)."""

    consultation: Consultation
    priority_slug: str | None = None
    country_codes: list[str] = field(default_factory=list)
    level_slug: str | None = None
    type_slug: str | None = None
    title: str = ""
    body: str = ""
    recommendations: list[tuple[str, str]] = field(default_factory=list)
    theme_slugs: list[str] = field(default_factory=list)
    language: str = "en"
    attribution: str = Attribution.NON_ATTRIBUTABLE
    is_hq_direct: bool = False

    def cleaned(self) -> InputData:
        """The same data with blank recommendation rows and repeated countries dropped."""
        countries: list[str] = []
        for code in self.country_codes:
            code = (code or "").strip().upper()
            if code and code not in countries:
                countries.append(code)
        recommendations = [
            ((addressee or "").strip(), (text or "").strip())
            for addressee, text in self.recommendations
            if (text or "").strip()
        ]
        return InputData(
            consultation=self.consultation,
            priority_slug=(self.priority_slug or "").strip() or None,
            country_codes=countries,
            level_slug=(self.level_slug or "").strip() or None,
            type_slug=(self.type_slug or "").strip() or None,
            title=(self.title or "").strip(),
            body=(self.body or "").strip(),
            recommendations=recommendations,
            theme_slugs=list(dict.fromkeys(s for s in self.theme_slugs if s)),
            language=(self.language or "en").strip() or "en",
            attribution=self.attribution or Attribution.NON_ATTRIBUTABLE,
            is_hq_direct=bool(self.is_hq_direct),
        )


def data_from_input(item: Input) -> InputData:
    """The form data of a saved input (to resume a draft or revise a returned input)."""
    return InputData(
        consultation=item.consultation,
        priority_slug=item.priority_slug,
        country_codes=item.country_codes,
        level_slug=item.level_slug,
        type_slug=item.type_slug,
        title=item.title,
        body=item.body,
        recommendations=[(r.addressee_slug, r.text) for r in item.recommendations],
        theme_slugs=[t.slug for t in item.themes],
        language=item.language,
        attribution=item.attribution,
        is_hq_direct=item.is_hq_direct,
    )


# --------------------------------------------------------------------------- validation


def _known(model: type, key: str | None) -> bool:
    return key is not None and db.session.get(model, key) is not None


def validate(data: InputData, *, complete: bool) -> dict[str, list[str]]:
    """Problems with ``data`` by field; ``complete`` adds what a submission needs."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if len(data.title) > TITLE_MAX:
        add("title", _("Use at most %(n)d characters.") % {"n": TITLE_MAX})
    if len(data.body) > BODY_MAX:
        add("body", _("Use at most %(n)d characters.") % {"n": BODY_MAX})
    if data.priority_slug and not _known(Priority, data.priority_slug):
        add("priority_slug", _("Choose one of the priorities listed."))
    if data.level_slug and not _known(Level, data.level_slug):
        add("level_slug", _("Choose one of the levels listed."))
    if data.type_slug and not _known(InputType, data.type_slug):
        add("type_slug", _("Choose one of the input types listed."))
    scope = set(data.consultation.country_codes)
    outside = [code for code in data.country_codes if code not in scope]
    if outside:
        add(
            "country_codes",
            _("This consultation does not cover: %(codes)s.") % {"codes": ", ".join(outside)},
        )
    unknown_themes = [s for s in data.theme_slugs if not _known(Theme, s)]
    if unknown_themes:
        add("theme_slugs", _("Choose themes from the list."))
    if data.language not in LANGUAGE_CODES:
        add("language", _("Choose a language from the list."))
    if data.attribution not in {a.value for a in Attribution}:
        add("attribution", _("Choose one of the three attribution choices."))
    for position, (addressee, text) in enumerate(data.recommendations, start=1):
        if len(text) > RECOMMENDATION_MAX:
            add(
                "recommendations",
                _("Recommendation %(pos)d: use at most %(n)d characters.")
                % {"pos": position, "n": RECOMMENDATION_MAX},
            )
        if not addressee and complete:
            add(
                "recommendations",
                _("Recommendation %(pos)d: say whom it is addressed to.") % {"pos": position},
            )
        elif addressee and not _known(Addressee, addressee):
            add(
                "recommendations",
                _("Recommendation %(pos)d: choose an addressee from the list.") % {"pos": position},
            )
    if complete:
        if not data.priority_slug:
            add("priority_slug", _("Choose the priority your input is about."))
        if not data.country_codes:
            add("country_codes", _("Choose at least one country."))
        if not data.level_slug:
            add("level_slug", _("Choose a level."))
        if not data.type_slug:
            add("type_slug", _("Choose the type of input."))
        if not data.title:
            add("title", _("Give your input a title."))
        if not data.body:
            add("body", _("Write your input."))
        if not data.recommendations:
            add("recommendations", _("Write at least one recommendation."))
    return errors


# --------------------------------------------------------------------------- rules


def _require_cso(user: Any) -> None:
    if not may(user, "submit_input") or user.organisation_id is None:
        raise SubmissionError(_("Only members of a civil society organisation may do this."))


def _require_own(user: Any, item: Input) -> None:
    if item.organisation_id != user.organisation_id:
        raise SubmissionError(_("This input belongs to another organisation."))


def _require_open(consultation: Consultation) -> None:
    if not consultation.is_open:
        raise SubmissionError(
            _(
                "This consultation closed on %(date)s and accepts no new inputs. "
                "Your drafts stay readable."
            )
            % {"date": consultation.closes_at.strftime("%d %b %Y")}
        )


def unverified_message() -> str:
    """Why an unverified organisation cannot submit, and who to ask."""
    contact = current_app.config.get("ADMIN_CONTACT_EMAIL") or ""
    message = _(
        "Your organisation is not verified yet, so you can save drafts but not submit them. "
        "An administrator of this platform verifies organisations."
    )
    if contact:
        message += " " + _("Write to %(email)s to ask for verification.") % {"email": contact}
    return message


def _require_verified(user: Any) -> None:
    organisation = user.organisation
    if organisation is None or not organisation.is_verified:
        raise SubmissionError(unverified_message())


def _apply(item: Input, data: InputData) -> None:
    item.consultation_id = data.consultation.id
    item.consultation = data.consultation
    item.priority_slug = data.priority_slug
    item.level_slug = data.level_slug
    item.type_slug = data.type_slug
    item.title = data.title
    item.body = data.body
    item.language = data.language
    item.attribution = data.attribution
    item.is_hq_direct = data.is_hq_direct
    item.set_countries(data.country_codes)
    item.themes = [db.session.get(Theme, slug) for slug in data.theme_slugs]
    item.recommendations = [
        Recommendation(position=pos, addressee_slug=addressee or "eu", text=text)
        for pos, (addressee, text) in enumerate(data.recommendations)
        if addressee or text
    ]


def _event(item: Input, user: Any, kind: EventKind, **data: Any) -> ReviewEvent:
    event = ReviewEvent(
        input=item,
        actor_id=user.id,
        kind=kind.value,
        is_visible_to_cso=True,
        data=data or None,
    )
    db.session.add(event)
    return event


def _by_key(key: str) -> Input | None:
    return db.session.scalar(select(Input).where(Input.idempotency_key == key))


def _fail_if_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise SubmissionError(_("Some answers need your attention."), errors)


# --------------------------------------------------------------------------- operations


def _draft_to_work_on(
    user: Any,
    item: Input | None,
    idempotency_key: str | None,
    refusal: str,
    *,
    retry_wins: bool = False,
) -> tuple[Input | None, Input | None]:
    """Resolve a retry and the draft a save or submit works on.

    Returns ``(finished, draft)``: ``finished`` is the input an earlier call with
    the same key already took past the draft stage (the retry returns it as it
    is); otherwise ``draft`` is the draft to update, or None for a new input.
    Raises SubmissionError with ``refusal`` when ``item`` is no longer a draft.
    With ``retry_wins`` the key is looked up even when ``item`` is given: a
    retried submit of a draft answers with the input the first try submitted.
    """
    if idempotency_key and (item is None or retry_wins):
        existing = _by_key(idempotency_key)
        if existing is not None:
            _require_own(user, existing)
            if existing.status != Status.DRAFT:
                return existing, None
            item = existing
    if item is not None:
        _require_own(user, item)
        if item.status != Status.DRAFT:
            raise SubmissionError(refusal)
    return None, item


def save_draft(
    user: Any, data: InputData, item: Input | None = None, *, idempotency_key: str | None = None
) -> Input:
    """Create or update a draft of the user's organisation. Drafts need no field filled."""
    _require_cso(user)
    data = data.cleaned()
    finished, item = _draft_to_work_on(
        user, item, idempotency_key, _("Only a draft can be saved as a draft.")
    )
    if finished is not None:
        return finished
    _require_open(data.consultation)
    _fail_if_errors(validate(data, complete=False))
    created = item is None
    if item is None:
        item = Input(
            organisation_id=user.organisation_id,
            author_id=user.id,
            status=Status.DRAFT,
            idempotency_key=idempotency_key,
        )
        db.session.add(item)
    _apply(item, data)
    db.session.flush()
    if created:
        record("input_draft_created", user, item)
    return item


def route_input(item: Input) -> None:
    """Send the input to the delegation of its main country, or to HQ.

    HQ receives it when the submitter asked for HQ-direct routing or when no
    delegation covers the main (first) country.
    """
    main = item.main_country
    if main is None and item.country_links:
        main = db.session.get(Country, item.country_links[0].country_code)
    if item.is_hq_direct or main is None or main.delegation_slug is None:
        item.routed_to = RoutedTo.HQ
        item.delegation_slug = None
    else:
        item.routed_to = RoutedTo.DELEGATION
        item.delegation_slug = main.delegation_slug


def _keep_ip(item: Input) -> None:
    if current_app.config.get("KEEP_CSO_IP") and has_request_context():
        item.submitter_ip = (request.remote_addr or "")[:45] or None
    else:
        item.submitter_ip = None


def submit_input(
    user: Any, data: InputData, item: Input | None = None, *, idempotency_key: str | None = None
) -> Input:
    """Submit a new input (or a draft): validate, route, record. Idempotent per key.

    A second call with the same ``idempotency_key`` returns the input the
    first call created instead of creating another one.
    """
    _require_cso(user)
    finished, item = _draft_to_work_on(
        user, item, idempotency_key, _("This input was already submitted."), retry_wins=True
    )
    if finished is not None:
        return finished
    data = data.cleaned()
    _require_open(data.consultation)
    _require_verified(user)
    _fail_if_errors(validate(data, complete=True))
    created = item is None
    savepoint = db.session.begin_nested()
    try:
        if item is None:
            item = Input(organisation_id=user.organisation_id, author_id=user.id)
            db.session.add(item)
        if idempotency_key:
            item.idempotency_key = idempotency_key
        _apply(item, data)
        item.status = Status.SUBMITTED
        item.submitted_at = utcnow()
        item.revision = 1
        _keep_ip(item)
        db.session.flush()
        route_input(item)
        _event(item, user, EventKind.SUBMITTED, routed_to=item.routed_to)
        db.session.flush()
        savepoint.commit()
    except IntegrityError:
        # Another request with the same one-time token won the race.
        savepoint.rollback()
        existing = _by_key(idempotency_key) if idempotency_key else None
        if existing is None:
            raise
        return existing
    record(
        "input_submitted",
        user,
        item,
        routed_to=item.routed_to,
        delegation=item.delegation_slug,
        from_draft=not created,
    )
    return item


def withdraw(user: Any, item: Input) -> None:
    """Take back a submitted input, as long as no moderator has claimed it."""
    _require_cso(user)
    _require_own(user, item)
    if item.status != Status.SUBMITTED or item.claimed_by_id is not None:
        raise SubmissionError(
            _("A moderator is already reviewing this input, so it can no longer be withdrawn.")
            if item.status in (Status.SUBMITTED, Status.IN_REVIEW)
            else _("Only a submitted input can be withdrawn.")
        )
    item.status = Status.WITHDRAWN
    _event(item, user, EventKind.WITHDRAWN)
    db.session.flush()
    record("input_withdrawn", user, item)


def can_withdraw(item: Input) -> bool:
    return item.status == Status.SUBMITTED and item.claimed_by_id is None


def snapshot(item: Input) -> dict[str, Any]:
    """The input as it stands, as plain JSON (kept when a revision replaces it)."""
    return {
        "title": item.title,
        "body": item.body,
        "reviewed_title": item.reviewed_title,
        "reviewed_body": item.reviewed_body,
        "priority": item.priority_slug,
        "countries": item.country_codes,
        "level": item.level_slug,
        "type": item.type_slug,
        "themes": [t.slug for t in item.themes],
        "language": item.language,
        "attribution": item.attribution,
        "is_hq_direct": item.is_hq_direct,
        "recommendations": [
            {"addressee": r.addressee_slug, "text": r.text, "reviewed_text": r.reviewed_text}
            for r in item.recommendations
        ],
        "attachments": [{"id": str(a.id), "filename": a.filename} for a in item.attachments],
        "routed_to": item.routed_to,
        "delegation": item.delegation_slug,
        "submitted_at": item.submitted_at.isoformat() if item.submitted_at else None,
        "revision": item.revision,
    }


def returned_version(item: Input) -> InputRevision:
    """The kept snapshot of the version a moderator returned, made now if not yet.

    Usually made at resubmission; removing a file from the returned input makes
    it earlier, so that the snapshot shows the version the moderator saw.
    """
    number = max(item.revision, 1)
    for revision in item.revisions:
        if revision.number == number:
            return revision
    revision = InputRevision(number=number, snapshot=snapshot(item))
    item.revisions.append(revision)
    return revision


def resubmit(user: Any, item: Input, data: InputData) -> Input:
    """Send a returned input again, revised; the returned version is kept as a revision."""
    _require_cso(user)
    _require_own(user, item)
    if item.status != Status.RETURNED:
        raise SubmissionError(_("Only an input returned to you can be revised and resubmitted."))
    _require_verified(user)
    data = data.cleaned()
    data.consultation = item.consultation
    _fail_if_errors(validate(data, complete=True))
    returned_version(item)
    _apply(item, data)
    # The reviewed text belonged to the earlier version: the new one is reviewed afresh.
    item.reviewed_title = None
    item.reviewed_body = None
    item.moderator_summary = None
    item.claimed_by_id = None
    item.claimed_at = None
    item.decided_at = None
    item.status = Status.SUBMITTED
    item.revision = max(item.revision, 1) + 1
    item.submitted_at = utcnow()
    _keep_ip(item)
    db.session.flush()
    route_input(item)
    _event(item, user, EventKind.RESUBMITTED, revision=item.revision, routed_to=item.routed_to)
    db.session.flush()
    record("input_resubmitted", user, item, revision=item.revision, routed_to=item.routed_to)
    return item


def delete_draft(user: Any, item: Input) -> None:
    """Delete a draft of the user's organisation (and its attachments)."""
    from consult.submissions.attachments import delete_attachment

    _require_cso(user)
    _require_own(user, item)
    if item.status != Status.DRAFT:
        raise SubmissionError(_("Only a draft can be deleted."))
    for attachment in list(item.attachments):
        delete_attachment(attachment)
    record("input_draft_deleted", user, item)
    db.session.delete(item)
    db.session.flush()


# --------------------------------------------------------------------------- removing files


class AttachmentOutOfReach(LookupError):
    """No attachment the caller may remove here: answer 404, as for anything out of scope."""


def files_removable(item: Input | None) -> bool:
    """Whether the files of ``item`` (None: a form not saved yet) may still be taken off."""
    return item is None or item.status in FILES_REMOVABLE


def removal_refusal(item: Input) -> str:
    """Why the files of ``item`` stay attached, in words for the person who asked."""
    message = _(
        "Files can be removed only from a draft or from an input returned to you for "
        "revision. This input has already been sent, so its files stay attached."
    )
    if can_withdraw(item):
        message += " " + _(
            "If a file puts someone at risk, withdraw the input: that is possible until a "
            "moderator starts reviewing it."
        )
    return message


def _reachable_attachment(
    user: Any, attachment_id: Any, *, item: Input | None, upload_key: str | None
) -> Attachment:
    """The attachment, if it is on ``item`` or pending under ``upload_key``, of the user's org."""
    try:
        key = attachment_id if isinstance(attachment_id, uuid.UUID) else uuid.UUID(attachment_id)
    except (TypeError, ValueError, AttributeError):
        raise AttachmentOutOfReach from None
    attachment = db.session.get(Attachment, key)
    if (
        attachment is None
        or user.organisation_id is None
        or attachment.organisation_id != user.organisation_id
    ):
        raise AttachmentOutOfReach
    if attachment.input_id is None:
        reachable = bool(upload_key) and attachment.upload_key == upload_key
    else:
        reachable = (
            item is not None
            and attachment.input_id == item.id
            and item.organisation_id == user.organisation_id
        )
    if not reachable:
        raise AttachmentOutOfReach
    return attachment


def _keep_name_only(item: Input, attachment: Attachment) -> None:
    """Earlier versions of a returned input keep the removed file's name, not the file."""
    returned_version(item)
    wanted = str(attachment.id)
    for revision in item.revisions:
        files = list((revision.snapshot or {}).get("attachments") or [])
        kept = [
            {"filename": attachment.filename, "removed": True}
            if entry == wanted or (isinstance(entry, dict) and entry.get("id") == wanted)
            else entry
            for entry in files
        ]
        if kept != files:
            # A new dict: the JSON column only notices a replaced value.
            revision.snapshot = {**revision.snapshot, "attachments": kept}


def remove_attachment(
    user: Any, attachment_id: Any, *, item: Input | None = None, upload_key: str | None = None
) -> str:
    """Take one file off a draft, a returned input, or the form it was uploaded with.

    Within reach is an attachment of the user's organisation that is on
    ``item`` or pending under ``upload_key`` (the form's key); anything else
    raises :class:`AttachmentOutOfReach` (answer 404). A file of an input that
    is no longer a draft or returned raises SubmissionError. The row goes at
    once, the stored file when the transaction commits; a returned input's
    kept earlier version keeps the file's name only. The audit row carries no
    name and no content. Returns the file's name; the caller commits.
    """
    from consult.submissions.attachments import delete_attachment

    _require_cso(user)
    attachment = _reachable_attachment(user, attachment_id, item=item, upload_key=upload_key)
    owner = attachment.input
    if owner is not None:
        if not files_removable(owner):
            raise SubmissionError(removal_refusal(owner))
        if owner.status == Status.RETURNED:
            _keep_name_only(owner, attachment)
        # Changes the input's version: a submit racing this removal fails one of them.
        owner.updated_at = utcnow()
        # On the timeline, without the name: a file name can itself identify someone.
        _event(owner, user, EventKind.FILE_REMOVED)
    name = attachment.filename
    record(
        "attachment_removed",
        user,
        attachment,
        input_id=str(owner.id) if owner is not None else None,
        input_status=owner.status if owner is not None else "pending",
    )
    delete_attachment(attachment)
    if owner is not None:
        db.session.expire(owner, ["attachments"])
    return name


def routing_sentence(item: Input) -> str:
    """Where the input went, in plain words, without naming anyone."""
    if item.routed_to == RoutedTo.HQ:
        if item.is_hq_direct:
            return _(
                "Sent directly to EU headquarters (EEAS and DG NEAR), as you asked: "
                "no EU Delegation sees it or your organisation's name."
            )
        country = item.main_country.name if item.main_country else ""
        return _(
            "Sent to EU headquarters (EEAS and DG NEAR), because no EU Delegation "
            "covers %(country)s."
        ) % {"country": country}
    if item.routed_to == RoutedTo.DELEGATION and item.delegation is not None:
        return _("Sent to the %(delegation)s, which covers %(country)s.") % {
            "delegation": item.delegation.name,
            "country": item.main_country.name if item.main_country else "",
        }
    return _("Not sent yet.")
