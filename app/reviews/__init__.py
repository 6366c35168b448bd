"""Not built yet: see the open issues. Nothing here is in use."""
