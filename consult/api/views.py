"""The JSON API, version 1: every route of ``/api/v1``.

Views read the request, call the same domain functions as the web pages,
commit and answer JSON. Scoping is the web's: objects load through
``consult.access`` and anything out of scope is a 404.
"""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from consult.access import login_only, public
from consult.actions import run_actions
from consult.api.blueprint import bp
from consult.api.openapi import openapi_document
from consult.api.refusals import refusal_error
from consult.api.requests import ApiError
from consult.api.serializers import consultation_json
from consult.extensions import db
from consult.i18n import label
from consult.inputs.models import Consultation
from consult.inputs.states import ATTRIBUTION_LABELS, STATUS_LABELS
from consult.reference import data as reference_data
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
from consult.review.services import DECLINE_REASONS

__all__ = ["bp"]


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    return exc.response()


run_actions(bp, lambda exc: refusal_error(exc).response())


@bp.route("/openapi.json")
@public
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.route("/me")
@login_only
def me() -> Response:
    user = current_user
    return jsonify(
        {
            "id": str(user.id),
            "email": user.email,
            "name": user.full_name,
            "role": user.role,
            "organisation": (
                {"id": str(user.organisation.id), "name": user.organisation.name}
                if user.organisation
                else None
            ),
            "delegation": user.delegation_slug,
        }
    )


def _slug_names(model: type) -> list[dict[str, str]]:
    rows = db.session.scalars(select(model).order_by(model.position, model.slug))
    return [{"slug": row.slug, "name": row.name} for row in rows]


@bp.route("/reference")
@login_only
def reference() -> Response:
    """Every list a client needs to fill the input form, by slug."""
    regions = db.session.scalars(select(Region).order_by(Region.position))
    countries = db.session.scalars(select(Country).order_by(Country.name))
    delegations = db.session.scalars(select(Delegation).order_by(Delegation.slug))
    return jsonify(
        {
            "priorities": _slug_names(Priority),
            "regions": [
                {"slug": r.slug, "name": r.name, "countries": [c.code for c in r.countries]}
                for r in regions
            ],
            "countries": [
                {
                    "code": c.code,
                    "name": c.name,
                    "region": c.region_slug,
                    "delegation": c.delegation_slug,
                }
                for c in countries
            ],
            "delegations": [
                {"slug": d.slug, "name": d.name, "countries": d.country_codes} for d in delegations
            ],
            "input_types": _slug_names(InputType),
            "themes": _slug_names(Theme),
            "levels": _slug_names(Level),
            "addressees": _slug_names(Addressee),
            "attributions": [
                {"slug": str(key), "name": label(name)} for key, name in ATTRIBUTION_LABELS.items()
            ],
            "languages": [
                {"slug": code, "name": label(name)} for code, name in reference_data.INPUT_LANGUAGES
            ],
            "statuses": [
                {"slug": str(key), "name": label(name)} for key, name in STATUS_LABELS.items()
            ],
            "decline_reasons": [
                {"slug": key, "name": str(label)} for key, label in DECLINE_REASONS.items()
            ],
        }
    )


@bp.route("/consultations")
@login_only
def consultations() -> Response:
    rows = db.session.scalars(
        select(Consultation).order_by(Consultation.opens_at.desc(), Consultation.slug)
    )
    return jsonify({"items": [consultation_json(c) for c in rows]})


# The other routes register themselves on ``bp`` when imported.
from consult.api import digest, files, findings, inputs, jobs, messages, review  # noqa: E402, F401, I001
