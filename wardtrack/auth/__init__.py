"""Accounts, roles, sessions, tokens, and who may reach which patient."""
