"""Telegram front end. Not built yet: see the open issues."""
