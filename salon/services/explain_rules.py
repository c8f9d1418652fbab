"""One sentence per scheduling rule (spec section 2), and what to do about it; see explain.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import gettext as _

from salon.services.explain import Subjects, join_names

Sentence = Callable[[Subjects, Sequence[Any]], tuple[str, str]]


def _who(s: Subjects) -> str:
    return join_names(s.people) or _("a participant")


def unknown_id(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("A participant, slot or table of this meeting no longer exists or is no longer approved."),
        _("Reload the page and choose again."),
    )


def unwished_pair(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("%(who)s have not asked to meet each other.", who=_who(s)),
        _("Choose a pair with a wish, or declare this meeting as mandatory first."),
    )


def pair_twice(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("%(who)s would meet twice.", who=_who(s)),
        _("Keep a single meeting for this pair, or declare a second mandatory meeting."),
    )


def person_double_booked(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    person = s.name(ids[0]) if ids else _("a participant")
    others = s.others(exclude=person)
    if others:
        text = _("%(who)s already has a meeting %(when)s with %(other)s.", who=person, when=s.when(),
                 other=others)  # fmt: skip
    else:
        text = _("%(who)s would have two meetings %(when)s.", who=person, when=s.when())
    return text, _("Choose another slot, or swap the two meetings.")


def table_double_booked(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    table = s.tables[0] if s.tables else "?"
    others = s.others()
    if s.meetings and others:
        text = _("Table %(table)s is already taken %(when)s (%(meeting)s).", table=table, when=s.when(),
                 meeting=others)  # fmt: skip
    elif s.meetings:
        text = _("Table %(table)s would hold two meetings %(when)s.", table=table, when=s.when())
    else:
        text = _("More meetings are fixed %(when)s than there are tables.", when=s.when())
    return text, _("Choose a free table or another slot, or swap the two meetings.")


def unavailable(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    if not s.slots:
        return (
            _("%(who)s have no free slot in common.", who=_who(s)),
            _("Check their availability on their participant pages, or remove this mandatory meeting."),
        )
    person = s.first_participant(ids)
    who = person.organisation.name if person is not None else _who(s)
    return (
        _("%(who)s is not available %(when)s.", who=who, when=s.when()),
        _("Choose a slot when both are available (see their participant pages)."),
    )


def home_table(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    person = s.first_participant(ids)
    if person is not None and len(s.people) > 1 and not s.tables:
        return (
            _("%(who)s each have their own table: they cannot meet.", who=_who(s)),
            _("Remove one of the two home tables, or this mandatory meeting."),
        )
    if person is not None and person.home_table is not None:
        return (
            _(
                "%(who)s has their own table (%(table)s) and meets there only.",
                who=person.organisation.name,
                table=person.home_table.name,
            ),  # fmt: skip
            _("Choose their table."),
        )
    return (
        _(
            "Table %(table)s is reserved for a participant who has their own table.",
            table=s.tables[0] if s.tables else "?",
        ),  # fmt: skip
        _("Choose another table."),
    )


def max_meetings(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    person = s.first_participant(ids)
    if person is None or person.max_meetings is None:
        return fallback(s, ids)
    return (
        _(
            "%(who)s would have more meetings than their maximum (%(max)d).",
            who=person.organisation.name,
            max=person.max_meetings,
        ),  # fmt: skip
        _("Cancel one of their meetings first, or raise their maximum on their participant page."),
    )


def min_meetings(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("%(who)s cannot have the minimum number of meetings set for them.", who=_who(s)),
        _("Lower their minimum, or give them more wishes or free slots."),
    )


def mandatory_mismatch(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("The mandatory meeting of %(who)s is already held.", who=_who(s)),
        _("Cancel the extra meeting."),
    )


def mandatory_missing(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("The mandatory meetings of %(who)s cannot all be held.", who=_who(s)),
        _("Remove or loosen one of these mandatory meetings (session, fixed slot, order), or free up slots."),
    )


def wrong_session(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("The mandatory meeting of %(who)s must be held in another session.", who=_who(s)),
        _("Choose a slot of its session, or change the mandatory meeting."),
    )


def wrong_fixed_slot(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("The mandatory meeting of %(who)s is fixed to another slot.", who=_who(s)),
        _("Keep it at its fixed slot, or change the mandatory meeting."),
    )


def precedence(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("The order required between the mandatory meetings of %(who)s cannot be kept.", who=_who(s)),
        _("Change the order or the slots of these mandatory meetings."),
    )


def locked_moved(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("A locked meeting of %(who)s would move.", who=_who(s)),
        _("Unlock it first."),
    )


def break_spread(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("No schedule keeps the idle gaps between meetings as even as required."),
        _("Allow a larger difference of idle gaps between participants."),
    )


def fallback(s: Subjects, ids: Sequence[Any]) -> tuple[str, str]:
    return (
        _("This change breaks a scheduling rule.") + (" " + _who(s) + "." if s.people else ""),
        _("Choose another slot or table."),
    )


SENTENCES: dict[str, Sentence] = {
    "unknown-id": unknown_id,
    "unwished-pair": unwished_pair,
    "pair-twice": pair_twice,
    "person-double-booked": person_double_booked,
    "table-double-booked": table_double_booked,
    "unavailable": unavailable,
    "home-table": home_table,
    "max-meetings": max_meetings,
    "min-meetings": min_meetings,
    "mandatory-mismatch": mandatory_mismatch,
    "mandatory-missing": mandatory_missing,
    "wrong-session": wrong_session,
    "wrong-fixed-slot": wrong_fixed_slot,
    "precedence": precedence,
    "locked-moved": locked_moved,
    "break-spread": break_spread,
}
