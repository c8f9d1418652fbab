"""Confirmation steps before what cannot be undone: a page (GET) that says what will happen, then a POST
with CSRF. Cancelling a meeting (published or in a draft), regenerating slots, purging personal data,
taking a published fair back to the scheduling phase."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms.organiser import SlotsForm
from salon.labels import MEETING_STATUS_LABELS, label, pair_label
from salon.models import Fair
from salon.models.base import utcnow
from salon.services import DomainError, confirmations, fairs, retention
from salon.services import meetings as edits
from salon.services.publishing import ACTIVE
from salon.views.organiser import bp
from salon.views.organiser.review import _draft_or_404, _meeting_or_404
from salon.views.organiser.schedule import run_or_404
from salon.views.organiser.setup import slot_request
from salon.views.public.home import safe_next


def _facts(fair: Fair, item) -> list[tuple[str, str]]:  # noqa: ANN001
    from salon.templating import local_datetime

    return [
        (_("Organisations"), pair_label(item)),
        (_("When"), local_datetime(item.slot.starts_at, fair, "EEEE d MMMM y, HH:mm")),
        (_("Table"), item.table.name),
    ]


def _page(fair: Fair, **context):  # noqa: ANN003, ANN202
    context.setdefault("refusal", None)
    context.setdefault("hidden", [])
    context.setdefault("facts", [])
    return render_template("organiser/confirm.html", fair=fair, **context)


@bp.route("/fairs/<int:fair_id>/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@login_required
def meeting_cancel(fair_id: int, meeting_id: int):
    fair = organiser_fair_or_404(fair_id)
    meeting = _meeting_or_404(fair, meeting_id)
    back = safe_next(
        request.values.get("next"),
        url_for("organiser.meeting_detail", fair_id=fair.id, meeting_id=meeting.id),
    )
    if request.method == "POST":
        try:
            edits.cancel_meeting(fair, meeting)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Meeting cancelled: both organisations are told."), "success")
        return redirect(back, 303)
    refusal = None
    if meeting.status not in ACTIVE:
        refusal = _("This meeting is already cancelled.")
    elif fair.phase != "published":
        refusal = _("Published meetings can only be edited while the fair is published.")
    facts = [*_facts(fair, meeting), (_("Status"), label(MEETING_STATUS_LABELS, meeting.status))]
    consequences = [
        _("Both organisations are told by e-mail, and the meeting is removed from their calendars."),
        _("The table and the slot become free: on the day, the waiting list can offer them to others."),
        _("A cancelled meeting cannot be restored; you can add a new meeting afterwards."),
    ]
    return _page(
        fair,
        title=_("Cancel this meeting?"),
        facts=facts,
        consequences=consequences,
        refusal=refusal,
        back=back,
        hidden=[("next", back)],
        confirm_label=_("Yes, cancel this meeting"),
    )


@bp.route("/fairs/<int:fair_id>/runs/<int:run_id>/drafts/<int:draft_id>/cancel", methods=["GET", "POST"])
@login_required
def draft_cancel(fair_id: int, run_id: int, draft_id: int):
    fair = organiser_fair_or_404(fair_id)
    run = run_or_404(fair, run_id)
    draft = _draft_or_404(run, draft_id)
    if request.method == "POST":
        try:
            edits.cancel_draft(run, draft)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Meeting removed from the draft."), "success")
        return redirect(url_for("organiser.draft_grid", fair_id=fair.id, run_id=run.id), 303)
    consequences = [
        _("The meeting is removed from this draft. Nothing is sent: the draft is not published."),
        _("A later computation may propose this pair again; lock the meetings you want to keep."),
    ]
    back = url_for("organiser.draft_detail", fair_id=fair.id, run_id=run.id, draft_id=draft.id)
    refusal = None if run.status == "done" else _("Only a finished schedule can be edited.")
    return _page(
        fair,
        title=_("Remove this meeting from the draft?"),
        facts=_facts(fair, draft),
        consequences=consequences,
        back=back,
        refusal=refusal,
        confirm_label=_("Yes, remove it from the draft"),
    )


@bp.get("/fairs/<int:fair_id>/phase/unpublish")
@login_required
def phase_unpublish(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    consequences = [
        _(
            "Participants no longer see their agenda on Salon until you publish again; the e-mails already "
            "sent and the calendars keep the published meetings."
        ),
        _("Published meetings can no longer be moved, added or cancelled until you publish again."),
        _(
            "To compute a new schedule (late registrations, changes), there is no need to go back: compute "
            "and publish it while the fair is published."
        ),
    ]
    refusal = None if fair.phase == "published" else _("The fair is not published.")
    return _page(
        fair,
        title=_("Go back to the scheduling phase?"),
        consequences=consequences,
        refusal=refusal,
        back=url_for("organiser.dashboard", fair_id=fair.id),
        action=url_for("organiser.phase", fair_id=fair.id),
        hidden=[("phase", "scheduling"), ("confirmed", "1")],
        confirm_label=_("Yes, go back to the scheduling phase"),
    )


@bp.get("/fairs/<int:fair_id>/slots/regenerate")
@login_required
def slots_regenerate(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    form = SlotsForm(formdata=request.args, meta={"csrf": False})
    parsed = slot_request(fair, form) if form.validate() else None
    if parsed is None:
        return redirect(url_for("organiser.slots", fair_id=fair.id), 303)
    change = confirmations.slots_change(fair, *parsed)
    refusal = None
    if fairs.schedule_frozen(fair):
        refusal = _("Slots cannot be regenerated once meetings are published.")
    elif not parsed[0] or not parsed[1]:
        refusal = _("Give at least one day and one session.")
    page = url_for("organiser.slots", fair_id=fair.id)
    hidden = [*((k, v) for k, v in request.args.items(multi=True) if k in form), ("confirmed", "1")]
    return _page(
        fair,
        title=_("Replace every slot?"),
        consequences=_slot_consequences(change),
        refusal=refusal,
        back=page,
        action=page,
        hidden=hidden,
        confirm_label=_("Yes, replace the slots"),
    )


def _slot_consequences(change: confirmations.SlotsChange) -> list[str]:
    lines = [
        ngettext(
            "The %(num)d current slot is deleted.", "The %(num)d current slots are deleted.", change.old_slots
        ),
        ngettext("%(num)d new slot is created", "%(num)d new slots are created", change.new_slots)
        + " "
        + ngettext("over %(num)d day.", "over %(num)d days.", change.days),
    ]
    if change.unavailable_participants:
        lines.append(
            ngettext(
                "%(num)d participant's unavailable slots are forgotten: they will have to say them again.",
                "%(num)d participants' unavailable slots are forgotten: they will have to say them again.",
                change.unavailable_participants,
            )
        )
    if change.draft_meetings:
        lines.append(
            ngettext(
                "Draft meetings deleted: %(meetings)d, in %(num)d computation; compute again.",
                "Draft meetings deleted: %(meetings)d, in %(num)d computations; compute again.",
                change.draft_runs,
                meetings=change.draft_meetings,
            )
        )
    if change.pinned_mandatory:
        lines.append(
            ngettext(
                "%(num)d mandatory meeting loses its fixed slot or session.",
                "%(num)d mandatory meetings lose their fixed slot or session.",
                change.pinned_mandatory,
            )
        )
    return lines


@bp.route("/fairs/<int:fair_id>/purge", methods=["GET", "POST"])
@login_required
def purge(fair_id: int):
    fair = organiser_fair_or_404(fair_id)
    if request.method == "POST":
        try:
            retention.purge_fair(fair, utcnow())
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for("organiser.purge", fair_id=fair.id), 303)
        db.session.commit()
        flash(_("The personal data of the fair are deleted; its figures are kept."), "success")
        return redirect(url_for("organiser.dashboard", fair_id=fair.id), 303)
    refusal = None
    if fair.purged_at is not None:
        refusal = _("This fair was already purged.")
    elif fair.phase != "closed":
        refusal = _("Only a closed fair can be purged.")
    return _page(
        fair,
        title=_("Delete the personal data of this fair?"),
        facts=_purge_facts(fair),
        consequences=_purge_consequences(confirmations.purge_change(fair)),
        refusal=refusal,
        back=url_for("organiser.dashboard", fair_id=fair.id),
        confirm_label=_("Yes, delete the personal data"),
    )


def _purge_facts(fair: Fair) -> list[tuple[str, str]]:
    from salon.templating import local_date

    due = retention.purge_date(fair)
    return [(_("Planned deletion date"), local_date(due, fair) if due else "—")]


def _purge_consequences(change: confirmations.PurgeChange) -> list[str]:
    return [
        ngettext(
            "%(num)d attendee (name, e-mail, check-in) is deleted.",
            "%(num)d attendees (names, e-mails, check-ins) are deleted.",
            change.attendees,
        ),
        ngettext(
            "%(num)d e-mail in the outbox is deleted.",
            "%(num)d e-mails in the outbox are deleted.",
            change.messages,
        ),
        _(
            "Invitations (%(invitations)d), calendar feeds (%(feeds)d), reminders sent (%(reminders)d) and "
            "the organiser's private notes (%(notes)d) are deleted, with the fair's contact e-mail.",
            invitations=change.invitations,
            feeds=change.feeds,
            reminders=change.reminders,
            notes=change.notes,
        ),
        _("Kept: the figures of the funders' report, the organisations and their meetings."),
        _("This cannot be undone."),
    ]
