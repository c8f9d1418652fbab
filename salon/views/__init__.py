"""Blueprints by audience: public, auth, participant (/p), organiser (/orga)."""
