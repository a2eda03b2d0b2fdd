"""Imports every model so that metadata (and Alembic) sees all tables."""

from consult.api.models import ApiToken
from consult.audit.models import AuditEvent
from consult.auth.models import AccountToken, RecoveryCode, User
from consult.conversations.models import Message, MessageAttachment
from consult.digest.counters import DigestCount
from consult.digest.releases.models import Release, ReleaseInput
from consult.filestore.models import StoredFile
from consult.identifiers.known import RegistryVersion
from consult.inputs.consultation_texts import ConsultationText
from consult.inputs.events import ReviewEvent
from consult.inputs.models import (
    Attachment,
    Consultation,
    GuidingQuestion,
    Input,
    InputCountry,
    InputRevision,
    Recommendation,
)
from consult.jobs.models import Job
from consult.maintenance.models import PurgedInputCount
from consult.notifications.models import Notification, NotificationPreference, OutboxMail
from consult.organisations.models import Organisation
from consult.reference.models import (
    Addressee,
    Country,
    Delegation,
    InputType,
    Level,
    Priority,
    Region,
    Theme,
)
from consult.review.findings import FindingDismissal
from consult.review.queue_counts import QueueCount
from consult.review.visits import QueueVisit

__all__ = [
    "AccountToken",
    "Addressee",
    "ApiToken",
    "Attachment",
    "AuditEvent",
    "Consultation",
    "ConsultationText",
    "Country",
    "Delegation",
    "DigestCount",
    "FindingDismissal",
    "GuidingQuestion",
    "Input",
    "InputCountry",
    "InputRevision",
    "InputType",
    "Job",
    "Level",
    "Message",
    "MessageAttachment",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OutboxMail",
    "Priority",
    "QueueCount",
    "PurgedInputCount",
    "QueueVisit",
    "RegistryVersion",
    "Recommendation",
    "RecoveryCode",
    "Region",
    "Release",
    "ReleaseInput",
    "ReviewEvent",
    "StoredFile",
    "Theme",
    "User",
]
