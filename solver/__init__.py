"""Salon solver: pure optimisation package (no Flask, no SQLAlchemy, no salon import)."""
