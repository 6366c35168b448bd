"""Report builders (WeasyPrint). Not built yet: see the open issues."""
