"""Wards, professionals and their ward memberships."""
