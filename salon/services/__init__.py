"""Services: the only layer that changes data. They flush, never commit; the view or CLI commits."""

from flask_babel import lazy_gettext as _l

from salon.text import has_control_characters

# The refusal of a one-line text (a name, a title, a subject) holding a line break or a control character.
SINGLE_LINE_MESSAGE = _l("Write this on one line, without line breaks, tabs or control characters.")


class DomainError(Exception):
    """A refused action, with a message fit to show the user (already translated by the caller)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The action is refused in the current phase or state."""


def require_single_line(field: str, value: str | None) -> None:
    """Refuse a one-line text holding a line break, a tab or another control character."""
    if has_control_characters(value):
        raise DomainError(str(SINGLE_LINE_MESSAGE), field)
