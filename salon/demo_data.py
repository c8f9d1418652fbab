"""Plausible French names and profiles for the demo fair (fictional organisations)."""

from __future__ import annotations

TOWNS = [
    ("Montpellier", "34"), ("Toulouse", "31"), ("Nîmes", "30"), ("Perpignan", "66"), ("Béziers", "34"),
    ("Narbonne", "11"), ("Carcassonne", "11"), ("Albi", "81"), ("Alès", "30"), ("Sète", "34"),
    ("Rodez", "12"), ("Montauban", "82"), ("Tarbes", "65"), ("Auch", "32"), ("Cahors", "46"),
    ("Mende", "48"), ("Foix", "09"), ("Castres", "81"), ("Lunel", "34"), ("Agde", "34"),
]  # fmt: skip

BUYERS = [
    ("Région", "region", "Région Occitanie"),
    ("Département", "departement", "Département de l'Hérault"),
    ("Département", "departement", "Département du Gard"),
    ("Département", "departement", "Département de l'Aude"),
    ("Métropole", "intercommunalite", "Montpellier Méditerranée Métropole"),
    ("Métropole", "intercommunalite", "Toulouse Métropole"),
    ("Agglomération", "intercommunalite", "Nîmes Métropole"),
    ("Agglomération", "intercommunalite", "Perpignan Méditerranée Métropole"),
    ("Agglomération", "intercommunalite", "Carcassonne Agglo"),
    ("Agglomération", "intercommunalite", "Béziers Méditerranée"),
    ("Hôpital", "hopital", "CHU de Montpellier"),
    ("Hôpital", "hopital", "CHU de Nîmes"),
    ("Hôpital", "hopital", "Centre hospitalier de Perpignan"),
    ("Hôpital", "hopital", "Centre hospitalier de Béziers"),
    ("Hôpital", "hopital", "Centre hospitalier d'Albi"),
    ("Bailleur", "bailleur_social", "ACM Habitat"),
    ("Bailleur", "bailleur_social", "Hérault Logement"),
    ("Bailleur", "bailleur_social", "Habitat du Gard"),
    ("Bailleur", "bailleur_social", "Office 66"),
    ("Bailleur", "bailleur_social", "Tarn Habitat"),
    ("État", "etat", "Préfecture de l'Hérault"),
    ("Établissement public", "etablissement_public", "Université de Montpellier"),
    ("Établissement public", "etablissement_public", "Rectorat de Toulouse"),
    ("Établissement public", "etablissement_public", "Voies navigables de France Sud-Ouest"),
]
COMMUNES = [
    "Ville de Sète", "Ville de Lunel", "Ville d'Alès", "Ville de Narbonne", "Ville de Castres",
    "Ville de Rodez", "Ville de Montauban", "Ville de Tarbes", "Ville d'Agde", "Ville de Frontignan",
    "Ville de Lattes", "Ville de Castelnau-le-Lez", "Ville de Mende", "Ville de Cahors",
]  # fmt: skip
COMPANIES = [
    ("grande_entreprise", "Groupe Méditerranée Énergies"), ("grande_entreprise", "Airbus Atlantic Sud"),
    ("grande_entreprise", "Banque Populaire du Sud"), ("grande_entreprise", "Crédit Agricole Languedoc"),
    ("eti", "Occitanie Logistique"), ("eti", "Sud Restauration Collective"), ("eti", "Garrigues Bâtiment"),
    ("pme", "Imprimerie des Cévennes"), ("pme", "Domaine du Pic Saint-Loup"),
    ("pme", "Cabinet Lauragais Conseil"),
    ("grande_entreprise", "SNCF Réseau Occitanie"), ("grande_entreprise", "Orange Grand Sud"),
    ("eti", "Clinique du Millénaire"), ("pme", "Hôtel des Arènes"), ("eti", "Camargue Distribution"),
    ("pme", "Cave coopérative des Corbières"), ("grande_entreprise", "EDF Hydro Sud-Ouest"),
    ("eti", "Laboratoires Pyrénées Santé"), ("pme", "Agence Cévenole d'Architecture"),
    ("grande_entreprise", "Vinci Autoroutes ASF"), ("eti", "Transports Régionaux du Midi"),
    ("pme", "Bureau d'études Hydro-Sud"),
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
SUPPLIER_PLACES = [
    "du Lez", "de la Garrigue", "des Cévennes", "du Minervois", "de l'Aude", "du Canal", "des Corbières",
    "de Camargue", "du Tarn", "des Causses", "du Lauragais", "de la Têt", "d'Occitanie", "du Vidourle",
]  # fmt: skip
FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Inès", "Chloé", "Sarah", "Julie", "Emma", "Nadia", "Sophie", "Thomas",
    "Lucas", "Hugo", "Karim", "Antoine", "Nicolas", "Julien", "Mehdi", "Paul", "Olivier", "Fatima", "Yanis",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Garcia",
    "Fournier", "Girard", "Bonnet", "Roux", "Vidal", "Benali", "Fabre", "Marty", "Roussel", "Mercier",
]  # fmt: skip
