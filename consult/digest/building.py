"""Building a digest: counting what the filters cover and preparing the anonymiser."""

from __future__ import annotations

from dataclasses import replace

from flask import current_app
from sqlalchemy import select

from consult.digest.anonymise import Anonymiser
from consult.digest.consultation_info import ConsultationInfo
from consult.digest.contents import Digest
from consult.digest.filters import DigestFilters
from consult.digest.matrix import matrix_columns
from consult.digest.query import Reference, aggregate
from consult.extensions import db
from consult.identifiers import known_identifiers
from consult.inputs.models import Consultation
from consult.timeutil import utcnow


def build_digest(filters: DigestFilters) -> Digest:
    """Count what the filters cover and prepare the anonymiser (no input is read yet).

    An external digest is counted twice when it must leave out the inputs of
    some priorities (a country filter and a small cell): the matrix keeps the
    first count's cells, every other number comes from the second, so that
    the types, themes and totals cannot give the left-out cells by subtraction.
    """
    reference = Reference.load()
    aggregates = aggregate(filters)
    k = int(current_app.config.get("DIGEST_MIN_GROUP_SIZE", 3))
    columns = matrix_columns(filters, reference, aggregates) if filters.external else None
    anonymiser = Anonymiser(
        external=filters.external,
        k=k,
        reference=reference,
        aggregates=aggregates,
        known=known_identifiers() if filters.external else [],
        secret=str(current_app.config["SECRET_KEY"]).encode(),
        columns=columns or (),
        # The filter, or a scope of one country, names the country of every input.
        withhold_hidden_totals=bool(filters.country) or len(columns or ()) == 1,
    )
    published = aggregates
    left_out = anonymiser.withheld_priorities
    if left_out:
        published = replace(
            aggregate(filters, left_out),
            cells=aggregates.cells,
            # Kept whole: an organisation with a left-out non-attributable input stays unnamed.
            non_attributable_orgs=aggregates.non_attributable_orgs,
        )
    consultation = None
    if filters.consultation:
        found = db.session.scalar(
            select(Consultation).where(Consultation.slug == filters.consultation)
        )
        consultation = ConsultationInfo.of(found) if found is not None else None
    return Digest(
        filters=filters,
        generated_at=utcnow().replace(microsecond=0),
        reference=reference,
        aggregates=published,
        anonymiser=anonymiser,
        consultation=consultation,
        k=k,
        withheld=aggregates.inputs - published.inputs,
        columns=columns,
    )
