"""My wishes, and the wishes aimed at me with my answers."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from salon.forms.participant import WishForm
from salon.services import wishes
from salon.views.participant import bp
from salon.views.participant.common import card_context, my_participant


@bp.get("/<int:participant_id>/wishes")
@login_required
def wishes_page(participant_id: int):
    participant = my_participant(participant_id)
    return render_template(
        "participant/wishes.html",
        participant=participant,
        sent=wishes.wishes_sent(participant),
        received=wishes.wishes_received(participant),
        cap=wishes.wish_cap(participant),
        used=wishes.count_wishes(participant),
        wishes_open=wishes.wishes_open(participant.fair),
        form=WishForm(formdata=None),
        **card_context(),
    )
