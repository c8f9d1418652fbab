"""Error pages (403, 404, 500), in the user's language."""

from __future__ import annotations

from flask import Flask, render_template

from salon.extensions import db


def register(app: Flask) -> None:
    """Attach the error handlers to the app."""

    @app.errorhandler(403)
    def forbidden(error):  # noqa: ANN001, ANN202
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(error):  # noqa: ANN001, ANN202
        return render_template("errors/404.html"), 404

    @app.errorhandler(413)
    def too_large(error):  # noqa: ANN001, ANN202
        return render_template("errors/413.html"), 413

    @app.errorhandler(500)
    def server_error(error):  # noqa: ANN001, ANN202
        db.session.rollback()
        return render_template("errors/500.html"), 500
