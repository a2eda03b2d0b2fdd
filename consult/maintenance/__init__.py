"""Keeping data safe over time: retention and erasure, storage checks, backup and restore."""

# Registers the session hooks that keep attachment files in step with their rows.
from consult.maintenance import filetx as filetx
