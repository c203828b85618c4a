"""A realistic demo ward for development and trying the app."""
