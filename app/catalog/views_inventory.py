"""Data inventory (Daftar Data) pages and downloads, on the catalogue blueprint."""
