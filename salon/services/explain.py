"""Refusals in words for people: what is wrong, the organisations by name, the slot in the fair's time zone,
what to do.

The solver's rules and reasons carry a rule id and raw ids ("p12", "s34", table names, meeting indices).
Pages, e-mails and exports show only the sentence built here; the rule id and the solver's own message stay
in `technical` (logs and a folded "technical detail").
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from salon.models import Fair, Participant, Slot
from salon.services.scheduling import Maps, Spec
from salon.templating import local_date, local_time

# Rules whose integer ids name mandatory meetings (their index in Maps.mandatory), not scheduled meetings.
MANDATORY_INDEXED = frozenset(
    {"mandatory-missing", "wrong-session", "wrong-fixed-slot", "precedence", "mandatory-mismatch"}
)


@dataclass(frozen=True)
class Explanation:
    """A refusal for people (`text`, `advice`) and for the technical detail (`technical`)."""

    text: str
    advice: str
    technical: str

    def __str__(self) -> str:
        return f"{self.text} {self.advice}".strip()


@dataclass
class Subjects:
    """What a rule's ids name: organisations, slots, tables and meetings of one fair."""

    fair: Fair
    maps: Maps
    meetings: Sequence[Spec] = ()  # the schedule the validator checked (its integer ids index it)
    changed: Collection[int] = ()  # indices of the meetings being edited (named last, as "this meeting")
    people: list[str] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)

    def read(self, ids: Sequence[Any], mandatory: bool) -> Subjects:
        """Sort the ids into organisations, slots, tables; integers name meetings or mandatory meetings."""
        for ident in ids:
            if isinstance(ident, int) and not isinstance(ident, bool):
                self.indices.append(ident)
                self._add_pair(*self._pair_of(ident, mandatory))
            elif isinstance(ident, str):
                self._read_text(ident)
        return self

    def _read_text(self, ident: str) -> None:
        number = int(ident[1:]) if ident[1:].isdigit() else None
        if ident.startswith("p") and number in self.maps.participants:
            self._add_pair(number)
        elif ident.startswith("s") and number in self.maps.slots:
            slot = self.maps.slots[number]
            if slot not in self.slots:
                self.slots.append(slot)
        elif ident in self.maps.table_by_name and ident not in self.tables:
            self.tables.append(ident)

    def _pair_of(self, index: int, mandatory: bool) -> tuple[int | None, ...]:
        if mandatory or not self.meetings:
            row = self.maps.mandatory[index] if 0 <= index < len(self.maps.mandatory) else None
            return (row.participant_a_id, row.participant_b_id) if row is not None else ()
        spec = self.meetings[index] if 0 <= index < len(self.meetings) else None
        return (spec.a, spec.b) if spec is not None else ()

    def _add_pair(self, *participant_ids: int | None) -> None:
        for pid in participant_ids:
            person = self.maps.participants.get(pid) if pid is not None else None
            if person is not None and person.organisation.name not in self.people:
                self.people.append(person.organisation.name)

    def participant(self, ident: Any) -> Participant | None:
        """Return the participant a solver id ("p12") names, or None."""
        text = str(ident)
        return self.maps.participants.get(int(text[1:])) if text[:1] == "p" and text[1:].isdigit() else None

    def first_participant(self, ids: Sequence[Any]) -> Participant | None:
        """Return the first participant the ids name (not counting meeting indices)."""
        return next((p for p in map(self.participant, ids) if p is not None), None)

    def name(self, ident: Any) -> str:
        """Return the organisation named by a solver id, or a neutral word when it is gone."""
        person = self.participant(ident)
        return person.organisation.name if person is not None else _("a participant")

    def others(self, exclude: str = "") -> str:
        """Return the meetings named by the ids, but the edited ones, as "A / B" (without `exclude`)."""
        pairs = []
        for i in self.indices:
            spec = self.meetings[i] if 0 <= i < len(self.meetings) else None
            if spec is None or i in self.changed:
                continue
            names = [self.maps.participants[p].organisation.name for p in (spec.a, spec.b)
                     if p in self.maps.participants]  # fmt: skip
            pairs.append(" / ".join(n for n in names if n != exclude))
        return join_names(pairs)

    def when(self) -> str:
        """Return the first slot named, as "on Thursday 18 March at 09:00" in the fair's time zone."""
        if not self.slots:
            return ""
        slot = self.slots[0]
        return _(
            "on %(day)s at %(time)s",
            day=local_date(slot.starts_at, self.fair, "EEEE d MMMM"),
            time=local_time(slot.starts_at, self.fair),
        )


def join_names(names: Sequence[str]) -> str:
    """Return "A", "A and B" or "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def explain(rule: str, ids: Sequence[Any], message: str, subjects: Subjects) -> Explanation:
    """Turn a rule id and its ids into a sentence for people, with what to do."""
    from salon.services.explain_rules import SENTENCES, fallback  # it builds on this module's Subjects

    s = subjects.read(ids, mandatory=rule in MANDATORY_INDEXED)
    build: Callable[[Subjects, Sequence[Any]], tuple[str, str]] = SENTENCES.get(rule, fallback)
    text, advice = build(s, ids)
    return Explanation(" ".join(text.split()), advice, f"{rule}: {message}" if message else rule)


def explain_violation(
    fair: Fair, maps: Maps, violation: Any, meetings: Sequence[Spec] = (), changed: Collection[int] = ()
) -> Explanation:
    """Explain a solver Violation found on `meetings` (the schedule the validator checked)."""
    subjects = Subjects(fair, maps, meetings, changed)
    return explain(violation.rule, violation.ids, violation.message, subjects)


def explain_reasons(fair: Fair, maps: Maps, reasons: Sequence[dict[str, Any]]) -> list[Explanation]:
    """Explain a run's stored reasons ({"rule", "ids", "message"}) for an infeasible solve."""
    return [
        explain(r.get("rule", ""), r.get("ids", ()), r.get("message", ""), Subjects(fair, maps))
        for r in reasons
    ]
