"""Plausible French names and profiles for the demo fair (fictional organisations)."""

from __future__ import annotations

# Every town of the demo fairs: its département and postcode (a test checks each organisation against it).
TOWN_INFO: dict[str, tuple[str, str]] = {
    "Montpellier": ("34", "34000"), "Toulouse": ("31", "31000"), "Nîmes": ("30", "30000"),
    "Perpignan": ("66", "66000"), "Béziers": ("34", "34500"), "Narbonne": ("11", "11100"),
    "Carcassonne": ("11", "11000"), "Albi": ("81", "81000"), "Alès": ("30", "30100"), "Sète": ("34", "34200"),
    "Rodez": ("12", "12000"), "Montauban": ("82", "82000"), "Tarbes": ("65", "65000"),
    "Auch": ("32", "32000"),
    "Cahors": ("46", "46000"), "Mende": ("48", "48000"), "Foix": ("09", "09000"), "Castres": ("81", "81100"),
    "Lunel": ("34", "34400"), "Agde": ("34", "34300"), "Frontignan": ("34", "34110"),
    "Lattes": ("34", "34970"), "Castelnau-le-Lez": ("34", "34170"), "Aigues-Mortes": ("30", "30220"),
    "Castelnaudary": ("11", "11400"), "Lézignan-Corbières": ("11", "11200"),
    "Saint-Mathieu-de-Tréviers": ("34", "34270"),
}  # fmt: skip
# The towns drawn for organisations whose name names no place (the seeded draws stay as they were).
TOWNS = [
    (town, TOWN_INFO[town][0])
    for town in (
        "Montpellier", "Toulouse", "Nîmes", "Perpignan", "Béziers", "Narbonne", "Carcassonne", "Albi", "Alès",
        "Sète", "Rodez", "Montauban", "Tarbes", "Auch", "Cahors", "Mende", "Foix", "Castres", "Lunel", "Agde",
    )
]  # fmt: skip

# (label, buyer kind, name, town)
BUYERS = [
    ("Région", "region", "Région Occitanie", "Toulouse"),
    ("Département", "departement", "Département de l'Hérault", "Montpellier"),
    ("Département", "departement", "Département du Gard", "Nîmes"),
    ("Département", "departement", "Département de l'Aude", "Carcassonne"),
    ("Métropole", "intercommunalite", "Montpellier Méditerranée Métropole", "Montpellier"),
    ("Métropole", "intercommunalite", "Toulouse Métropole", "Toulouse"),
    ("Agglomération", "intercommunalite", "Nîmes Métropole", "Nîmes"),
    ("Agglomération", "intercommunalite", "Perpignan Méditerranée Métropole", "Perpignan"),
    ("Agglomération", "intercommunalite", "Carcassonne Agglo", "Carcassonne"),
    ("Agglomération", "intercommunalite", "Béziers Méditerranée", "Béziers"),
    ("Hôpital", "hopital", "CHU de Montpellier", "Montpellier"),
    ("Hôpital", "hopital", "CHU de Nîmes", "Nîmes"),
    ("Hôpital", "hopital", "Centre hospitalier de Perpignan", "Perpignan"),
    ("Hôpital", "hopital", "Centre hospitalier de Béziers", "Béziers"),
    ("Hôpital", "hopital", "Centre hospitalier d'Albi", "Albi"),
    ("Bailleur", "bailleur_social", "ACM Habitat", "Montpellier"),
    ("Bailleur", "bailleur_social", "Hérault Logement", "Montpellier"),
    ("Bailleur", "bailleur_social", "Habitat du Gard", "Nîmes"),
    ("Bailleur", "bailleur_social", "Office 66", "Perpignan"),
    ("Bailleur", "bailleur_social", "Tarn Habitat", "Albi"),
    ("État", "etat", "Préfecture de l'Hérault", "Montpellier"),
    ("Établissement public", "etablissement_public", "Université de Montpellier", "Montpellier"),
    ("Établissement public", "etablissement_public", "Rectorat de Toulouse", "Toulouse"),
    ("Établissement public", "etablissement_public", "Voies navigables de France Sud-Ouest", "Toulouse"),
]
# (name, town)
COMMUNES = [
    ("Ville de Sète", "Sète"), ("Ville de Lunel", "Lunel"), ("Ville d'Alès", "Alès"),
    ("Ville de Narbonne", "Narbonne"), ("Ville de Castres", "Castres"), ("Ville de Rodez", "Rodez"),
    ("Ville de Montauban", "Montauban"), ("Ville de Tarbes", "Tarbes"), ("Ville d'Agde", "Agde"),
    ("Ville de Frontignan", "Frontignan"), ("Ville de Lattes", "Lattes"),
    ("Ville de Castelnau-le-Lez", "Castelnau-le-Lez"), ("Ville de Mende", "Mende"),
    ("Ville de Cahors", "Cahors"),
]  # fmt: skip
# (buyer kind, name, town or None when the name names no place)
COMPANIES = [
    ("grande_entreprise", "Groupe Méditerranée Énergies", None),
    ("grande_entreprise", "Airbus Atlantic Sud", "Toulouse"),
    ("grande_entreprise", "Banque Populaire du Sud", "Perpignan"),
    ("grande_entreprise", "Crédit Agricole Languedoc", "Lattes"),
    ("eti", "Occitanie Logistique", None), ("eti", "Sud Restauration Collective", None),
    ("eti", "Garrigues Bâtiment", None), ("pme", "Imprimerie des Cévennes", "Alès"),
    ("pme", "Domaine du Pic Saint-Loup", "Saint-Mathieu-de-Tréviers"),
    ("pme", "Cabinet Lauragais Conseil", "Castelnaudary"),
    ("grande_entreprise", "SNCF Réseau Occitanie", "Toulouse"),
    ("grande_entreprise", "Orange Grand Sud", "Montpellier"),
    ("eti", "Clinique du Millénaire", "Montpellier"), ("pme", "Hôtel des Arènes", "Nîmes"),
    ("eti", "Camargue Distribution", "Aigues-Mortes"),
    ("pme", "Cave coopérative des Corbières", "Lézignan-Corbières"),
    ("grande_entreprise", "EDF Hydro Sud-Ouest", "Toulouse"),
    ("eti", "Laboratoires Pyrénées Santé", "Perpignan"),
    ("pme", "Agence Cévenole d'Architecture", "Alès"),
    ("grande_entreprise", "Vinci Autoroutes ASF", None), ("eti", "Transports Régionaux du Midi", None),
    ("pme", "Bureau d'études Hydro-Sud", None),
]  # fmt: skip

