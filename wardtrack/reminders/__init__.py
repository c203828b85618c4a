"""Maintenance plans and the reminders that keep a trusted professional from being silently lost."""
