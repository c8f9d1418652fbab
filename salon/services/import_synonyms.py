"""The values directory exports write for each vocabulary, beside Salon's codes and labels.

Each entry is written as files write it; salon.services.import_values compares them folded and singular.
"""

from __future__ import annotations

SIDE = {
    "buyer": ("Acheteur", "Acheteuse", "Acheteurs", "Acheteur public", "Acheteur privé", "Donneur d'ordre",
              "Donneurs d'ordres", "Buyer"),
    "supplier": ("Fournisseur", "Fournisseurs", "Supplier", "Structure ESS", "Structure de l'ESS",
                 "Entreprise de l'ESS", "Offreur", "Prestataire", "Exposant", "Exposante"),
}  # fmt: skip
STRUCTURE_TYPES = {
    "aci": ("ACI", "Atelier et chantier d'insertion", "Ateliers et chantiers d'insertion",
            "Chantier d'insertion", "Atelier chantier d'insertion"),
    "ai": ("AI", "Association intermédiaire"),
    "ei": ("EI", "Entreprise d'insertion", "SIAE EI"),
    "etti": ("ETTI", "Entreprise de travail temporaire d'insertion"),
    "eiti": ("EITI", "Entreprise d'insertion par le travail indépendant"),
    "ea": ("EA", "Entreprise adaptée", "EATT", "Entreprise adaptée de travail temporaire"),
    "esat": ("ESAT", "Établissement et service d'aide par le travail",
             "Établissement et service d'accompagnement par le travail", "CAT"),
    "scop": ("SCOP", "SCOP SA", "SCOP SARL", "SCOP SAS", "Société coopérative et participative",
             "Société coopérative ouvrière de production", "Coopérative de production"),
    "scic": ("SCIC", "SCIC SA", "SCIC SARL", "SCIC SAS", "Société coopérative d'intérêt collectif"),
    "association": ("Association", "Association loi 1901", "Association loi 1908", "Association (loi 1901)",
                    "Association déclarée"),
    "fondation": ("Fondation", "Fondation reconnue d'utilité publique"),
    "mutuelle": ("Mutuelle", "Mutuelle santé", "Société d'assurance mutuelle"),
    "cooperative": ("Coopérative", "CAE", "Coopérative d'activité et d'emploi", "SCA",
                    "Coopérative agricole", "CUMA", "Coopérative d'utilisateurs"),
    "esus": ("ESUS", "Entreprise ESUS", "Entreprise agréée ESUS", "Agrément ESUS", "Agréée ESUS",
             "Entreprise solidaire d'utilité sociale"),
    "commerce_equitable": ("Commerce équitable", "Équitable"),
    "qpv": ("QPV", "Entreprise en QPV", "Quartier prioritaire", "Quartier prioritaire de la ville"),
}  # fmt: skip
BUYER_KINDS = {
    "region": ("Région", "Conseil régional", "Collectivité régionale"),
    "departement": ("Département", "Conseil départemental", "Collectivité départementale"),
    "commune": ("Commune", "Mairie", "Ville"),
    "intercommunalite": ("Intercommunalité", "EPCI", "Communauté de communes", "Communauté d'agglomération",
                         "Communauté urbaine", "Métropole"),
    "hopital": ("Hôpital", "Centre hospitalier", "CHU", "GHT", "Établissement de santé"),
    "bailleur_social": ("Bailleur social", "Office public de l'habitat", "OPH", "ESH"),
    "etat": ("État", "Service de l'État", "Préfecture", "Ministère"),
    "etablissement_public": ("Établissement public", "EPA", "EPIC"),
    "grande_entreprise": ("Grande entreprise", "Grand groupe", "Groupe"),
    "eti": ("ETI", "Entreprise de taille intermédiaire"),
    "pme": ("PME", "TPE", "TPE PME", "Petite entreprise"),
    "autre": ("Autre", "Autres"),
}  # fmt: skip
SECTORS = {
    "nettoyage": ("Nettoyage", "Propreté", "Nettoyage, propreté", "Nettoyage de locaux",
                  "Entretien de locaux", "Hygiène et propreté"),
    "espaces_verts": ("Espaces verts", "Entretien des espaces verts", "Paysage", "Aménagement paysager",
                      "Espaces naturels", "Jardinage"),
    "btp": ("BTP", "Second œuvre", "Second œuvre BTP", "Bâtiment", "Rénovation", "Bâtiment, travaux publics",
            "Travaux publics", "Peinture", "Second œuvre du bâtiment"),
    "restauration": ("Restauration", "Traiteur", "Restauration, traiteur", "Restauration collective"),
    "blanchisserie": ("Blanchisserie", "Blanchisserie, pressing", "Pressing", "Laverie"),
    "logistique": ("Logistique", "Conditionnement", "Logistique, conditionnement",
                   "Sous-traitance industrielle", "Conditionnement, sous-traitance", "Mise sous pli"),
    "reemploi": ("Réemploi", "Recyclage", "Réemploi, recyclage", "DEEE", "Collecte et tri", "Déchets",
                 "Ressourcerie", "Recyclerie"),
    "numerique": ("Numérique", "Numérisation", "Saisie", "Numérisation, saisie", "Services numériques",
                  "Informatique"),
    "imprimerie": ("Imprimerie", "Impression", "Reprographie"),
    "mobilier": ("Mobilier", "Ameublement"),
    "textile": ("Textile", "Couture", "Confection"),
    "maintenance": ("Maintenance", "Multiservices", "Petits travaux"),
    "transport": ("Transport", "Déménagement", "Transport de personnes", "Livraison", "Coursier"),
    "evenementiel": ("Événementiel", "Événements", "Évènementiel"),
    "fournitures": ("Fournitures", "Fournitures de bureau", "Papeterie"),
    "autre": ("Autre", "Autres", "Divers"),
}  # fmt: skip
# NAF/APE code prefixes (INSEE, rev. 2) of the usual ESS sectors; the longest prefix wins.
NAF_SECTORS = {
    "8121": "nettoyage", "8122": "nettoyage", "8129": "nettoyage", "8130": "espaces_verts",
    "41": "btp", "43": "btp", "56": "restauration", "9601": "blanchisserie",
    "52": "logistique", "8292": "logistique", "38": "reemploi", "4779": "reemploi",
    "6311": "numerique", "62": "numerique", "8211": "numerique", "18": "imprimerie", "8219": "imprimerie",
    "31": "mobilier", "13": "textile", "14": "textile", "33": "maintenance", "8110": "maintenance",
    "49": "transport", "5320": "transport", "8230": "evenementiel", "4762": "fournitures",
}  # fmt: skip
