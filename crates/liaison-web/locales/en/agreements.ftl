# The agreements screen: the list, one agreement, and the preview of what a partner receives.
agreements-title = Agreements
agreements-lead = What this node releases, to whom, and how it is degraded before it leaves. Nothing leaves without an agreement in force.
agreements-none = No agreements: nothing leaves this node. An agreement is added with the command liaison agreement add.
agreements-caption = Agreements of this node, current version
agreements-col-id = Agreement
agreements-col-recipients = Recipients
agreements-col-version = Version
agreements-col-state = State
agreements-col-summary = Summary
agreements-col-recorded-at = Recorded
agreements-col-recorded-by = By
agreements-state-in-force = in force
agreements-state-embargoed = embargoed
agreements-state-expired = expired
agreements-state-revoked = revoked
agreements-detail-title = Agreement
agreements-detail-tab = Agreement { $id }
agreements-back = All agreements
agreements-summary-title = In plain words
agreements-facts-title = What it says
agreements-originator = Originator
agreements-preview-link = preview
agreements-what = What is released
agreements-obligations = Obligations
agreements-from = From
agreements-until = Until
agreements-onward = Onward release
agreements-from-date = from { $date } (nothing before: embargo)
agreements-from-adoption = from the day it was adopted
agreements-until-date = until the day before { $date } (nothing from that day on)
agreements-until-none = no expiry
agreements-onward-yes = Each recipient may pass what it receives on, unchanged, to the other recipients of this agreement, and to no one else.
agreements-onward-no = None: recipients may not pass anything on.
agreements-versions-title = Versions
agreements-cedar-title = Cedar policy
agreements-cedar-hint = The policy the node evaluates before anything leaves, as compiled from this version. The obligations follow as comments: they are applied after the decision.
agreements-obl-none = None: released as recorded.
agreements-obl-location-admin2 = Location coarsened to the district (admin2)
agreements-obl-location-admin1 = Location coarsened to the province (admin1)
agreements-obl-location-country = Location coarsened to the country
agreements-obl-location-h3 = Location moved to the centre of its H3 cell, resolution { $resolution }
agreements-obl-location-grid = Location moved to the centre of its { $degrees }° grid cell
agreements-obl-time-day = Dates rounded to the day
agreements-obl-time-week = Dates rounded to the week
agreements-obl-time-month = Dates rounded to the month
agreements-obl-narrative = Narrative dropped
agreements-obl-sources = Sources pseudonymised
agreements-obl-fatalities = Fatalities given as ranges
agreements-what-all-types = Incidents of every event type
agreements-what-types = Event types: { $types }
agreements-what-anywhere = Anywhere
agreements-what-countries = In { $countries } (the incident's country or where its point falls)
agreements-what-box = With a point between latitudes { $south } and { $north } and longitudes { $west } and { $east }
agreements-what-zones = With a point in: { $zones }
agreements-what-classification = Classified at most { $level }
agreements-what-tlp = Marked at most { $tlp }
agreements-what-age = { $days ->
    [one] Ended at most one day before the release
   *[other] Ended at most { $days } days before the release
}
agreements-what-actors = Involving one of the actors { $actors }
agreements-class-unclassified = unclassified
agreements-class-restricted = restricted
agreements-class-confidential = confidential
agreements-class-secret = secret
preview-title = What a partner would receive
preview-lead = Exactly what one partner would receive if it pulled now, made by the same code as a real release. Nothing is recorded and nothing is sent.
preview-form-title = Preview a release
preview-form-hint = Give the partner's member code to see what it would receive now, object by object.
preview-to = Partner (ISO 3166 code)
preview-show = Show the preview
preview-bad-code = { $code } is not a member code: give three letters, such as NER.
preview-no-identity = This node has no federation identity (no node key was loaded), so no preview can be made: objects cannot be sealed without it.
preview-failed = The preview could not be made: { $reason }
preview-count = { $count ->
    [0] { $to } would receive nothing from this node now.
    [one] { $to } would receive one incident from this node now.
   *[other] { $to } would receive { $n } incidents from this node now.
}
preview-more = The first { $shown } of { $n } are shown; the command liaison agreement preview lists them all.
preview-version = Version
preview-agreement = Under
preview-under = agreement { $agreement }, version { $version }
preview-onward = onward release of an object received from another member
preview-applied = Obligations applied
preview-applied-none = none: released as recorded
preview-object = The STIX object as it would leave
