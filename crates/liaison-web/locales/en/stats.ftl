# The statistics screen: charts per country, zone, month and type, and their filters.
stats-title = Statistics
stats-filters = Filters of the statistics
stats-apply = Count
stats-bad-filter = These filters cannot be applied:
stats-bad-param = { $name } is not a filter of this page; use from, to, type or country.
stats-bad-date = { $field }: { $value } is not a date; write it as YYYY-MM-DD.
stats-bad-range = The end date is before the start date.
stats-bad-type = { $value } is not an event type.
stats-bad-country = { $value } is not a country code: give three letters, such as MLI.
stats-total = { $count ->
    [0] No incident matches these filters.
    [one] One incident matches these filters.
   *[other] { $n } incidents match these filters.
}
stats-by-country = Incidents per country
stats-by-zone = Incidents per integrated regional zone
stats-zone-note = Located incidents only; an incident in two zones counts in both.
stats-by-month = Incidents per month (the latest { $months } months with incidents)
stats-by-type = Incidents per event type
stats-col-country = Country
stats-col-zone = Zone
stats-col-month = Month
stats-col-type = Event type
stats-col-incidents = Incidents
stats-show-table = The numbers as a table
stats-empty = No incident to count.
stats-bar-title = { $label }: { $value }
