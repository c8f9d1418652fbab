"""Review and adjust: a grid (slots x tables) of a draft or of the published agenda; move, swap, lock or add
a meeting, each checked at once by the solver's validator (cancelling is confirmed first: confirm.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import select

from salon.auth import organiser_fair_or_404
from salon.extensions import db
from salon.forms import parse_id
from salon.forms.organiser import AddMeetingForm, MoveForm, SwapForm, set_pair_choices
from salon.labels import pair_label
from salon.models import DraftMeeting, Fair, Meeting, ScheduleRun
from salon.services import DomainError
from salon.services import meetings as edits
from salon.services import participants_admin as admin
from salon.views.organiser import bp
from salon.views.organiser.participants import participant_or_404, slot_label
from salon.views.organiser.schedule import run_or_404

# A draft is the organisers' own until it is published: nobody is told of its changes.
DRAFT_CHANGED = _l("Change saved in the draft: participants are told only when you publish it.")


def _rows(fair: Fair, run: ScheduleRun | None) -> list:
    if run is not None:
        return sorted(run.drafts, key=lambda d: d.id)
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.fair_id == fair.id, Meeting.status.in_(("scheduled", "held")))
        )
    )


def _forms(fair: Fair, rows: list, current=None) -> dict:  # noqa: ANN001
    """Build the edit forms with this fair's choices."""
    move, swap, add = MoveForm(prefix="move"), SwapForm(prefix="swap"), AddMeetingForm(prefix="add")
    slots = [(s.id, slot_label(s)) for s in fair.slots]
    tables = [(t.id, t.name) for t in fair.tables]
    move.slot_id.choices = add.slot_id.choices = slots
    move.table_id.choices = add.table_id.choices = tables
    if current is not None and request.method == "GET":
        move.slot_id.data, move.table_id.data = current.slot_id, current.table_id
    swap.other_id.choices = [
        (
            r.id,
            f"{slot_label(r.slot)} · {r.table.name} · {pair_label(r)}",
        )
        for r in sorted(rows, key=lambda r: (r.slot.starts_at, r.table.position))
        if current is None or r.id != current.id
    ]
    people = admin.list_participants(fair, status="approved")
    set_pair_choices(add, fair.supplier_meetings != "off", people)
    return {"move": move, "swap": swap, "add": add}


def _grid(fair: Fair, run: ScheduleRun | None, status: int = 200, forms: dict | None = None):
    rows = _rows(fair, run)
    cells = {(r.slot_id, r.table_id): r for r in rows}
    person = None
    person_id = parse_id(request.args.get("participant"))
    if person_id is not None:
        person = participant_or_404(fair, person_id)
    agenda = sorted(
        (r for r in rows if person and person.id in (r.participant_a_id, r.participant_b_id)),
        key=lambda r: r.slot.starts_at,
    )
    return render_template(
        "organiser/grid.html",
        fair=fair,
        run=run,
        cells=cells,
        person=person,
        agenda=agenda,
        forms=forms or _forms(fair, rows),
        count=len(rows),
        people=admin.list_participants(fair, status="approved"),
    ), status


@bp.get("/fairs/<int:fair_id>/runs/<int:run_id>/grid")
@login_required
def draft_grid(fair_id: int, run_id: int):
    fair = organiser_fair_or_404(fair_id)
    return _grid(fair, run_or_404(fair, run_id))


@bp.get("/fairs/<int:fair_id>/meetings")
@login_required
def published(fair_id: int):
    return _grid(organiser_fair_or_404(fair_id), None)


def _draft_or_404(run: ScheduleRun, draft_id: int) -> DraftMeeting:
    draft = db.session.get(DraftMeeting, draft_id)
    if draft is None or draft.run_id != run.id:
        abort(404)
    return draft


