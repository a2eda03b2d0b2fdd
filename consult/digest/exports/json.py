"""The JSON document: filters, generation time, totals, matrix, and the inputs, streamed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from consult.digest.contents import Digest, DigestInput


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def head(digest: Digest) -> dict[str, Any]:
    agg = digest.aggregates
    matrix = digest.matrix()
    cells = []
    for row in matrix.rows:
        for (code, _name), cell in zip(matrix.countries, row.cells, strict=True):
            entry: dict[str, Any] = {"priority": row.slug, "country": code, "inputs": cell.count}
            if cell.small:
                entry["fewer_than"] = digest.k
            elif cell.hidden:
                entry["hidden"] = True
            cells.append(entry)
    return {
        "generated_at": digest.generated_at.isoformat() + "Z",
        "audience": digest.filters.audience,
        "filters": digest.filters.as_dict(),
        "min_group_size": digest.k if digest.filters.external else None,
        "totals": {
            "inputs": digest.count,
            "organisations": agg.organisations,
            "countries": digest.countries_count,
            "recommendations": agg.recommendations,
        },
        "matrix": {
            "priorities": [row.slug for row in matrix.rows],
            "countries": [code for code, _name in matrix.countries],
            "cells": cells,
            # A hidden total is null; the inputs of its priority are left out.
            "priority_totals": {row.slug: row.total for row in matrix.rows},
        },
        # Whether some inputs are left out (never how many: that could be a small cell).
        "inputs_withheld": bool(digest.withheld),
        "by_type": {slug: n for slug, _name, n in digest.type_counts()},
        "by_theme": {slug: n for slug, _name, n in digest.theme_counts()},
        "by_addressee": {slug: n for slug, _name, n in digest.addressee_counts()},
    }


def input_object(item: DigestInput, internal: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "reference": item.ref,
        "consultation": item.consultation,
        "priority": item.priority_slug,
        "priority_name": item.priority,
        "countries": item.countries,
        "level": item.level,
        "type": item.type_slug,
        "type_name": item.type,
        "themes": item.themes,
        "title": item.title,
        "body": item.body,
        "moderator_summary": item.summary,
        "attribution": item.attribution,
        "forwarded": item.forwarded,
        "recommendations": [
            {"addressee": slug, "addressee_name": name, "text": text}
            for slug, name, text in item.recommendations
        ],
    }
    if internal:
        result["eu_staff_only"] = item.eu_only
        result["status"] = item.status
    return result


def document(digest: Digest) -> Iterator[bytes]:
    opening = _dump(head(digest))
    yield (opening[:-1] + ',"inputs":[').encode()
    internal = not digest.filters.external
    first = True
    for batch in digest.batches():
        parts = [_dump(input_object(item, internal)) for item in batch]
        text = ",".join(parts)
        yield (text if first else "," + text).encode()
        first = False
    yield b"]}\n"
