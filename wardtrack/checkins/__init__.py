"""Relationship check-ins and life-and-care (DIALOG-style) check-ins: what the patient says about
the professionals they see and about their life and care, and who may read it."""
