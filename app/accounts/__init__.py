"""Users, organisations, roles and login."""
