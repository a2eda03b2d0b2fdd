"""The JSON document: what it projects, totals, tables, and the inputs, streamed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from consult.digest.contents import Digest, DigestInput


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def head(digest: Digest) -> dict[str, Any]:
    totals = digest.totals()
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
    release = digest.release
    return {
        "generated_at": digest.generated_at.isoformat() + "Z",
        "audience": digest.audience,
        "filters": digest.query,
        "release": None
        if release is None
        else {
            "consultation": release.consultation,
            "number": release.number,
            "period": release.period,
            "published_at": release.published_at.isoformat() + "Z",
            "min_group_size": release.k,
        },
        "totals": {
            "inputs": totals.inputs,
            "organisations": totals.organisations,
            "countries": totals.countries,
            "recommendations": totals.recommendations,
        },
        "matrix": {
            "priorities": [row.slug for row in matrix.rows],
            "countries": [code for code, _name in matrix.countries],
            "cells": cells,
            # null: the total is not given (some inputs of the priority are not listed).
            "priority_totals": {row.slug: row.total for row in matrix.rows},
        },
        "priorities": [
            {"priority": p.slug, "inputs": p.inputs, "organisations": p.organisations}
            for p in digest.priority_counts()
        ],
        # The linked tables by priority; the sums below add their rows up.
        "by_priority": digest.linked_tables(),
        "by_type": {slug: n for slug, _name, n in digest.type_counts()},
        "by_theme": {slug: n for slug, _name, n in digest.theme_counts()},
        "by_addressee": {slug: n for slug, _name, n in digest.addressee_counts()},
    }


def input_object(item: DigestInput, columns: tuple[str, ...]) -> dict[str, Any]:
    values = item.values()
    result = {column: values[column] for column in columns}
    result["recommendations"] = [
        {"addressee": slug, "addressee_name": name, "text": text}
        for slug, name, text in item.recommendations
    ]
    return result


def document(digest: Digest) -> Iterator[bytes]:
    opening = _dump(head(digest))
    yield (opening[:-1] + ',"inputs":[').encode()
    first = True
    for batch in digest.batches():
        text = ",".join(_dump(input_object(item, digest.columns)) for item in batch)
        yield (text if first else "," + text).encode()
        first = False
    yield b"]}\n"
