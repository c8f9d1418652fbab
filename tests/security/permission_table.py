"""The permission matrix: every (endpoint, method) of the app and who may use it.

A route missing here fails tests/security/test_permission_matrix.py. Read the view before adding one:
organiser pages use organiser_fair_or_404, participant pages participant_or_404 (404 for the others).
"""

from __future__ import annotations

from tests.security.matrix import (
    ACT,
    BAD,
    LOGIN,
    NF,
    OK,
    ORGANISER,
    OWN,
    PUBLIC,
    REDIR,
    SIGNED_IN,
    Entry,
    acting,
    roles,
)

E = Entry
T = "token"
# On organiser pages a participant of this fair is in reach: the foreign one is another fair's.
FOREIGN_P = {"participant_id": (lambda w: w.foreign.id, NF)}
# An agenda link names a participant and the address it was sent to: another participant's id is 404.
AGENDA_SWAP = {T: (lambda w: w.tokens["foreign_agenda"], NF)}

MATRIX: dict[tuple[str, str], Entry] = {
    # --- public, sign-in, static
    ("static", "GET"): E(PUBLIC),
    ("ops.healthz", "GET"): E(PUBLIC),  # for the load balancer: no secret in it
    ("public.index", "GET"): E(PUBLIC),
    ("public.favicon", "GET"): E(PUBLIC),
    ("public.set_language", "GET"): E(roles(REDIR)),
    ("public.fair", "GET"): E(PUBLIC),
    ("public.register", "GET"): E(PUBLIC),
    ("public.register", "POST"): E(roles(ACT)),
    ("public.register_sent", "GET"): E(PUBLIC),
    # An already confirmed address: the link sends to the sign-in page unless signed in already.
    ("public.confirm_email", "GET"): E(
        roles(REDIR, anonymous=LOGIN),
        params={T: lambda w: w.tokens["confirm"]},
        swaps={T: (lambda w: "forged.token.x", BAD)},
    ),
    ("public.calendar_feed", "GET"): E(PUBLIC, params={T: lambda w: w.tokens["participant_feed"]}),
    # The agenda e-mail's link: the signed token names the participant and the address it was sent to.
    ("public.agenda_link", "GET"): E(PUBLIC, params={T: lambda w: w.tokens["agenda"]}, swaps=AGENDA_SWAP),
    ("public.agenda_link_ics", "GET"): E(PUBLIC, params={T: lambda w: w.tokens["agenda"]}, swaps=AGENDA_SWAP),
    ("public.legal_page", "GET"): E(PUBLIC),
    ("public.board", "GET"): E(PUBLIC, params={T: lambda w: w.tokens["board"]}),
    ("public.board_live", "GET"): E(PUBLIC, params={T: lambda w: w.tokens["board"]}),
    # Invitation links: the signed token names the invitation; only its address's account may accept it
    # (the world invited the outsider's address). A tampered token is refused with a message (400).
    ("public.invitation", "GET"): E(
        PUBLIC, params={T: lambda w: w.tokens["invitation"]}, swaps={T: (lambda w: "forged.token", BAD)}
    ),
    ("public.invitation_accept", "POST"): E(
        roles(403, anonymous=LOGIN, outsider=ACT),
        params={T: lambda w: w.tokens["invitation"]},
        swaps={T: (lambda w: "forged.token", BAD)},
    ),
    # Creating the invited address's account: for visitors not signed in; the others go back to the page.
    ("public.invitation_account", "POST"): E(
        roles(REDIR, anonymous=ACT),
        params={T: lambda w: w.tokens["invitation"]},
        swaps={T: (lambda w: "forged.token", BAD)},
    ),
    ("auth.login", "GET"): E(PUBLIC),
    ("auth.login", "POST"): E(roles(ACT)),
    ("auth.logout", "POST"): E(acting(SIGNED_IN)),
    # Forgotten password: the same page for everyone; the reset link's signed token is the credential.
    ("auth.password_forgot", "GET"): E(PUBLIC),
    ("auth.password_forgot", "POST"): E(roles(ACT)),
    ("auth.password_reset_page", "GET"): E(
        PUBLIC, params={T: lambda w: w.tokens["reset"]}, swaps={T: (lambda w: "forged.token", BAD)}
    ),
    ("auth.password_reset_page", "POST"): E(
        roles(ACT), params={T: lambda w: w.tokens["reset"]}, swaps={T: (lambda w: "forged.token", BAD)}
    ),
    ("auth.password_change", "GET"): E(SIGNED_IN),
    ("auth.password_change", "POST"): E(acting(SIGNED_IN)),
    # --- any signed-in person: their own lists and account
    ("organiser.home", "GET"): E(SIGNED_IN),
    # Accepting from the landing page: only the account whose confirmed address was invited (the outsider);
    # another address's invitation id answers 404.
    ("organiser.invitation_accept", "POST"): E(roles(NF, anonymous=LOGIN, outsider=ACT)),
    ("participant.home", "GET"): E(SIGNED_IN),
    ("participant.resend_confirmation", "POST"): E(acting(SIGNED_IN)),
    ("participant.export_data", "GET"): E(SIGNED_IN),
    ("participant.delete_account", "GET"): E(SIGNED_IN),
    ("participant.delete_account", "POST"): E(acting(SIGNED_IN)),
    # --- participant's own pages (/p/<participant_id>/...)
    ("participant.agenda", "GET"): E(OWN),
    ("participant.agenda_pdf", "GET"): E(OWN),
    ("participant.calendar_ics", "GET"): E(OWN),
    ("participant.calendar_page", "GET"): E(OWN),
    ("participant.calendar_token", "POST"): E(acting(OWN)),
    ("participant.calendar_token_revoke", "POST"): E(acting(OWN)),
    ("participant.add_attendee", "POST"): E(acting(OWN)),
    ("participant.remove_attendee", "POST"): E(acting(OWN)),
    ("participant.availability_page", "GET"): E(OWN),
    ("participant.availability_page", "POST"): E(acting(OWN)),
    ("participant.catalogue_page", "GET"): E(OWN),
    ("participant.counterpart", "GET"): E(OWN),
    ("participant.profile", "GET"): E(OWN),
    ("participant.profile", "POST"): E(acting(OWN)),
    ("participant.set_wish", "POST"): E(acting(OWN), data=lambda w: {"target_id": w.target.id, "choice": 3}),
    ("participant.accept_own_replacement", "POST"): E(acting(OWN)),
    ("participant.mark_own_meeting", "POST"): E(acting(OWN), data=lambda w: {"status": "held"}),
    ("participant.cancel_own_meeting", "GET"): E(OWN),
    ("participant.cancel_own_meeting", "POST"): E(acting(OWN)),
    # Outcome links: the signed token is the credential, whoever follows it.
    ("participant.outcome_form", "GET"): E(PUBLIC, params={T: lambda w: w.tokens["outcome"]}),
    ("participant.outcome_form", "POST"): E(roles(ACT), params={T: lambda w: w.tokens["outcome"]}),
    ("participant.wishes_page", "GET"): E(OWN),
    # --- organiser of this fair (/orga/fairs/<fair_id>/...)
    ("organiser.calendar_page", "GET"): E(ORGANISER),
    ("organiser.calendar_fair_ics", "GET"): E(ORGANISER),
    ("organiser.calendar_table_ics", "GET"): E(ORGANISER),
    ("organiser.calendar_feed_create", "POST"): E(acting(ORGANISER)),
    ("organiser.calendar_feed_revoke", "POST"): E(acting(ORGANISER)),
    ("organiser.day", "GET"): E(ORGANISER),
    ("organiser.presence", "GET"): E(ORGANISER),
    ("organiser.scanned", "GET"): E(
        ORGANISER,
        params={T: lambda w: w.tokens["checkin"]},
        swaps={T: (lambda w: w.tokens["foreign_checkin"], REDIR)},
    ),
    ("organiser.do_check_in", "POST"): E(acting(ORGANISER)),
    ("organiser.slot_view", "GET"): E(ORGANISER),
    ("organiser.set_status", "POST"): E(acting(ORGANISER)),
    ("organiser.accept", "POST"): E(acting(ORGANISER)),
    ("organiser.walk_in", "POST"): E(acting(ORGANISER)),
    ("organiser.dashboard", "GET"): E(ORGANISER),
    # Any signed-in person sees the form; only accounts allowed to create fairs succeed (422 otherwise).
    ("organiser.fair_new", "GET"): E(SIGNED_IN),
    ("organiser.fair_new", "POST"): E(
        roles(422, anonymous=LOGIN, organiser=ACT, other_organiser=ACT), data=lambda w: {"name": "Salon X"}
    ),
    ("organiser.settings", "GET"): E(ORGANISER),
    ("organiser.settings", "POST"): E(acting(ORGANISER)),
    ("organiser.phase", "POST"): E(acting(ORGANISER)),
    ("organiser.phase_unpublish", "GET"): E(ORGANISER),
    ("organiser.slots", "GET"): E(ORGANISER),
    ("organiser.slots", "POST"): E(acting(ORGANISER)),
    # Without the slots form in its query string, the confirmation sends back to the slots page.
    ("organiser.slots_regenerate", "GET"): E(roles(NF, anonymous=LOGIN, organiser=REDIR)),
    ("organiser.slot_delete", "POST"): E(acting(ORGANISER)),
    ("organiser.tables", "POST"): E(acting(ORGANISER)),
    ("organiser.organisers", "GET"): E(ORGANISER),
    ("organiser.organisers", "POST"): E(acting(ORGANISER)),
    ("organiser.organiser_remove", "POST"): E(acting(ORGANISER)),
    ("organiser.invitation_revoke", "POST"): E(acting(ORGANISER)),
    ("organiser.invitation_resend", "POST"): E(acting(ORGANISER)),
    ("organiser.participants", "GET"): E(ORGANISER),
    ("organiser.participant_new", "GET"): E(ORGANISER),
    ("organiser.participant_new", "POST"): E(acting(ORGANISER)),
    ("organiser.participant_edit", "GET"): E(ORGANISER, swaps=FOREIGN_P),
    ("organiser.participant_edit", "POST"): E(acting(ORGANISER), swaps=FOREIGN_P),
    ("organiser.participant_constraints", "POST"): E(acting(ORGANISER), swaps=FOREIGN_P),
    ("organiser.participant_status", "POST"): E(acting(ORGANISER), swaps=FOREIGN_P),
    # Accounts for the fair's entries: invitations, requests found by SIRET, acting for a participant.
    ("organiser.participants_invite", "POST"): E(acting(ORGANISER)),
    ("organiser.participant_invite", "POST"): E(acting(ORGANISER), swaps=FOREIGN_P),
    ("organiser.claim_decide", "POST"): E(acting(ORGANISER)),
    ("organiser.participant_wishes", "GET"): E(ORGANISER, swaps=FOREIGN_P),
    ("organiser.participant_wishes", "POST"): E(acting(ORGANISER), swaps=FOREIGN_P),
    ("organiser.participant_availability", "GET"): E(ORGANISER, swaps=FOREIGN_P),
    ("organiser.participant_availability", "POST"): E(acting(ORGANISER), swaps=FOREIGN_P),
    ("organiser.participant_profile", "GET"): E(ORGANISER, swaps=FOREIGN_P),
    ("organiser.participant_profile", "POST"): E(acting(ORGANISER), swaps=FOREIGN_P),
    ("organiser.import_page", "GET"): E(ORGANISER),
    ("organiser.import_page", "POST"): E(acting(ORGANISER)),
    ("organiser.import_template", "GET"): E(ORGANISER, params={"fmt": lambda w: "xlsx"}),
    # An import in progress: the fair's organisers only; another fair's upload answers 404.
    ("organiser.import_columns", "GET"): E(ORGANISER),
    ("organiser.import_columns", "POST"): E(acting(ORGANISER)),
    ("organiser.import_values", "GET"): E(ORGANISER),
    ("organiser.import_values", "POST"): E(acting(ORGANISER)),
    ("organiser.import_check", "GET"): E(ORGANISER),
    ("organiser.import_check", "POST"): E(acting(ORGANISER)),
    ("organiser.import_abandon", "POST"): E(acting(ORGANISER)),
    ("organiser.export", "GET"): E(ORGANISER, params={"what": lambda w: "participants"}),
    ("organiser.mandatory", "GET"): E(ORGANISER),
    ("organiser.mandatory", "POST"): E(acting(ORGANISER)),
    ("organiser.mandatory_delete", "POST"): E(acting(ORGANISER)),
    ("organiser.schedule", "GET"): E(ORGANISER),
    ("organiser.schedule", "POST"): E(acting(ORGANISER)),
    ("organiser.run_page", "GET"): E(ORGANISER),
    ("organiser.run_progress", "GET"): E(ORGANISER),
    ("organiser.run_cancel", "POST"): E(acting(ORGANISER)),
    # The publication preview, then its confirmation (an empty form: 422; a stale digest: 409).
    ("organiser.run_publish_preview", "GET"): E(ORGANISER),
    ("organiser.run_publish", "POST"): E(acting(ORGANISER)),
    # The fair's e-mails and resending a failed one: another fair's message id answers 404.
    ("organiser.messages", "GET"): E(ORGANISER),
    ("organiser.message_resend", "POST"): E(
        acting(ORGANISER),
        params={"message_id": lambda w: w.messages["fair"]},
        swaps={"message_id": (lambda w: w.messages["foreign"], NF)},
    ),
    ("organiser.messages_resend_failed", "POST"): E(acting(ORGANISER)),
    ("organiser.run_report", "GET"): E(ORGANISER),
    ("organiser.run_report_csv", "GET"): E(ORGANISER),
    ("organiser.draft_grid", "GET"): E(ORGANISER),
    ("organiser.draft_add", "POST"): E(acting(ORGANISER)),
    ("organiser.draft_detail", "GET"): E(ORGANISER),
    ("organiser.draft_detail", "POST"): E(acting(ORGANISER)),
    ("organiser.published", "GET"): E(ORGANISER),
    ("organiser.meeting_add", "POST"): E(acting(ORGANISER)),
    ("organiser.meeting_detail", "GET"): E(ORGANISER),
    ("organiser.meeting_detail", "POST"): E(acting(ORGANISER)),
    ("organiser.meeting_cancel", "GET"): E(ORGANISER),
    ("organiser.meeting_cancel", "POST"): E(acting(ORGANISER)),
    ("organiser.draft_cancel", "GET"): E(ORGANISER),
    ("organiser.draft_cancel", "POST"): E(acting(ORGANISER)),
    ("organiser.printouts_page", "GET"): E(ORGANISER),
    ("organiser.print_start", "POST"): E(acting(ORGANISER)),
    ("organiser.print_progress", "GET"): E(ORGANISER),
    ("organiser.print_download", "GET"): E(ORGANISER),
    ("organiser.board_link", "GET"): E(ORGANISER),
    ("organiser.board_renew", "POST"): E(acting(ORGANISER)),
    ("organiser.day_message", "GET"): E(ORGANISER),
    ("organiser.day_message", "POST"): E(acting(ORGANISER)),
    ("organiser.funders_report", "GET"): E(ORGANISER),
    ("organiser.funders_report_file", "GET"): E(ORGANISER),
    ("organiser.legal_edit", "GET"): E(ORGANISER),
    ("organiser.legal_edit", "POST"): E(acting(ORGANISER)),
    ("organiser.purge", "GET"): E(ORGANISER),
    ("organiser.purge", "POST"): E(acting(ORGANISER)),
}

__all__ = ["LOGIN", "MATRIX", "NF", "OK"]
