"""Continuity of care: measures, flag rules, flags and the ward board."""
