"""The catalogue of the other side: search, filters, suggestions, a counterpart's profile, wishes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from salon.extensions import db
from salon.forms import parse_id
from salon.forms.participant import CatalogueSearchForm, WishForm
from salon.models import Meeting, Participant
from salon.services import DomainError, catalogue, wishes
from salon.views.participant import bp
from salon.views.participant.common import card_context, my_participant
from salon.views.public.home import safe_next

FILTER_NAMES = ("q", "structure_type", "sector", "departement", "reserved", "buyer_kind")


def _filters(form: CatalogueSearchForm) -> catalogue.Filters:
    if not form.validate():
        return catalogue.Filters()
    return catalogue.Filters(
        q=form.q.data or "",
        structure_type=form.structure_type.data or "",
        sector=form.sector.data or "",
        departement=form.departement.data or "",
        reserved=bool(form.reserved.data),
        buyer_kind=form.buyer_kind.data or "",
        side=form.side.data or "",
    )


@bp.get("/<int:participant_id>/catalogue")
@login_required
def catalogue_page(participant_id: int):
    participant = my_participant(participant_id)
    form = CatalogueSearchForm(request.args)
    filters = _filters(form)
    page = catalogue.search_catalogue(participant, filters, page=request.args.get("page", 1, type=int))
    side = catalogue.browsed_side(participant, filters.side)
    searching = side != catalogue.other_side(participant.side) or any(
        request.args.get(k) for k in FILTER_NAMES
    )
    return render_template(
        "participant/catalogue.html",
        participant=participant,
        form=form,
        page=page,
        side=side,
        sides=wishes.meetable_sides(participant),
        suggestions=[] if searching else catalogue.suggest_counterparts(participant, limit=5),
        wish_map=wishes.wish_map(participant),
        wishes_open=wishes.wishes_open(participant.fair),
        args={k: v for k, v in request.args.items() if k != "page"},
        **card_context(),
    )


def _shared_meeting(me: Participant, other: Participant) -> bool:
    """Say whether the two participants have an active published meeting (contacts become visible)."""
    a, b = sorted((me.id, other.id))
    return (
        db.session.scalar(
            select(Meeting.id).where(
                Meeting.participant_a_id == a,
                Meeting.participant_b_id == b,
                or_(Meeting.status == "scheduled", Meeting.status == "held"),
            )
        )
        is not None
    )


def _render_counterpart(participant: Participant, target: Participant, form: WishForm | None = None):  # noqa: ANN202
    wish = wishes.wish_map(participant).get(target.id)
    if form is None:
        current = "none" if wish is None else ("veto" if wish.veto else str(wish.priority))
        form = WishForm(formdata=None, target_id=str(target.id), choice=current)
    return render_template(
        "participant/counterpart.html",
        participant=participant,
        target=target,
        show_contact=_shared_meeting(participant, target),
        wish=wish,
        wish_form=form,
        wishes_open=wishes.wishes_open(participant.fair),
        **card_context(),
    )


@bp.get("/<int:participant_id>/catalogue/<int:target_id>")
@login_required
def counterpart(participant_id: int, target_id: int):
    participant = my_participant(participant_id)
    target = catalogue.catalogue_entry_or_none(participant, target_id)
    if target is None:
        abort(404)
    return _render_counterpart(participant, target)


@bp.post("/<int:participant_id>/wishes")
@login_required
def set_wish(participant_id: int):
    participant = my_participant(participant_id)
    form = WishForm()
    target = None
    target_id = parse_id(form.target_id.data)
    if target_id is not None:
        target = catalogue.catalogue_entry_or_none(participant, target_id)
    if target is None:
        abort(404)
    if form.validate_on_submit():
        try:
            wishes.apply_choice(participant, target, form.choice.data, by=current_user)
        except DomainError as error:
            db.session.rollback()
            form.choice.errors = [*form.choice.errors, error.message]
        else:
            db.session.commit()
            flash(_("Your wish about %(name)s is saved.", name=target.organisation.name), "success")
            fallback = url_for("participant.wishes_page", participant_id=participant.id)
            return redirect(safe_next(form.next.data, fallback))
    # Refused: show the counterpart's page with the message next to the choice.
    return _render_counterpart(participant, target, form), 422
