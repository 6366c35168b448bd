"""Public usage statistics pages, on the catalogue blueprint."""
