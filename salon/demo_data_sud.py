"""Plausible names for the larger SO EKO-style demo fair in Provence-Alpes-Côte d'Azur (fictional data)."""

from __future__ import annotations

# Every town of this fair: its département and postcode.
TOWN_INFO: dict[str, tuple[str, str]] = {
    "Marseille": ("13", "13001"), "Aix-en-Provence": ("13", "13100"), "Arles": ("13", "13200"),
    "Aubagne": ("13", "13400"), "Martigues": ("13", "13500"), "Istres": ("13", "13800"),
    "Salon-de-Provence": ("13", "13300"), "Toulon": ("83", "83000"), "Hyères": ("83", "83400"),
    "Fréjus": ("83", "83600"), "Draguignan": ("83", "83300"), "La Seyne-sur-Mer": ("83", "83500"),
    "Brignoles": ("83", "83170"), "Nice": ("06", "06000"), "Cannes": ("06", "06400"),
    "Antibes": ("06", "06600"), "Grasse": ("06", "06130"), "Menton": ("06", "06500"),
    "Avignon": ("84", "84000"), "Carpentras": ("84", "84200"), "Cavaillon": ("84", "84300"),
    "Apt": ("84", "84400"), "Pertuis": ("84", "84120"), "Gap": ("05", "05000"), "Briançon": ("05", "05100"),
    "Embrun": ("05", "05200"), "Digne-les-Bains": ("04", "04000"), "Manosque": ("04", "04100"),
    "Sisteron": ("04", "04200"), "Forcalquier": ("04", "04300"), "Barcelonnette": ("04", "04400"),
}  # fmt: skip
# Towns drawn for organisations whose name names no place: the large towns more often.
WEIGHTED_TOWNS = ["Marseille"] * 6 + ["Nice", "Toulon", "Aix-en-Provence", "Avignon"] * 2 + list(TOWN_INFO)

