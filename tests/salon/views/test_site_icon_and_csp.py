"""The site icon answers at /favicon.ico, and htmx runs without the inline style the CSP would refuse."""

from __future__ import annotations

import json
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[3] / "static"


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert client.get("/static/favicon.svg").status_code == 200


def test_htmx_is_told_not_to_inject_its_indicator_style(client):
    page = client.get("/").get_data(as_text=True)
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert config is not None and json.loads(config.group(1))["includeIndicatorStyles"] is False
    css = (STATIC / "css" / "salon.css").read_text()
    assert ".htmx-request .htmx-indicator" in css and ".htmx-indicator { opacity: 0;" in css
    assert "style=" not in page and "<style" not in page
