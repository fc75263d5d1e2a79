# L'écran des accords : la liste, un accord, et l'aperçu de ce que reçoit un partenaire.
agreements-title = Accords
agreements-lead = Ce que ce nœud communique, à qui, et comment c'est dégradé avant de partir. Rien ne part sans un accord en vigueur.
agreements-none = Aucun accord : rien ne quitte ce nœud. Un accord s'ajoute avec la commande liaison agreement add.
agreements-caption = Accords de ce nœud, version en cours
agreements-col-id = Accord
agreements-col-recipients = Destinataires
agreements-col-version = Version
agreements-col-state = État
agreements-col-summary = Résumé
agreements-col-recorded-at = Enregistrée le
agreements-col-recorded-by = Par
agreements-state-in-force = en vigueur
agreements-state-embargoed = sous embargo
agreements-state-expired = expiré
agreements-state-revoked = révoqué
agreements-detail-title = Accord
agreements-detail-tab = Accord { $id }
agreements-back = Tous les accords
agreements-summary-title = En clair
agreements-facts-title = Ce qu'il prévoit
agreements-originator = Émetteur
agreements-preview-link = aperçu
agreements-what = Ce qui est communiqué
agreements-obligations = Obligations
agreements-from = À partir du
agreements-until = Jusqu'au
agreements-onward = Retransmission
agreements-from-date = à partir du { $date } (rien avant : embargo)
agreements-from-adoption = dès son adoption
agreements-until-date = jusqu'à la veille du { $date } (plus rien à partir de ce jour)
agreements-until-none = sans échéance
agreements-onward-yes = Chaque destinataire peut retransmettre ce qu'il reçoit, sans modification, aux autres destinataires de cet accord, et à personne d'autre.
agreements-onward-no = Aucune : les destinataires ne peuvent rien retransmettre.
agreements-versions-title = Versions
agreements-cedar-title = Politique Cedar
agreements-cedar-hint = La politique que le nœud évalue avant que quoi que ce soit ne parte, compilée à partir de cette version. Les obligations suivent en commentaire : elles s'appliquent après la décision.
agreements-obl-none = Aucune : communiqué tel qu'enregistré.
agreements-obl-location-admin2 = Lieu ramené au district (admin2)
agreements-obl-location-admin1 = Lieu ramené à la province (admin1)
agreements-obl-location-country = Lieu ramené au pays
agreements-obl-location-h3 = Lieu déplacé au centre de sa cellule H3, résolution { $resolution }
agreements-obl-location-grid = Lieu déplacé au centre de sa maille de { $degrees }°
agreements-obl-time-day = Dates arrondies au jour
agreements-obl-time-week = Dates arrondies à la semaine
agreements-obl-time-month = Dates arrondies au mois
agreements-obl-narrative = Récit supprimé
agreements-obl-sources = Sources pseudonymisées
agreements-obl-fatalities = Nombre de morts donné par tranches
agreements-what-all-types = Incidents de tout type
agreements-what-types = Types d'événement : { $types }
agreements-what-anywhere = Partout
agreements-what-countries = Pays : { $countries } (le pays de l'incident ou celui où tombe son point)
agreements-what-box = Avec un point entre les latitudes { $south } et { $north } et les longitudes { $west } et { $east }
agreements-what-zones = Avec un point dans : { $zones }
agreements-what-classification = Classifiés au plus { $level }
agreements-what-tlp = Marqués au plus { $tlp }
agreements-what-age = { $days ->
    [one] Terminés au plus { $days } jour avant la communication
   *[other] Terminés au plus { $days } jours avant la communication
}
agreements-what-actors = Impliquant l'un des acteurs { $actors }
agreements-class-unclassified = non classifié
agreements-class-restricted = diffusion restreinte
agreements-class-confidential = confidentiel
agreements-class-secret = secret
preview-title = Ce que recevrait un partenaire
preview-lead = Exactement ce qu'un partenaire recevrait s'il venait chercher maintenant, produit par le même code qu'une vraie communication. Rien n'est enregistré ni envoyé.
preview-form-title = Aperçu d'une communication
preview-form-hint = Indiquez le code du membre partenaire pour voir ce qu'il recevrait maintenant, objet par objet.
preview-to = Partenaire (code ISO 3166)
preview-show = Afficher l'aperçu
preview-bad-code = { $code } n'est pas un code de membre : indiquez trois lettres, par exemple NER.
preview-no-identity = Ce nœud n'a pas d'identité de fédération (aucune clé de nœud chargée) : aucun aperçu n'est possible, les objets ne peuvent pas être scellés sans elle.
preview-failed = L'aperçu n'a pas pu être produit : { $reason }
preview-count = { $count ->
    [0] { $to } ne recevrait rien de ce nœud pour l'instant.
    [one] { $to } recevrait un incident de ce nœud maintenant.
   *[other] { $to } recevrait { $n } incidents de ce nœud maintenant.
}
preview-more = Les { $shown } premiers sur { $n } sont affichés ; la commande liaison agreement preview les liste tous.
preview-version = Version
preview-agreement = Au titre de
preview-under = l'accord { $agreement }, version { $version }
preview-onward = retransmission d'un objet reçu d'un autre membre
preview-applied = Obligations appliquées
preview-applied-none = aucune : communiqué tel qu'enregistré
preview-object = L'objet STIX tel qu'il partirait
