"""Command-line tools: ``flask --app consult <command>``."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from consult.cli import accounts, demo, reference

    for module in (accounts, reference, demo):
        for command in module.COMMANDS:
            app.cli.add_command(command)
