"""Contacts between patients and professionals, recorded idempotently for offline phones."""
