"""Wishes to meet (incontournable, souhaité, si possible) and vetoes, within the fair's caps and deadline."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from salon.extensions import db
from salon.models import Fair, Participant, User, Wish
from salon.models.base import utcnow
from salon.services import DomainError, NotAllowed, participant_changes

PRIORITY_LABELS = {3: _l("must meet"), 2: _l("wanted"), 1: _l("if possible")}
VETO_LABEL = _l("I do not wish to meet them")
WISH_PHASES = ("registration", "wishes")
# The organisers enter wishes they collected (by phone, on paper) past the deadline, until publication.
ORGANISER_WISH_PHASES = ("draft", "registration", "wishes", "scheduling")


def wishes_open(fair: Fair, by_organiser: bool = False) -> bool:
    """Say whether wishes may still be set (phase and deadline; organisers: until publication)."""
    if by_organiser:
        return fair.phase in ORGANISER_WISH_PHASES
    if fair.phase not in WISH_PHASES:
        return False
    return fair.wishes_deadline is None or utcnow() <= fair.wishes_deadline


def meetable_sides(participant: Participant) -> tuple[str, ...]:
    """Return the sides a participant may browse and wish to meet (suppliers too with co-contracting)."""
    if participant.side == "buyer":
        return ("supplier",)
    if participant.fair.supplier_meetings != "off":
        return ("buyer", "supplier")
    return ("buyer",)


def _check_open(fair: Fair, by_organiser: bool) -> None:
    if wishes_open(fair, by_organiser):
        return
    if by_organiser:
        raise NotAllowed(_("The schedule is published: wishes can no longer be changed."), "priority")
    raise NotAllowed(_("Wishes are closed for this fair."), "priority")


def wish_cap(participant: Participant) -> int | None:
    """Return the most wishes (vetoes apart) this participant may set, or None for no cap."""
    fair = participant.fair
    return fair.max_wishes_buyer if participant.side == "buyer" else fair.max_wishes_supplier


def count_wishes(participant: Participant, excluding_target_id: int | None = None) -> int:
    """Count the wishes (not vetoes) this participant set."""
    query = select(func.count(Wish.id)).where(Wish.source_id == participant.id, Wish.veto.is_(False))
    if excluding_target_id is not None:
        query = query.where(Wish.target_id != excluding_target_id)
    return db.session.scalar(query) or 0


def _check_pair(source: Participant, target: Participant, by_organiser: bool) -> None:
    _check_open(source.fair, by_organiser)
    if source.status != "approved":
        if by_organiser:
            raise NotAllowed(_("Approve this participant's registration first."), "priority")
        raise NotAllowed(_("Your registration must be approved by the organiser first."), "priority")
    if target.fair_id != source.fair_id or target.status != "approved" or target.id == source.id:
        raise DomainError(_("This participant is not in the catalogue."), "target")
    if target.side not in meetable_sides(source):
        raise DomainError(_("You can only ask to meet participants of the other side."), "target")


def _find(source: Participant, target: Participant) -> Wish | None:
    return db.session.scalar(select(Wish).where(Wish.source_id == source.id, Wish.target_id == target.id))


def _create(source: Participant, target: Participant) -> Wish:
    """Insert the wish row; if a concurrent request inserted it first, return that row."""
    try:
        with db.session.begin_nested():
            wish = Wish(fair_id=source.fair_id, source_id=source.id, target_id=target.id, priority=1)
            db.session.add(wish)
        return wish
    except IntegrityError:
        wish = _find(source, target)
        if wish is None:
            raise
        return wish


def set_wish(
    source: Participant,
    target: Participant,
    priority: int | None = None,
    veto: bool = False,
    by: User | None = None,
    by_organiser: bool = False,
) -> Wish:
    """Set (or change) the wish of `source` to meet `target`, or a veto; idempotent; records who did."""
    _check_pair(source, target, by_organiser)
    if not veto and priority not in PRIORITY_LABELS:
        raise DomainError(_("Choose a priority."), "priority")
    cap = wish_cap(source)
    if not veto and cap is not None and count_wishes(source, excluding_target_id=target.id) >= cap:
        raise DomainError(
            ngettext(
                "You have reached the limit of %(num)d wish set by the organiser.",
                "You have reached the limit of %(num)d wishes set by the organiser.",
                cap,
            ),
            "priority",
        )
    wish = _find(source, target) or _create(source, target)
    wish.veto = veto
    wish.priority = None if veto else priority
    wish.updated_at = utcnow()
    wish.set_by_id, wish.by_organiser = (by.id if by is not None else None), by_organiser
    choice = "veto" if veto else str(priority)
    participant_changes.record(source, by, by_organiser, "wish", target=target.id, choice=choice)
    db.session.flush()
    return wish


def remove_wish(
    source: Participant, target: Participant, by: User | None = None, by_organiser: bool = False
) -> None:
    """Remove the wish or veto of `source` about `target` (nothing happens if there is none)."""
    _check_open(source.fair, by_organiser)
    wish = _find(source, target)
    if wish is not None:
        db.session.delete(wish)
        participant_changes.record(source, by, by_organiser, "wish", target=target.id, choice="none")
        db.session.flush()


def apply_choice(
    source: Participant, target: Participant, choice: str, by: User | None = None, by_organiser: bool = False
) -> None:
    """Apply a wish form's choice: "3", "2", "1" (priority), "veto" or "none" (remove)."""
    if choice == "none":
        remove_wish(source, target, by, by_organiser)
    elif choice == "veto":
        set_wish(source, target, veto=True, by=by, by_organiser=by_organiser)
    elif choice in ("1", "2", "3"):
        set_wish(source, target, priority=int(choice), by=by, by_organiser=by_organiser)
    else:
        raise DomainError(_("Choose a priority."), "priority")


def wishes_sent(participant: Participant) -> list[Wish]:
    """Return the participant's wishes and vetoes, highest priority first."""
    return list(
        db.session.scalars(
            select(Wish)
            .options(joinedload(Wish.target).joinedload(Participant.organisation))
            .where(Wish.source_id == participant.id)
            .order_by(Wish.veto, Wish.priority.desc(), Wish.id)
        )
    )


@dataclass
class ReceivedWish:
    """A wish aimed at the participant, with the participant's own answer (its wish back), if any."""

    wish: Wish
    answer: Wish | None


def wishes_received(participant: Participant) -> list[ReceivedWish]:
    """Return the wishes aimed at the participant (vetoes stay private), with its answers."""
    received = db.session.scalars(
        select(Wish)
        .join(Participant, Participant.id == Wish.source_id)
        .options(contains_eager(Wish.source).joinedload(Participant.organisation))
        .where(
            Wish.target_id == participant.id,
            Wish.veto.is_(False),
            Participant.status == "approved",
            Participant.fair_id == participant.fair_id,
        )
        .order_by(Wish.priority.desc(), Wish.id)
    ).all()
    mine = {w.target_id: w for w in wishes_sent(participant)}
    return [ReceivedWish(w, mine.get(w.source_id)) for w in received]


def wish_map(participant: Participant) -> dict[int, Wish]:
    """Return the participant's wishes keyed by target id."""
    return {w.target_id: w for w in wishes_sent(participant)}
