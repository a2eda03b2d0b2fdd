"""Command-line tools: ``flask --app consult <command>``, one module per topic.

- :mod:`.accounts`: organisations and accounts (``create-org``, ``create-user``)
- :mod:`.security`: invitations and two-factor keys (``invite``, ``rotate-totp-key``)
- :mod:`.tokens`: personal API tokens (``create-token``)
- :mod:`.reference`: reference data (``load-reference``)
- :mod:`.demo`: demo data (``seed-demo``)
- :mod:`.digest`: digests to a file (``digest``)
- :mod:`.release`: external digest releases (``release``)
- :mod:`.maintenance`: retention, storage checks, backup and restore
- :mod:`.mail`: notification emails from the outbox (``send-mail``)
- :mod:`.jobs`: the job queue's worker (``jobs worker``) and its file housekeeping
"""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from consult.cli import (
        accounts,
        demo,
        digest,
        jobs,
        load,
        mail,
        maintenance,
        reference,
        release,
        security,
        tokens,
    )

    for module in (
        accounts,
        security,
        tokens,
        reference,
        demo,
        digest,
        release,
        maintenance,
        load,
        mail,
        jobs,
    ):
        for command in module.COMMANDS:
            app.cli.add_command(command)
