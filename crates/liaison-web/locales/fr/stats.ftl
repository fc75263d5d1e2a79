# L'écran des statistiques : graphiques par pays, zone, mois et type, et leurs filtres.
stats-title = Statistiques
stats-filters = Filtres des statistiques
stats-apply = Compter
stats-bad-filter = Ces filtres ne peuvent pas être appliqués :
stats-bad-param = { $name } n'est pas un filtre de cette page ; utilisez from, to, type ou country.
stats-bad-date = { $field } : { $value } n'est pas une date ; écrivez-la AAAA-MM-JJ.
stats-bad-range = La date de fin précède la date de début.
stats-bad-type = { $value } n'est pas un type d'événement.
stats-bad-country = { $value } n'est pas un code de pays : indiquez trois lettres, par exemple MLI.
stats-total = { $count ->
    [0] Aucun incident ne correspond à ces filtres.
    [one] Un incident correspond à ces filtres.
   *[other] { $n } incidents correspondent à ces filtres.
}
stats-by-country = Incidents par pays
stats-by-zone = Incidents par zone régionale intégrée
stats-zone-note = Incidents localisés seulement ; un incident situé dans deux zones compte dans les deux.
stats-by-month = Incidents par mois (les { $months } derniers mois ayant des incidents)
stats-by-type = Incidents par type d'événement
stats-col-country = Pays
stats-col-zone = Zone
stats-col-month = Mois
stats-col-type = Type d'événement
stats-col-incidents = Incidents
stats-show-table = Les chiffres sous forme de tableau
stats-empty = Aucun incident à compter.
stats-bar-title = { $label } : { $value }
