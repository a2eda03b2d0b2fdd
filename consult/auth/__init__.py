"""Accounts: login, logout, passwords, sessions."""
