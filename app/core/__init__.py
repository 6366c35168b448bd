"""Shared building blocks; imports no domain package."""
