"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

Kept next to the views it describes; tests validate real responses against
these schemas and schemathesis fuzzes every operation listed here. An
operation is listed only when its view is registered (``operationId`` is the
view's endpoint name), so the document never promises a route that is not there.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from flask import current_app

from consult.identifiers import KINDS as IDENTIFIER_KINDS
from consult.inputs.models import (
    BODY_MAX,
    MESSAGE_MAX,
    RECOMMENDATION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
)
from consult.inputs.states import Attribution, RoutedTo, Status
from consult.review.queue import KINDS as QUEUE_KINDS
from consult.submissions.attachments import EXTENSIONS as FILE_KINDS

JSON = "application/json"

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
SLUG_LIST = {"type": "array", "items": STRING}
UUID = {"type": "string", "format": "uuid"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Any], *, required: list[str] | None = None) -> dict[str, Any]:
    """A closed object: every listed property required unless ``required`` says otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


SLUG_NAME = obj({"slug": STRING, "name": STRING})
SLUG_NAME_COUNTRIES = obj({"slug": STRING, "name": STRING, "countries": SLUG_LIST})

STATUSES = [s.value for s in Status]

ERROR_DESCRIPTIONS = {
    400: "The request is not valid; `fields` names each wrong value.",
    401: "No token, or an unknown, expired or revoked one.",
    404: "No such object, or not one the caller may see.",
    405: "The path does not accept this method.",
    409: "Someone changed the input since the caller read it (`current_version`), or, "
    "on forwarding, possible identifiers are neither redacted nor dismissed "
    "(`findings_pending`, with `findings`).",
    413: "The upload is larger than allowed.",
    415: "The body is not of an accepted media type.",
    410: "The job's file was deleted after its time (`JOB_FILE_HOURS`); start the job again.",
    422: "The request is well formed but cannot be done in the object's current state.",
    429: "Too many requests with this token; wait and retry.",
}


def errors(*statuses: int) -> dict[str, Any]:
    """Error responses of an operation: the given ones plus those any call may get.

    Any call may get 400 (a value holding a NUL character is refused before the
    operation runs), 401 and 429.
    """
    wanted = sorted({400, 401, 429, *statuses})
    return {
        str(status): {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {JSON: {"schema": ref("Error")}},
        }
        for status in wanted
    }


def ok(schema_name: str, description: str, status: int = 200) -> dict[str, Any]:
    content = {JSON: {"schema": ref(schema_name)}}
    return {str(status): {"description": description, "content": content}}


def json_body(schema_name: str) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": ref(schema_name)}}}


INPUT_ID = {
    "name": "input_id",
    "in": "path",
    "required": True,
    "schema": UUID,
    "description": "The input's id.",
}
ATTACHMENT_ID = {
    "name": "attachment_id",
    "in": "path",
    "required": True,
    "schema": UUID,
    "description": "The attachment's id (see the input's `attachments`).",
}
LIMIT = {
    "name": "limit",
    "in": "query",
    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
}
AFTER = {
    "name": "after",
    "in": "query",
    "schema": STRING,
    "description": "The `next` value of the previous page.",
}


#: The kinds of file an input or a message may carry (see consult.submissions.attachments).
STORED_FILES = {
    kind.mimetype: {"schema": {"type": "string", "format": "binary"}} for kind in FILE_KINDS
}


def file_download(operation_id: str, summary: str) -> dict[str, Any]:
    """The download of a stored file (an input's or a message's), 404 outside the scope."""
    return {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [INPUT_ID, ATTACHMENT_ID],
        "responses": {
            "200": {"description": "The file, as a download", "content": STORED_FILES},
            **errors(404),
        },
    }


#: The files a digest (or a job making one) may answer with.
DIGEST_FILES = {
    "text/csv": {"schema": {"type": "string"}},
    "application/json": {"schema": {}},
    "text/html": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
        "schema": {"type": "string", "format": "binary"}
    },
}


def query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema or STRING, "description": description}


SCHEMAS: dict[str, Any] = {
    "Error": obj(
        {
            "error": obj(
                {
                    "code": STRING,
                    "message": STRING,
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": STRING},
                    },
                    "current_version": {"type": "integer"},
                    "changes": SLUG_LIST,
                    "findings": {"type": "array", "items": ref("Finding")},
                },
                required=["code", "message", "fields"],
            )
        }
    ),
    "Organisation": obj({"id": UUID, "name": STRING}),
    "Release": obj(
        {
            "consultation": STRING,
            "number": {"type": "integer"},
            "period_start": STRING,
            "period_end": STRING,
            "published_at": DATETIME,
            "published_by": NULLABLE_STRING,
            "min_group_size": {"type": "integer"},
            "inputs": {"type": "integer"},
            "small_cells": {"type": "integer"},
            "audit_passes": {"type": "boolean"},
        }
    ),
    "ReleaseList": obj({"items": {"type": "array", "items": ref("Release")}}),
    "Job": obj(
        {
            "id": UUID,
            "kind": {"type": "string", "enum": ["digest.file", "release.publish"]},
            "title": STRING,
            "state": {"type": "string", "enum": ["queued", "running", "done", "failed", "expired"]},
            "created_at": DATETIME,
            "started_at": NULLABLE_DATETIME,
            "finished_at": NULLABLE_DATETIME,
            "progress": obj(
                {
                    "done": {"type": "integer"},
                    "total": {"type": ["integer", "null"]},
                    "percent": {"type": ["integer", "null"]},
                }
            ),
            "result": {
                "type": "object",
                "description": "digest.file: `count`; release.publish: `number`, `slug`, `count`.",
            },
            "summary": NULLABLE_STRING,
            "error": {
                "type": ["string", "null"],
                "description": "Why a failed job failed, in words a person can act on.",
            },
            "file": {
                "oneOf": [
                    {"type": "null"},
                    obj(
                        {
                            "name": STRING,
                            "type": STRING,
                            "size": {"type": ["integer", "null"]},
                            "expires_at": NULLABLE_DATETIME,
                            "url": STRING,
                        }
                    ),
                ]
            },
        }
    ),
    "ReleaseRequest": {
        "type": "object",
        "properties": {
            "consultation": STRING,
            "period": {
                "type": "string",
                "description": "YYYY-MM..YYYY-MM or YYYY-MM; default: every month that is over.",
            },
        },
        "required": ["consultation"],
    },
    "Me": obj(
        {
            "id": UUID,
            "email": STRING,
            "name": STRING,
            "role": {"enum": ["cso", "moderator", "hq", "admin"]},
            "organisation": {"oneOf": [{"type": "null"}, ref("Organisation")]},
            "delegation": NULLABLE_STRING,
        }
    ),
    "Reference": obj(
        {
            "priorities": {"type": "array", "items": SLUG_NAME},
            "regions": {"type": "array", "items": SLUG_NAME_COUNTRIES},
            "countries": {
                "type": "array",
                "items": obj(
                    {
                        "code": {"type": "string", "pattern": "^[A-Z]{2}$"},
                        "name": STRING,
                        "region": STRING,
                        "delegation": NULLABLE_STRING,
                    }
                ),
            },
            "delegations": {"type": "array", "items": SLUG_NAME_COUNTRIES},
            "input_types": {"type": "array", "items": SLUG_NAME},
            "themes": {"type": "array", "items": SLUG_NAME},
            "levels": {"type": "array", "items": SLUG_NAME},
            "addressees": {"type": "array", "items": SLUG_NAME},
            "attributions": {"type": "array", "items": SLUG_NAME},
            "languages": {"type": "array", "items": SLUG_NAME},
            "statuses": {"type": "array", "items": SLUG_NAME},
            "decline_reasons": {"type": "array", "items": SLUG_NAME},
        }
    ),
    "Consultation": obj(
        {
            "id": UUID,
            "slug": STRING,
            "title": STRING,
            "description": STRING,
            "language": {
                "type": "string",
                "description": "The interface language these texts were asked in "
                "(Accept-Language); untranslated parts are in English.",
            },
            "partly_english": {
                "type": "boolean",
                "description": "Some of the texts are in English: not yet translated.",
            },
            "is_open": {"type": "boolean"},
            "opens_at": DATETIME,
            "closes_at": DATETIME,
            "countries": SLUG_LIST,
            "guiding_questions": {
                "type": "array",
                "items": obj({"priority": STRING, "text": STRING}),
            },
        }
    ),
    "ConsultationList": obj({"items": {"type": "array", "items": ref("Consultation")}}),
    "Attachment": obj(
        {
            "id": UUID,
            "filename": STRING,
            "content_type": STRING,
            "size": {"type": "integer"},
            "sha256": STRING,
            "created_at": DATETIME,
            "url": {"type": ["string", "null"], "description": "Where to download it."},
        }
    ),
    "TimelineEvent": obj(
        {
            "kind": STRING,
            "at": DATETIME,
            "message": NULLABLE_STRING,
            "visible_to_cso": {"type": "boolean"},
        }
    ),
}

_SUMMARY_PROPERTIES: dict[str, Any] = {
    "id": UUID,
    "consultation": STRING,
    "status": {"enum": STATUSES},
    "status_label": STRING,
    "version": {"type": "integer"},
    "revision": {"type": "integer"},
    "routed_to": {"enum": [RoutedTo.DELEGATION.value, RoutedTo.HQ.value, None]},
    "delegation": NULLABLE_STRING,
    "is_hq_direct": {"type": "boolean"},
    "attribution": {"enum": [a.value for a in Attribution]},
    "priority": NULLABLE_STRING,
    "countries": SLUG_LIST,
    "level": NULLABLE_STRING,
    "type": NULLABLE_STRING,
    "themes": SLUG_LIST,
    "language": STRING,
    "title": STRING,
    "organisation": {
        "oneOf": [{"type": "null"}, ref("Organisation")],
        "description": "Null where the caller may not know who sent it (HQ-direct inputs).",
    },
    "claimed_by": NULLABLE_STRING,
    "merged_into": {"type": ["string", "null"], "format": "uuid"},
    "created_at": DATETIME,
    "updated_at": DATETIME,
    "submitted_at": NULLABLE_DATETIME,
    "forwarded_at": NULLABLE_DATETIME,
    "decided_at": NULLABLE_DATETIME,
}
SCHEMAS["InputSummary"] = obj(_SUMMARY_PROPERTIES)
SCHEMAS["Input"] = obj(
    {
        **_SUMMARY_PROPERTIES,
        "body": STRING,
        "recommendations": {
            "type": "array",
            "items": obj({"addressee": STRING, "text": STRING}),
        },
        "moderator_summary": NULLABLE_STRING,
        "hq_feedback": NULLABLE_STRING,
        "hq_note": NULLABLE_STRING,
        "is_redacted": {"type": "boolean"},
        "original": {
            "oneOf": [{"type": "null"}, obj({"title": STRING, "body": STRING})],
            "description": "The sealed original of a redacted input (administrators only).",
        },
        "attachments": {"type": "array", "items": ref("Attachment")},
        "timeline": {"type": "array", "items": ref("TimelineEvent")},
    }
)
SCHEMAS["InputList"] = obj(
    {
        "items": {"type": "array", "items": ref("InputSummary")},
        "next": {"type": ["string", "null"], "description": "Pass as `after` for the next page."},
    }
)
SCHEMAS["Queue"] = obj(
    {
        "items": {"type": "array", "items": ref("InputSummary")},
        "next": {"type": ["string", "null"], "description": "Pass as `after` for the next page."},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
    }
)
SCHEMAS["InputCreate"] = {
    "type": "object",
    "description": (
        "The fields of the web form, by slug. Without `draft`, the input is validated, "
        'submitted and routed; with `"draft": true` it is saved as a draft.'
    ),
    "properties": {
        "consultation": {"type": "string", "description": "The consultation's slug or id."},
        "priority": STRING,
        "countries": {
            "type": "array",
            "items": STRING,
            "description": "ISO codes; the first is the main country, used for routing.",
        },
        "level": STRING,
        "type": STRING,
        "title": {"type": "string", "maxLength": TITLE_MAX},
        "body": {"type": "string", "maxLength": BODY_MAX},
        "recommendations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "addressee": STRING,
                    "text": {"type": "string", "maxLength": RECOMMENDATION_MAX},
                },
                "required": ["addressee", "text"],
            },
        },
        "themes": SLUG_LIST,
        "language": STRING,
        "attribution": {"enum": [a.value for a in Attribution]},
        "hq_direct": {"type": "boolean", "description": "Skip the delegation; go to HQ."},
        "draft": {"type": "boolean"},
    },
    "required": ["consultation"],
}
SCHEMAS["Claim"] = {
    "type": "object",
    "properties": {
        "version": {"type": "integer"},
        "take_over": {"type": "boolean", "description": "Take over a colleague's claim."},
    },
}
SCHEMAS["ClaimRelease"] = {"type": "object", "properties": {"version": {"type": "integer"}}}
SCHEMAS["Feedback"] = {
    "type": "object",
    "properties": {
        "note": {"type": "string", "maxLength": MESSAGE_MAX},
        "version": {"type": "integer"},
    },
    "required": ["note"],
}
SCHEMAS["Finding"] = obj(
    {
        "key": STRING,
        "field": STRING,
        "kind": {"enum": list(IDENTIFIER_KINDS)},
        "text": STRING,
        "start": {"type": "integer"},
        "end": {"type": "integer"},
        "dismissed": {"type": "boolean"},
    }
)
SCHEMAS["Findings"] = obj(
    {
        "version": {"type": "integer"},
        "needs_clearance": {"type": "boolean"},
        "pending": {"type": "integer"},
        "findings": {"type": "array", "items": ref("Finding")},
    }
)
SCHEMAS["FindingKeys"] = {
    "type": "object",
    "properties": {
        "findings": {"type": "array", "items": STRING, "minItems": 1},
        "version": {"type": "integer"},
    },
    "required": ["findings", "version"],
}
SCHEMAS["Decision"] = {
    "type": "object",
    "properties": {
        "action": {"enum": ["forward", "return", "decline"]},
        "message": {"type": "string", "maxLength": MESSAGE_MAX},
        "reason": {
            "type": "string",
            "description": "For a decline: a slug of `decline_reasons` (GET /reference).",
        },
        "version": {"type": "integer"},
    },
    "required": ["action", "version"],
}
SCHEMAS["ReviewUpdate"] = {
    "type": "object",
    "description": "Corrections and redactions, as on the web review page.",
    "properties": {
        "version": {"type": "integer"},
        "priority": STRING,
        "countries": SLUG_LIST,
        "type": STRING,
        "themes": SLUG_LIST,
        "moderator_summary": {"type": "string", "maxLength": SUMMARY_MAX},
        "reviewed_title": {"type": "string", "maxLength": TITLE_MAX},
        "reviewed_body": {"type": "string", "maxLength": BODY_MAX},
        "recommendation_texts": {
            "type": "array",
            "items": {"type": "string", "maxLength": RECOMMENDATION_MAX},
            "description": "The reviewed text of each recommendation, in order.",
        },
        "passages": {
            "type": "array",
            "items": STRING,
            "description": "Passages to replace by [redacted] wherever they occur.",
        },
    },
    "required": ["version"],
}

SCHEMAS["Message"] = obj(
    {
        "id": UUID,
        "from": {"enum": ["organisation", "reviewers"]},
        "author": STRING,
        "question": {"type": "boolean"},
        "body": STRING,
        "created_at": DATETIME,
        "identifiers": {
            "type": "array",
            "description": "Spans of `body` that may identify someone, marked for the reader "
            "(nothing is redacted in a private thread).",
            "items": obj(
                {
                    "start": {"type": "integer"},
                    "end": {"type": "integer"},
                    "kind": {"enum": list(IDENTIFIER_KINDS)},
                }
            ),
        },
        "attachments": {
            "type": "array",
            "items": obj(
                {
                    "id": UUID,
                    "filename": STRING,
                    "content_type": STRING,
                    "size": {"type": "integer"},
                    "url": STRING,
                }
            ),
        },
    }
)
SCHEMAS["MessageList"] = obj(
    {
        "items": {"type": "array", "items": ref("Message")},
        "can_write": {"type": "boolean"},
        "question_waiting": {"type": "boolean"},
    }
)
SCHEMAS["MessageCreate"] = {
    "type": "object",
    "properties": {
        "body": {"type": "string", "maxLength": MESSAGE_MAX},
        "question": {
            "type": "boolean",
            "description": "Reviewers: a question the organisation should answer (the input "
            "is not returned and keeps its place in the queue).",
        },
    },
    "required": ["body"],
}


PATHS: dict[str, Any] = {
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": {
                "200": {
                    "description": "The OpenAPI description",
                    "content": {JSON: {"schema": {"type": "object"}}},
                },
                **errors(),
            },
        }
    },
    "/me": {
        "get": {
            "operationId": "me",
            "summary": "The token's owner",
            "responses": {**ok("Me", "The caller"), **errors()},
        }
    },
    "/reference": {
        "get": {
            "operationId": "reference",
            "summary": "Reference data: the slugs every other call uses",
            "responses": {**ok("Reference", "Every list, by slug"), **errors()},
        }
    },
    "/consultations": {
        "get": {
            "operationId": "consultations",
            "summary": "Open and closed consultations",
            "responses": {**ok("ConsultationList", "Consultations, newest first"), **errors()},
        }
    },
    "/inputs": {
        "get": {
            "operationId": "list_inputs",
            "summary": "The inputs the caller may see",
            "description": (
                "A CSO member sees its organisation's, a moderator its delegation's queue, "
                "HQ the HQ-direct and forwarded ones."
            ),
            "parameters": [
                query("status", "Only inputs in this status.", {"enum": STATUSES}),
                query("consultation", "Only inputs of this consultation (slug)."),
                LIMIT,
                AFTER,
            ],
            "responses": {**ok("InputList", "A page of inputs, newest first"), **errors(400)},
        },
        "post": {
            "operationId": "create_input",
            "summary": "Submit an input, or save a draft (CSO members)",
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$"},
                    "description": "A retry with the same key returns the first result.",
                }
            ],
            "requestBody": json_body("InputCreate"),
            "responses": {
                **ok("Input", "The input created (or the first one, for a repeated key)", 201),
                **errors(400, 404, 415, 422),
            },
        },
    },
    "/inputs/{input_id}": {
        "get": {
            "operationId": "get_input",
            "summary": "One input, with its version and timeline",
            "parameters": [INPUT_ID],
            "responses": {**ok("Input", "The input"), **errors(404)},
        }
    },
    "/inputs/{input_id}/attachments": {
        "post": {
            "operationId": "add_attachment",
            "summary": "Attach a file to a draft or returned input (CSO members)",
            "parameters": [INPUT_ID],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {"file": {"type": "string", "format": "binary"}},
                            "required": ["file"],
                        }
                    }
                },
            },
            "responses": {
                **ok("Attachment", "The attachment stored", 201),
                **errors(400, 404, 413, 415, 422),
            },
        }
    },
    "/inputs/{input_id}/attachments/{attachment_id}": {
        "get": file_download(
            "download_attachment", "Download an attachment of an input the caller may see"
        ),
        "delete": {
            "operationId": "remove_attachment",
            "summary": "Remove a file from a draft or returned input (CSO members)",
            "description": (
                "The row and the stored file are deleted. A returned input's kept earlier "
                "version keeps only the file's name. 404 for a file that is not on this input "
                "or not the caller's organisation's; 422 once the input is with EU staff."
            ),
            "parameters": [INPUT_ID, ATTACHMENT_ID],
            "responses": {
                "204": {"description": "The file is removed"},
                **errors(404, 409, 422),
            },
        },
    },
    "/inputs/{input_id}/messages": {
        "get": {
            "operationId": "list_messages",
            "summary": "The input's message thread (never in any digest)",
            "parameters": [INPUT_ID],
            "responses": {**ok("MessageList", "The messages, oldest first"), **errors(404)},
        },
        "post": {
            "operationId": "post_message_api",
            "summary": "Write in the input's thread (its organisation, or its reviewers)",
            "description": "JSON, or multipart/form-data to send files with the text (field "
            "`files`, repeated; the same checks as an input's attachments).",
            "parameters": [INPUT_ID],
            "requestBody": {
                "required": True,
                "content": {
                    JSON: {"schema": ref("MessageCreate")},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "body": {"type": "string", "maxLength": MESSAGE_MAX},
                                "question": {"type": "string", "enum": ["true", "false"]},
                                "files": {
                                    "type": "array",
                                    "items": {"type": "string", "format": "binary"},
                                },
                            },
                            "required": ["body"],
                        }
                    },
                },
            },
            "responses": {
                **ok("Message", "The message sent", 201),
                **errors(400, 404, 413, 415, 422),
            },
        },
    },
    "/inputs/{input_id}/messages/files/{attachment_id}": {
        "get": file_download(
            "download_message_file",
            "Download a file sent in the thread of an input the caller may see",
        )
    },
    "/inputs/{input_id}/submit": {
        "post": {
            "operationId": "submit_draft",
            "summary": "Submit a draft (a body with fields replaces the draft's values first)",
            "parameters": [INPUT_ID],
            "requestBody": {
                "required": False,
                "content": {JSON: {"schema": ref("InputCreate")}},
            },
            "responses": {**ok("Input", "The submitted input"), **errors(400, 404, 415, 422)},
        }
    },
    "/inputs/{input_id}/resubmit": {
        "post": {
            "operationId": "resubmit_input",
            "summary": "Revise an input returned with a question and send it again",
            "parameters": [INPUT_ID],
            "requestBody": json_body("InputCreate"),
            "responses": {**ok("Input", "The resubmitted input"), **errors(400, 404, 415, 422)},
        }
    },
    "/review/queue": {
        "get": {
            "operationId": "review_queue",
            "summary": "The caller's review queue (moderators and HQ)",
            "parameters": [
                query("kind", "Which queue (HQ: hq or forwarded).", {"enum": list(QUEUE_KINDS)}),
                query(
                    "status",
                    "`open` (default), `all` or one status.",
                    {"enum": ["open", "all", *STATUSES]},
                ),
                query("q", "Words in the title or text."),
                query("consultation", "Consultation slug."),
                query("priority", "Priority slug."),
                query("country", "ISO code."),
                query("type", "Input type slug."),
                query("theme", "Theme slug."),
                LIMIT,
                AFTER,
            ],
            "responses": {**ok("Queue", "A page of the queue"), **errors(400, 404)},
        }
    },
    "/inputs/{input_id}/claim": {
        "post": {
            "operationId": "claim_input",
            "summary": "Claim an input for review",
            "parameters": [INPUT_ID],
            "requestBody": {"required": False, "content": {JSON: {"schema": ref("Claim")}}},
            "responses": {**ok("Input", "The claimed input"), **errors(400, 404, 409, 415, 422)},
        }
    },
    "/inputs/{input_id}/release": {
        "post": {
            "operationId": "release_input",
            "summary": "Give back a claim",
            "parameters": [INPUT_ID],
            "requestBody": {"required": False, "content": {JSON: {"schema": ref("ClaimRelease")}}},
            "responses": {**ok("Input", "The released input"), **errors(400, 404, 409, 415, 422)},
        }
    },
    "/inputs/{input_id}/feedback": {
        "post": {
            "operationId": "record_feedback",
            "summary": "Say how HQ used a forwarded input (HQ); the CSO sees it",
            "parameters": [INPUT_ID],
            "requestBody": json_body("Feedback"),
            "responses": {**ok("Input", "The input, now used"), **errors(400, 404, 409, 415, 422)},
        }
    },
    "/inputs/{input_id}/review": {
        "patch": {
            "operationId": "update_review",
            "summary": "Correct and redact an input under review",
            "parameters": [INPUT_ID],
            "requestBody": json_body("ReviewUpdate"),
            "responses": {**ok("Input", "The updated input"), **errors(400, 404, 409, 415, 422)},
        }
    },
    "/inputs/{input_id}/decision": {
        "post": {
            "operationId": "decide_input",
            "summary": "Forward, return or decline an input",
            "parameters": [INPUT_ID],
            "requestBody": json_body("Decision"),
            "responses": {**ok("Input", "The decided input"), **errors(400, 404, 409, 415, 422)},
        }
    },
    "/inputs/{input_id}/findings": {
        "get": {
            "operationId": "list_findings",
            "summary": "Possible identifiers in the reviewed text, each with its kind",
            "parameters": [INPUT_ID],
            "responses": {**ok("Findings", "The findings"), **errors(404, 422)},
        }
    },
    "/inputs/{input_id}/findings/dismiss": {
        "post": {
            "operationId": "dismiss_findings",
            "summary": "Dismiss findings that identify no one (audited without the text)",
            "parameters": [INPUT_ID],
            "requestBody": json_body("FindingKeys"),
            "responses": {
                **ok("Findings", "The findings, now dismissed"),
                **errors(400, 404, 409, 415, 422),
            },
        }
    },
    "/inputs/{input_id}/findings/redact": {
        "post": {
            "operationId": "redact_findings",
            "summary": "Redact findings in the reviewed text",
            "parameters": [INPUT_ID],
            "requestBody": json_body("FindingKeys"),
            "responses": {
                **ok("Findings", "The findings left"),
                **errors(400, 404, 409, 415, 422),
            },
        }
    },
    "/digest": {
        "get": {
            "operationId": "digest",
            "summary": "Download a digest of forwarded inputs (HQ), streamed",
            "parameters": [
                query("format", "File format.", {"enum": ["csv", "xlsx", "json", "docx", "html"]}),
                query(
                    "audience",
                    "Who may read it. `external` (the default) is a projection of a published "
                    "release and accepts only consultation, release, priority, region and "
                    "country; `internal` (EU staff only) is a free query.",
                    {"enum": ["internal", "external"]},
                ),
                query("consultation", "Consultation slug."),
                query(
                    "release",
                    "External: the release's number within the consultation (default: latest).",
                    {"type": "string"},
                ),
                query("priority", "Priority slug."),
                query("country", "ISO code (external: a column of the release)."),
                query("region", "Region slug."),
                query("type", "Internal only: input type slug."),
                query("theme", "Internal only: theme slug."),
                query(
                    "since",
                    "Internal only: forwarded on or after (YYYY-MM-DD).",
                    {"type": "string"},
                ),
                query(
                    "until",
                    "Internal only: forwarded on or before (YYYY-MM-DD).",
                    {"type": "string"},
                ),
                query(
                    "part",
                    "CSV only: `recommendations` for one row per recommendation.",
                    {"enum": ["inputs", "recommendations"]},
                ),
            ],
            "responses": {
                "200": {
                    "description": "The digest file",
                    "content": DIGEST_FILES,
                },
                **ok(
                    "Job",
                    "More than `JOB_THRESHOLD_INPUTS` inputs: the file is made by a job. "
                    "Poll `Location` (`/jobs/{job_id}`) until `done`, then fetch `file.url`.",
                    202,
                ),
                **errors(400, 404),
            },
        }
    },
}

PATHS["/releases"] = {
    "get": {
        "operationId": "releases",
        "summary": "List the published external releases (HQ), newest first",
        "parameters": [query("consultation", "Only this consultation (its slug).")],
        "responses": {**ok("ReleaseList", "The releases"), **errors(404)},
    },
    "post": {
        "operationId": "publish_release",
        "summary": "Publish the next external release of a consultation (HQ); immutable",
        "requestBody": json_body("ReleaseRequest"),
        "responses": {
            **ok(
                "Release", "Published in this request: the release, with its audit's verdict", 201
            ),
            **ok(
                "Job",
                "With a job queue: publication runs as a job. Poll `Location` until `done` "
                "(`result.number` is the release's number) or `failed` (`error` says why). "
                "A release that cannot be published (unknown consultation, a period not over, "
                "nothing to publish) is a 422 at once, before any job.",
                202,
            ),
            **errors(400, 404, 415, 422),
        },
    },
}

JOB_ID = {"name": "job_id", "in": "path", "required": True, "schema": UUID}

PATHS["/jobs/{job_id}"] = {
    "get": {
        "operationId": "job",
        "summary": "A job started by the caller (or by another of the same role who may "
        "see its work): state, progress, result, error, file",
        "parameters": [JOB_ID],
        "responses": {**ok("Job", "The job"), **errors(404)},
    }
}
PATHS["/jobs/{job_id}/file"] = {
    "get": {
        "operationId": "job_file",
        "summary": "The file a done job made (kept `JOB_FILE_HOURS`, then deleted)",
        "parameters": [JOB_ID],
        "responses": {
            "200": {
                "description": "The file, as its job's `file.type` says",
                "content": DIGEST_FILES,
            },
            **errors(404, 410),
        },
    }
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "consult API",
        "version": "1.0.0",
        "description": (
            "Submit, review and aggregate inputs to the ENP security consultation. "
            "Authenticate with a personal access token (`Authorization: Bearer <token>`), "
            "created on the account page or with `flask create-token`. Every error is "
            '`{"error": {"code", "message", "fields"}}`. The API obeys the same scoping '
            "as the web pages: an object the caller may not see is a 404."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": SCHEMAS,
    },
    "paths": PATHS,
}


def openapi_document() -> dict[str, Any]:
    """The document, listing only the operations this app serves."""
    document = deepcopy(DOCUMENT)
    served = current_app.view_functions
    paths: dict[str, Any] = {}
    for path, operations in document["paths"].items():
        kept = {m: op for m, op in operations.items() if f"api.{op['operationId']}" in served}
        if kept:
            paths[path] = kept
    document["paths"] = paths
    return document