def _meeting_or_404(fair: Fair, meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.fair_id != fair.id:
        abort(404)
    return meeting


def _apply(fair: Fair, run: ScheduleRun | None, item, forms: dict) -> str:  # noqa: ANN001
    """Run the edit named by the form's `action` and say what it did (raises DomainError when refused)."""
    action = request.form.get("action", "")
    if action == "move" and forms["move"].validate():
        slot_id, table_id = forms["move"].slot_id.data, forms["move"].table_id.data
        if run:
            edits.move_draft(fair, run, item, slot_id, table_id)
            return str(DRAFT_CHANGED)
        return _told(edits.move_meeting(fair, item, slot_id, table_id))
    if action == "swap" and forms["swap"].validate():
        other_id = forms["swap"].other_id.data
        other = _draft_or_404(run, other_id) if run else _meeting_or_404(fair, other_id)
        if run:
            edits.swap_drafts(fair, run, item, other)
            return str(DRAFT_CHANGED)
        return _told(edits.swap_meetings(fair, item, other))
    if action in ("lock", "unlock"):
        locked = action == "lock"
        edits.lock_draft(run, item, locked) if run else edits.lock_meeting(fair, item, locked)
        return _("Meeting locked in place.") if locked else _("Meeting unlocked.")
    # cancelling goes through its confirmation page (organiser.meeting_cancel, organiser.draft_cancel)
    raise DomainError(_("Choose a valid action."), "action")


def _told(done: edits.Relocated) -> str:
    """Say what a change of the published agenda did, and whether e-mails tell the participants."""
    if not done.meetings:
        return _("The meeting is already there: nothing changed.")
    if done.meetings == 1 and done.emails:
        return ngettext(
            "Meeting moved: %(num)d e-mail giving the new time and table is queued.",
            "Meeting moved: %(num)d e-mails giving the new time and table are queued.",
            done.emails,
        )
    if done.meetings == 1:
        return _("Meeting moved, but neither organisation has an e-mail address: tell them yourself.")
    if done.emails:
        return ngettext(
            "Meetings swapped: %(num)d e-mail giving the new times and tables is queued.",
            "Meetings swapped: %(num)d e-mails giving the new times and tables are queued.",
            done.emails,
        )
    return _("Meetings swapped, but the organisations have no e-mail address: tell them yourself.")


def _detail(fair: Fair, run: ScheduleRun | None, item):  # noqa: ANN001, ANN202
    forms = _forms(fair, _rows(fair, run), item)
    back = (
        url_for("organiser.draft_grid", fair_id=fair.id, run_id=run.id)
        if run
        else url_for("organiser.published", fair_id=fair.id)
    )
    status = 200
    if request.method == "POST":
        try:
            message = _apply(fair, run, item, forms)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = 422
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(back, 303)
    return render_template(
        "organiser/meeting.html", fair=fair, run=run, item=item, forms=forms, back=back
    ), status


@bp.route("/fairs/<int:fair_id>/runs/<int:run_id>/drafts/<int:draft_id>", methods=["GET", "POST"])
@login_required
def draft_detail(fair_id: int, run_id: int, draft_id: int):
    fair = organiser_fair_or_404(fair_id)
    run = run_or_404(fair, run_id)
    return _detail(fair, run, _draft_or_404(run, draft_id))


@bp.route("/fairs/<int:fair_id>/meetings/<int:meeting_id>", methods=["GET", "POST"])
@login_required
def meeting_detail(fair_id: int, meeting_id: int):
    fair = organiser_fair_or_404(fair_id)
    return _detail(fair, None, _meeting_or_404(fair, meeting_id))


def _add(fair: Fair, run: ScheduleRun | None):  # noqa: ANN202
    forms = _forms(fair, _rows(fair, run))
    form = forms["add"]
    if form.validate():
        a = participant_or_404(fair, form.participant_a.data)
        b = participant_or_404(fair, form.participant_b.data)
        try:
            (
                edits.add_draft(fair, run, a, b, form.slot_id.data, form.table_id.data)
                if run
                else edits.add_meeting(fair, a, b, form.slot_id.data, form.table_id.data)
            )
        except DomainError as exc:
            db.session.rollback()
            form.participant_b.errors = [*form.participant_b.errors, exc.message]
        else:
            db.session.commit()
            flash(_("Meeting added."), "success")
            target = (
                url_for("organiser.draft_grid", fair_id=fair.id, run_id=run.id)
                if run
                else url_for("organiser.published", fair_id=fair.id)
            )
            return redirect(target, 303)
    return _grid(fair, run, 422, forms)


@bp.post("/fairs/<int:fair_id>/runs/<int:run_id>/drafts/add")
@login_required
def draft_add(fair_id: int, run_id: int):
    fair = organiser_fair_or_404(fair_id)
    return _add(fair, run_or_404(fair, run_id))


@bp.post("/fairs/<int:fair_id>/meetings/add")
@login_required
def meeting_add(fair_id: int):
    return _add(organiser_fair_or_404(fair_id), None)