SECTORS = [
    ("nettoyage", "Nettoyage et propreté de locaux"),
    ("espaces_verts", "Entretien d'espaces verts et de jardins"),
    ("btp", "Second œuvre du bâtiment, peinture, rénovation"),
    ("restauration", "Restauration, traiteur et plateaux-repas"),
    ("blanchisserie", "Blanchisserie et entretien du linge"),
    ("logistique", "Logistique, conditionnement et mise sous pli"),
    ("reemploi", "Réemploi, recyclage et collecte de DEEE"),
    ("numerique", "Numérisation, saisie et services numériques"),
    ("imprimerie", "Imprimerie et reprographie"),
    ("mobilier", "Mobilier et aménagement"),
    ("textile", "Textile, couture et vêtements professionnels"),
    ("maintenance", "Maintenance et petits travaux"),
    ("transport", "Transport de personnes et de marchandises"),
    ("evenementiel", "Événementiel et accueil"),
    ("fournitures", "Fournitures de bureau"),
]
SUPPLIER_KINDS = [
    (("aci", "association"), "Association", "Chantier d'insertion"),
    (("ei",), "SAS", "Entreprise d'insertion"),
    (("ai", "association"), "Association", "Association intermédiaire"),
    (("etti",), "SARL", "Intérim d'insertion"),
    (("ea",), "SAS", "Entreprise adaptée"),
    (("esat", "association"), "Association", "ESAT"),
    (("scop",), "SCOP SARL", "Coopérative"),
    (("scic",), "SCIC SAS", "Coopérative d'intérêt collectif"),
    (("association",), "Association", "Association"),
    (("commerce_equitable", "scop"), "SCOP SA", "Commerce équitable"),
    (("esus",), "SAS", "Entreprise solidaire"),
    (("qpv",), "SARL", "Entreprise de quartier"),
]
SUPPLIER_WORDS = [
    "Atelier", "Les Jardins", "Recyclerie", "Coop", "Éco", "Solid'", "Main Verte", "Cap", "Envol", "Tremplin",
    "Les Ateliers", "Ressources", "Horizon", "Passerelle", "Sud", "L'Établi", "Le Relais", "Trait d'Union",
]  # fmt: skip
# The place in a supplier's name, with the town it is in (None: a place found all over the region).
SUPPLIER_PLACES: dict[str, str | None] = {
    "du Lez": "Montpellier", "de la Garrigue": None, "des Cévennes": "Alès", "du Minervois": "Carcassonne",
    "de l'Aude": "Narbonne", "du Canal": None, "des Corbières": "Lézignan-Corbières",
    "de Camargue": "Aigues-Mortes", "du Tarn": "Albi", "des Causses": "Rodez",
    "du Lauragais": "Castelnaudary", "de la Têt": "Perpignan", "d'Occitanie": None, "du Vidourle": "Lunel",
}  # fmt: skip
FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Inès", "Chloé", "Sarah", "Julie", "Emma", "Nadia", "Sophie", "Thomas",
    "Lucas", "Hugo", "Karim", "Antoine", "Nicolas", "Julien", "Mehdi", "Paul", "Olivier", "Fatima", "Yanis",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Garcia",
    "Fournier", "Girard", "Bonnet", "Roux", "Vidal", "Benali", "Fabre", "Marty", "Roussel", "Mercier",
]  # fmt: skip
