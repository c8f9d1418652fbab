"""Organisations (buyers and ESS suppliers) and the people who act for them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from salon.extensions import db
from salon.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from salon.models.accounts import User

# ESS structure types (codes stored; labels live in salon/domain.py).
STRUCTURE_TYPES = (
    "aci", "ai", "ei", "etti", "eiti", "ea", "esat", "scop", "scic", "association",
    "fondation", "mutuelle", "cooperative", "esus", "commerce_equitable", "qpv",
)  # fmt: skip
BUYER_KINDS = (
    "region", "departement", "commune", "intercommunalite", "hopital", "bailleur_social",
    "etat", "etablissement_public", "grande_entreprise", "eti", "pme", "autre",
)  # fmt: skip


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("siret IS NULL OR length(siret) = 14", name="siret_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str | None] = mapped_column(String(14), index=True)
    legal_form: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20), default="supplier")  # buyer | supplier
    buyer_kind: Mapped[str | None] = mapped_column(String(40))
    structure_types: Mapped[list] = mapped_column(JSON, default=list)
    ess_status: Mapped[str] = mapped_column(String(100), default="")
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    departements: Mapped[list] = mapped_column(JSON, default=list)
    territory: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    offer: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(Text, default="")
    purchases_planned: Mapped[str] = mapped_column(Text, default="")
    references: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    # Lower-case, accent-free copy of the searchable text, kept by the services.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    members: Mapped[list[OrganisationMember]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"


class OrganisationMember(db.Model):
    """A user account that acts for an organisation."""

    __tablename__ = "organisation_members"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")  # admin | member

    organisation: Mapped[Organisation] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
