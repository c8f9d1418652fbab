"""Services: the only layer that changes data. They flush, never commit; the view or CLI commits."""


class DomainError(Exception):
    """A refused action, with a message fit to show the user (already translated by the caller)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The action is refused in the current phase or state."""
