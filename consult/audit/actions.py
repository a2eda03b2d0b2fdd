"""What each audit action means to a person, and the kinds the log is filtered by.

Actions are stored as ``object.verb`` (``input.forwarded``). The log reads
them as a phrase after the actor's name ("forwarded an input"), translated
where it is shown. A name missing here (a new action) still shows, as stored.
"""

from __future__ import annotations

from consult.i18n import N_

#: Stored action name -> the phrase that follows the actor's name.
ACTION_PHRASES: dict[str, str] = {
    "access.denied": N_("was refused a page"),
    "account.time_zone_changed": N_("changed their time zone"),
    "api_token.created": N_("created an API token"),
    "api_token.revoked": N_("revoked an API token"),
    "api_tokens.revoked_all": N_("lost all their API tokens"),
    "attachment.downloaded": N_("downloaded an attachment"),
    "attachment.removed": N_("removed an attachment"),
    "audit_log.viewed": N_("viewed the audit log"),
    "auth.login": N_("signed in"),
    "auth.login_failed": N_("failed to sign in"),
    "auth.logout": N_("signed out"),
    "auth.reauthenticated": N_("confirmed their password"),
    "auth.reauthentication_failed": N_("failed to confirm their password"),
    "consultation.created": N_("created a consultation"),
    "consultation.updated": N_("changed a consultation"),
    "country.coverage_changed": N_("changed which delegation covers a country"),
    "delegation.created": N_("created a delegation"),
    "delegation.renamed": N_("renamed a delegation"),
    "digest.downloaded": N_("downloaded a digest"),
    "input.claimed": N_("took an input to review"),
    "input.corrected": N_("corrected an input"),
    "input.declined": N_("declined an input"),
    "input.draft_created": N_("started a draft input"),
    "input.draft_deleted": N_("deleted a draft input"),
    "input.feedback_recorded": N_("recorded feedback on an input"),
    "input.findings_dismissed": N_("dismissed identifier findings in an input"),
    "input.forwarded": N_("forwarded an input"),
    "input.merged": N_("merged an input into another"),
    "input.original_viewed": N_("viewed the sealed original of an input"),
    "input.redacted": N_("redacted an input"),
    "input.released": N_("gave an input back to the queue"),
    "input.resubmitted": N_("resubmitted an input"),
    "input.returned": N_("returned an input with a question"),
    "input.submitted": N_("submitted an input"),
    "input.taken_over": N_("took over an input from another reviewer"),
    "input.viewed": N_("viewed an input"),
    "input.withdrawn": N_("withdrew an input"),
    "invitation.accepted": N_("accepted an invitation"),
    "invitation.sent": N_("sent an invitation"),
    "job.downloaded": N_("downloaded a prepared file"),
    "job.started": N_("started preparing a file"),
    "message.posted": N_("wrote a message about an input"),
    "message_attachment.downloaded": N_("downloaded a message's attachment"),
    "notification.preference_changed": N_("changed their notifications"),
    "organisation.created": N_("created an organisation"),
    "organisation.erased": N_("erased an organisation"),
    "organisation.erasure_cancelled": N_("cancelled an organisation's erasure"),
    "organisation.erasure_requested": N_("asked for an organisation's erasure"),
    "organisation.exported": N_("exported an organisation's data"),
    "organisation.unverified": N_("withdrew an organisation's verification"),
    "organisation.updated": N_("changed an organisation"),
    "organisation.verified": N_("verified an organisation"),
    "outbox.retried": N_("retried an email"),
    "password.changed": N_("changed their password"),
    "password.reset": N_("reset their password"),
    "password.reset_requested": N_("asked for a password reset"),
    "recovery_code.used": N_("signed in with a recovery code"),
    "recovery_codes.renewed": N_("renewed their recovery codes"),
    "reference.added": N_("added reference data"),
    "reference.renamed": N_("renamed reference data"),
    "release.published": N_("published a release"),
    "retention.purged": N_("deleted data past its retention"),
    "thread.viewed": N_("read the messages about an input"),
    "two_factor.disabled": N_("turned off two-factor login"),
    "two_factor.enabled": N_("turned on two-factor login"),
    "two_factor.reset": N_("reset someone's two-factor login"),
    "user.created": N_("created an account"),
    "user.deactivated": N_("deactivated an account"),
    "user.reactivated": N_("reactivated an account"),
    "user.role_changed": N_("changed an account's role"),
}


def _with_objects(*objects: str) -> frozenset[str]:
    """The actions on these objects (the part before the dot)."""
    return frozenset(a for a in ACTION_PHRASES if a.split(".")[0] in objects)


#: The kinds the log is filtered by ("what"): slug -> (label, the actions of that kind).
ACTION_KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "sign-in": (
        N_("Signing in and account security"),
        _with_objects(
            "auth",
            "password",
            "two_factor",
            "recovery_code",
            "recovery_codes",
            "api_token",
            "api_tokens",
            "access",
        ),
    ),
    "submissions": (
        N_("Submitting inputs"),
        frozenset(
            {
                "input.draft_created",
                "input.draft_deleted",
                "input.submitted",
                "input.resubmitted",
                "input.withdrawn",
                "attachment.removed",
                "message.posted",
            }
        ),
    ),
    "reviews": (
        N_("Reviewing and deciding"),
        frozenset(
            {
                "input.claimed",
                "input.released",
                "input.taken_over",
                "input.corrected",
                "input.redacted",
                "input.findings_dismissed",
                "input.forwarded",
                "input.returned",
                "input.declined",
                "input.merged",
                "input.feedback_recorded",
            }
        ),
    ),
    "reading": (
        N_("Reading and downloading"),
        frozenset(
            {
                "input.viewed",
                "input.original_viewed",
                "thread.viewed",
                "attachment.downloaded",
                "message_attachment.downloaded",
                "digest.downloaded",
                "job.started",
                "job.downloaded",
                "organisation.exported",
                "audit_log.viewed",
            }
        ),
    ),
    "administration": (
        N_("Accounts, organisations and settings"),
        _with_objects(
            "user",
            "invitation",
            "organisation",
            "consultation",
            "delegation",
            "country",
            "reference",
            "release",
            "account",
            "notification",
            "outbox",
            "retention",
        )
        - {"organisation.exported"},
    ),
}


def action_phrase(action: str) -> str:
    """The untranslated phrase for ``action`` (the caller translates), else the stored name."""
    return ACTION_PHRASES.get(action, action)


def actions_of_kind(kind: str) -> frozenset[str]:
    """The actions a "what" filter value stands for: a kind, or one stored action name."""
    if kind in ACTION_KINDS:
        return ACTION_KINDS[kind][1]
    return frozenset({kind})
