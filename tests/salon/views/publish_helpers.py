"""Publishing through the organiser's pages: open the preview, then confirm what it showed."""

from __future__ import annotations

import re


def preview_digest(client, fair_id: int, run_id: int) -> tuple[str, str]:
    """Open the publication preview; return its page and the digest its confirm form carries."""
    response = client.get(f"/orga/fairs/{fair_id}/runs/{run_id}/publish")
    assert response.status_code == 200, response.status_code
    page = response.get_data(as_text=True)
    match = re.search(r'<input id="digest" name="digest" type="hidden" value="([0-9a-f]{64})">', page)
    assert match, "the preview has no confirm form"
    return page, match.group(1)


def publish_through_preview(client, fair_id: int, run_id: int):
    """Publish a run as an organiser does: preview, then confirm; return the confirm's response."""
    _page, digest = preview_digest(client, fair_id, run_id)
    return client.post(f"/orga/fairs/{fair_id}/runs/{run_id}/publish", data={"digest": digest})
