"""Backups: `flask db backup PATH` (an online copy of a SQLite database) and the list of what lives
outside the database and must be backed up apart from it (docs/deploy.md, "Backups and restore")."""