# (buyer kind, name, town)
PUBLIC_BUYERS = [
    ("region", "Région Sud Provence-Alpes-Côte d'Azur", "Marseille"),
    ("departement", "Département des Bouches-du-Rhône", "Marseille"),
    ("departement", "Département du Var", "Toulon"),
    ("departement", "Département des Alpes-Maritimes", "Nice"),
    ("departement", "Département de Vaucluse", "Avignon"),
    ("departement", "Département des Alpes-de-Haute-Provence", "Digne-les-Bains"),
    ("departement", "Département des Hautes-Alpes", "Gap"),
    ("intercommunalite", "Métropole Aix-Marseille-Provence", "Marseille"),
    ("intercommunalite", "Métropole Nice Côte d'Azur", "Nice"),
    ("intercommunalite", "Métropole Toulon Provence Méditerranée", "Toulon"),
    ("intercommunalite", "Grand Avignon", "Avignon"),
    ("intercommunalite", "Cannes Pays de Lérins", "Cannes"),
    ("intercommunalite", "Dracénie Provence Verdon agglomération", "Draguignan"),
    ("intercommunalite", "Durance-Luberon-Verdon Agglomération", "Manosque"),
    ("intercommunalite", "Arles Crau Camargue Montagnette", "Arles"),
    ("intercommunalite", "Communauté d'agglomération Sophia Antipolis", "Antibes"),
    ("hopital", "Assistance publique – Hôpitaux de Marseille", "Marseille"),
    ("hopital", "CHU de Nice", "Nice"),
    ("hopital", "Centre hospitalier d'Avignon", "Avignon"),
    ("hopital", "Centre hospitalier intercommunal de Toulon-La Seyne-sur-Mer", "Toulon"),
    ("hopital", "Centre hospitalier du Pays d'Aix", "Aix-en-Provence"),
    ("hopital", "Centre hospitalier d'Arles", "Arles"),
    ("hopital", "Centre hospitalier de Cannes", "Cannes"),
    ("hopital", "Centre hospitalier intercommunal des Alpes du Sud", "Gap"),
    ("hopital", "Centre hospitalier de Digne-les-Bains", "Digne-les-Bains"),
    ("hopital", "Centre hospitalier de Grasse", "Grasse"),
    ("hopital", "Centre hospitalier de Draguignan", "Draguignan"),
    ("hopital", "Centre hospitalier de Martigues", "Martigues"),
    ("hopital", "Centre hospitalier de Carpentras", "Carpentras"),
    ("bailleur_social", "13 Habitat", "Marseille"),
    ("bailleur_social", "Logirem", "Marseille"),
    ("bailleur_social", "Erilia", "Marseille"),
    ("bailleur_social", "Var Habitat", "Toulon"),
    ("bailleur_social", "Côte d'Azur Habitat", "Nice"),
    ("bailleur_social", "Grand Delta Habitat", "Avignon"),
    ("bailleur_social", "Mistral Habitat", "Avignon"),
    ("bailleur_social", "Pays d'Aix Habitat", "Aix-en-Provence"),
    ("bailleur_social", "Habitations de Haute-Provence", "Digne-les-Bains"),
    ("bailleur_social", "Office public de l'habitat des Hautes-Alpes", "Gap"),
    ("etat", "Préfecture des Bouches-du-Rhône", "Marseille"),
    ("etat", "Préfecture du Var", "Toulon"),
    ("etat", "DREETS Provence-Alpes-Côte d'Azur", "Marseille"),
    ("etat", "Base de défense de Toulon", "Toulon"),
    ("etablissement_public", "Aix-Marseille Université", "Marseille"),
    ("etablissement_public", "Université Côte d'Azur", "Nice"),
    ("etablissement_public", "Avignon Université", "Avignon"),
    ("etablissement_public", "Université de Toulon", "Toulon"),
    ("etablissement_public", "Rectorat d'Aix-Marseille", "Aix-en-Provence"),
    ("etablissement_public", "Rectorat de Nice", "Nice"),
    ("etablissement_public", "Grand Port maritime de Marseille", "Marseille"),
    ("etablissement_public", "Parc national des Écrins", "Gap"),
    ("etablissement_public", "Parc national de Port-Cros", "Hyères"),
    ("etablissement_public", "Parc national du Mercantour", "Nice"),
]
# Company names: an activity and a place of the region that is neither a town nor a département.
ACTIVITIES = [
    "Logistique", "Bâtiment", "Énergies", "Restauration", "Santé", "Conseil", "Transports", "Immobilier",
    "Distribution", "Industrie", "Services", "Ingénierie", "Numérique", "Hôtellerie", "Propreté",
    "Environnement", "Travaux publics", "Télécom", "Agroalimentaire", "Aéronautique", "Nautisme",
    "Cosmétiques", "Vins", "Événements", "Sécurité", "Maintenance", "Emballages", "Électricité", "Chimie",
    "Mobilier",
]  # fmt: skip
REGION_WORDS = [
    "Provence", "Méditerranée", "Azur", "Sud", "Alpilles", "Luberon", "Camargue", "Calanques", "Estérel",
    "Verdon", "Durance", "Sainte-Victoire", "Ventoux", "Riviera", "Massilia", "Phocéenne", "Lérins", "Maures",
    "Baronnies", "Ubaye", "Queyras", "Crau", "Garlaban", "Sainte-Baume", "Côte Bleue", "Ouvèze", "Argens",
]  # fmt: skip
COMPANY_KINDS = ["pme"] * 5 + ["eti"] * 3 + ["grande_entreprise"] * 2
# The place in an exhibitor's name, with the town it is in (None: a place found all over the region).
EXHIBITOR_PLACES: dict[str, str | None] = {
    "du Luberon": "Apt", "de la Durance": "Manosque", "des Calanques": "Marseille", "de Provence": None,
    "du Verdon": "Manosque", "de la Crau": "Istres", "des Alpilles": "Salon-de-Provence",
    "de l'Estérel": "Fréjus", "du Ventoux": "Carpentras", "de la Sainte-Baume": "Aubagne",
    "des Maures": "Hyères", "de Camargue": "Arles", "du Mercantour": "Nice", "de l'Ubaye": "Barcelonnette",
    "du Queyras": "Briançon",
}  # fmt: skip
BUYER_JOBS = [
    "Responsable des achats", "Acheteuse publique", "Acheteur public", "Directrice des achats",
    "Chargé de mission achats responsables", "Facilitatrice des clauses sociales", "Responsable RSE",
]  # fmt: skip
EXHIBITOR_JOBS = [
    "Directrice", "Directeur", "Chargée de développement commercial", "Encadrant technique",
    "Responsable commerciale", "Coordinatrice",
]  # fmt: skip


def commune_name(town: str) -> str:
    """Return "Ville de X", elided before a vowel or a mute h."""
    return f"Ville d'{town}" if town[0] in "AEIOUÉÈHaeiouh" else f"Ville de {town}"
