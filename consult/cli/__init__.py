"""Command-line tools: ``flask --app consult <command>``."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from consult.api import cli as api_cli
    from consult.auth import commands as auth_commands
    from consult.cli import accounts, demo, reference
    from consult.cli import digest as digest_cli
    from consult.cli import release as release_cli
    from consult.maintenance import cli as maintenance

    for module in (
        accounts,
        reference,
        demo,
        maintenance,
        api_cli,
        auth_commands,
        digest_cli,
        release_cli,
    ):
        for command in module.COMMANDS:
            app.cli.add_command(command)
