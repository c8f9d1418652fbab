"""The fair's e-mails: every message with its state and the reason of each failure; send failed ones again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms import parse_id
from salon.services import DomainError, outbox
from salon.services.notice_rendering import preparing
from salon.views.organiser import bp


@bp.get("/fairs/<int:fair_id>/messages")
@login_required
def messages(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    status = request.args.get("status")
    status = status if status in outbox.STATUSES else None
    page = outbox.fair_messages(fair, status, parse_id(request.args.get("page")) or 1)
    return render_template(
        "organiser/messages.html",
        fair=fair,
        status=status,
        page=page,
        counts=outbox.outbox_counts(fair),
        preparing=preparing(fair.id),
        status_labels=outbox.STATUS_LABELS,
        kind_label=outbox.kind_label,
        failure_reason=outbox.failure_reason,
    )


@bp.post("/fairs/<int:fair_id>/messages/<int:message_id>/resend")
@login_required
def message_resend(fair_id: int, message_id: int):
    fair = organiser_fair_or_404(fair_id)
    message = outbox.message_of_fair(fair, message_id)
    if message is None:
        abort(404)
    try:
        outbox.resend(message)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organiser.messages", fair_id=fair.id), 303)
    db.session.commit()
    flash(_("The e-mail to %(to)s is back in line: it leaves the next time the mail sender runs.",
            to=message.to_address), "success")  # fmt: skip
    return redirect(url_for("organiser.messages", fair_id=fair.id), 303)


@bp.post("/fairs/<int:fair_id>/messages/resend-failed")
@login_required
def messages_resend_failed(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    count = outbox.resend_failed(fair)
    db.session.commit()
    if count:
        flash(ngettext("%(num)d failed e-mail is back in line.", "%(num)d failed e-mails are back in line.",
                       count), "success")  # fmt: skip
    else:
        flash(_("No failed e-mail to send again."), "info")
    return redirect(url_for("organiser.messages", fair_id=fair.id), 303)
