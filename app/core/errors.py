"""Domain errors raised by actions; each front end maps them once."""


class DomainError(Exception):
    """Base class. `message` is shown to the user (already translated or lazy)."""

    status = 400
    ckan_type = "Validation Error"

    def __init__(self, message="", **params):
        super().__init__(message)
        self.message = message
        self.params = params


class NotAuthorized(DomainError):
    status = 403
    ckan_type = "Authorization Error"


class NotFound(DomainError):
    status = 404
    ckan_type = "Not Found Error"


class InvalidTransition(DomainError):
    status = 409
    ckan_type = "Validation Error"


class ValidationError(DomainError):
    """Bad input. `errors` maps a field name (or "_" for the whole form) to a list of messages."""

    status = 409
    ckan_type = "Validation Error"

    def __init__(self, errors, message=""):
        if isinstance(errors, str):
            errors = {"_": [errors]}
        self.errors = {k: (v if isinstance(v, list) else [v]) for k, v in errors.items()}
        first = next(iter(self.errors.values()))[0] if self.errors else ""
        super().__init__(message or first)
