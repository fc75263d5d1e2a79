//! The incident form: a refused form comes back with every problem beside its field and in the
//! summary, as typed, with nothing stored; a good one is stored as the API would store it and
//! redirects to the incident; edits make new versions and a stale one is refused; roles, CSRF
//! and the language are respected; ids that are not this member's own are simply not found.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Client, NOW, TestNode, csrf_of, node};
use liaison_core::{
    Classification, CountryCode, DateSpan, GeoPoint, Incident, IncidentContent, IncidentId,
    Location, LocationPrecision, Markings, SubType, Tlp,
};

/// The opening tag of the element with `id`.
fn tag<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element #{id} in:\n{html}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

/// The text of the error summary.
fn summary(html: &str) -> &str {
    let at = html
        .find("id=\"error-summary\"")
        .unwrap_or_else(|| panic!("no error summary in:\n{html}"));
    let end = at + html[at..].find("</div>").unwrap();
    &html[at..end]
}

/// Asserts that `field` is marked in error: its message beside it, tied to the input, and a
/// link to it in the summary.
fn assert_flagged(html: &str, field: &str) {
    let input = tag(html, &format!("f-{field}"));
    assert!(input.contains("aria-invalid=\"true\""), "{input}");
    let described = input
        .split("aria-describedby=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("{field} has no aria-describedby: {input}"));
    assert!(
        described.split(' ').any(|i| i == format!("err-{field}")),
        "{input}"
    );
    let message = tag(html, &format!("err-{field}"));
    assert!(message.contains("class=\"field-error\""), "{message}");
    assert!(
        summary(html).contains(&format!("href=\"#f-{field}\"")),
        "{field} is not in the summary"
    );
}

/// A complete, valid form: an IED at Gao, with a graded source and markings.
fn good_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "IED on the Gao–Ansongo road"),
        ("sub_type", "ied"),
        ("date_start", "2026-11-20"),
        ("date_end", ""),
        ("date_precision", "day"),
        ("lat", "16.27"),
        ("lon", "-0.04"),
        ("location_precision", "near"),
        ("place_name", "Gao"),
        ("admin1", "Gao"),
        ("admin2", ""),
        ("country", ""),
        ("fatalities_best", "4"),
        ("fatalities_low", ""),
        ("fatalities_high", "6"),
        ("fatalities_dispute", ""),
        ("injured", "2"),
        ("kidnapped", ""),
        ("released", ""),
        ("actor_name", "JNIM"),
        ("actor_role", "perpetrator"),
        ("narrative", "Un véhicule a sauté sur un engin explosif."),
        ("narrative_lang", "fr"),
        ("source_name", "Studio Tamani"),
        ("source_reference", "Explosion près de Gao"),
        ("source_url", "https://www.studiotamani.org/"),
        ("source_reliability", "B"),
        ("source_credibility", "2"),
        ("classification", "confidential"),
        ("tlp", "amber_strict"),
        ("releasable_to", "ner, BFA"),
    ]
}

/// `fields` with `changes` applied.
fn with<'a>(
    fields: &[(&'a str, &'a str)],
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    fields
        .iter()
        .map(|(k, v)| {
            let v = changes.iter().find(|(c, _)| c == k).map_or(*v, |(_, n)| *n);
            (*k, v)
        })
        .collect()
}

/// Posts `fields` with the page's CSRF token.
async fn submit(c: &mut Client<'_>, path: &str, fields: &[(&str, &str)]) -> common::Answer {
    let csrf = csrf_of(&c.page(path).await);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    c.post(path, &all).await
}

async fn analyst(node: &TestNode) -> Client<'_> {
    let mut c = Client::new(node);
    c.sign_in("amadou").await;
    c
}

fn id(s: &str) -> IncidentId {
    IncidentId::parse(s).unwrap()
}

#[tokio::test]
async fn a_refused_form_shows_every_problem_and_keeps_what_was_typed() {
    let node = node().await;
    let mut c = analyst(&node).await;
    let empty = c.page("/ui/incidents/new").await;
    assert!(!empty.contains("error-summary"));
    // Every input is labelled.
    for (name, _) in good_fields() {
        assert!(
            empty.contains(&format!("<label for=\"f-{name}\"")),
            "{name}"
        );
    }
    let bad = with(
        &good_fields(),
        &[
            ("title", "  "),
            ("lat", "123"),
            ("date_start", "2026-11-20"),
            ("date_end", "2026-11-19"),
            ("fatalities_best", "3"),
            ("fatalities_low", "5"),
            ("fatalities_high", ""),
            ("place_name", "Tessit"),
        ],
    );
    let a = submit(&mut c, "/ui/incidents/new", &bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!a.body.contains('⟦'), "{}", a.body);
    for field in ["title", "lat", "date_end", "fatalities_low"] {
        assert_flagged(&a.body, field);
    }
    assert!(a.body.contains("Enter a title."));
    assert!(a.body.contains("The latitude must be between -90 and 90."));
    assert!(
        a.body
            .contains("The end date must not be before the start date.")
    );
    assert!(
        a.body
            .contains("The low estimate must not be above the best estimate")
    );
    assert!(tag(&a.body, "error-summary").contains("role=\"alert\""));
    assert!(a.body.contains("<title>Error: New incident"));
    // Fields without a problem are not marked.
    assert!(!tag(&a.body, "f-lon").contains("aria-invalid"));
    assert!(!a.body.contains("id=\"err-country\""));
    // What was typed comes back.
    assert!(tag(&a.body, "f-lat").contains("value=\"123\""));
    assert!(tag(&a.body, "f-date_end").contains("value=\"2026-11-19\""));
    assert!(tag(&a.body, "f-fatalities_low").contains("value=\"5\""));
    assert!(tag(&a.body, "f-place_name").contains("value=\"Tessit\""));
    assert!(a.body.contains("<option value=\"ied\" selected>"));
    assert!(a.body.contains("<option value=\"amber_strict\" selected>"));
    assert!(
        a.body
            .contains("Un véhicule a sauté sur un engin explosif.</textarea>")
    );
    assert_eq!(node.store.count_incidents().await.unwrap(), 0);
}

#[tokio::test]
async fn a_good_form_is_stored_and_redirects_to_the_incident() {
    let node = node().await;
    let mut c = analyst(&node).await;
    let a = submit(&mut c, "/ui/incidents/new", &good_fields()).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location(), "/ui/incidents/mli-0001");
    assert_eq!(node.store.count_incidents().await.unwrap(), 1);
    let inc = node.store.get_incident(&id("mli-0001")).await.unwrap();
    assert_eq!(inc.originator.as_str(), "MLI");
    assert_eq!(inc.version, 1);
    let c = &inc.content;
    assert_eq!(c.title, "IED on the Gao–Ansongo road");
    assert_eq!(c.sub_type, SubType::Ied);
    assert_eq!(c.date.start.to_string(), "2026-11-20");
    assert_eq!(c.date.end, c.date.start);
    assert_eq!(
        c.location.point,
        Some(GeoPoint {
            lat: 16.27,
            lon: -0.04
        })
    );
    assert_eq!(c.location.precision, LocationPrecision::Near);
    // No country was typed: the point's country is taken.
    assert_eq!(c.location.country.as_ref().unwrap().as_str(), "MLI");
    assert_eq!(
        c.location.coordinates_country.as_ref().unwrap().as_str(),
        "MLI"
    );
    assert_eq!(c.location.admin2, None);
    let f = &c.casualties.fatalities;
    assert_eq!((f.best, f.low, f.high), (4, 4, 6));
    assert_eq!(c.casualties.injured, Some(2));
    assert_eq!(c.casualties.kidnapped, None);
    assert_eq!(c.actors.len(), 1);
    assert_eq!(c.actors[0].name, "JNIM");
    assert_eq!(c.narrative.as_ref().unwrap().lang.as_str(), "fr");
    assert_eq!(c.sources.len(), 1);
    assert_eq!(c.sources[0].grade(), "B2");
    assert_eq!(
        c.sources[0].url.as_deref(),
        Some("https://www.studiotamani.org/")
    );
    assert_eq!(c.markings.classification, Classification::Confidential);
    assert_eq!(c.markings.tlp, Tlp::AmberStrict);
    let to: Vec<&str> = c
        .markings
        .releasable_to
        .iter()
        .map(CountryCode::as_str)
        .collect();
    assert_eq!(to, ["NER", "BFA"]);
}

#[tokio::test]
async fn an_edit_makes_a_new_version_and_a_stale_one_is_refused() {
    let node = node().await;
    let mut c = analyst(&node).await;
    let a = submit(&mut c, "/ui/incidents/new", &good_fields()).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let edit = c.page("/ui/incidents/mli-0001/edit").await;
    assert!(tag(&edit, "f-title").contains("value=\"IED on the Gao–Ansongo road\""));
    assert!(tag(&edit, "f-lat").contains("value=\"16.27\""));
    assert!(tag(&edit, "f-country").contains("value=\"MLI\""));
    assert!(tag(&edit, "f-fatalities_high").contains("value=\"6\""));
    assert!(edit.contains("name=\"base_version\" value=\"1\""));
    assert!(edit.contains("<option value=\"ied\" selected>"));
    assert!(edit.contains("<option value=\"B\" selected>"));
    assert!(edit.contains("action=\"/ui/incidents/mli-0001/edit\""));
    let changed = with(
        &good_fields(),
        &[
            ("title", "IED near Gao, two vehicles"),
            ("fatalities_best", "5"),
        ],
    );
    let mut fields = vec![("base_version", "1")];
    fields.extend(changed.iter().copied());
    let a = submit(&mut c, "/ui/incidents/mli-0001/edit", &fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location(), "/ui/incidents/mli-0001");
    let inc = node.store.get_incident(&id("mli-0001")).await.unwrap();
    assert_eq!(inc.version, 2);
    assert_eq!(inc.content.title, "IED near Gao, two vehicles");
    assert_eq!(inc.content.casualties.fatalities.best, 5);
    assert_eq!(
        node.store
            .incident_versions(&id("mli-0001"))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(node.store.count_incidents().await.unwrap(), 1);

    // Another edit still based on version 1: refused, the typed values kept, nothing stored.
    let stale_fields = with(&fields, &[("title", "Overwritten?")]);
    let a = submit(&mut c, "/ui/incidents/mli-0001/edit", &stale_fields).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(
        a.body
            .contains("Version 2 of this incident was saved by someone else"),
        "{}",
        a.body
    );
    assert!(tag(&a.body, "f-title").contains("value=\"Overwritten?\""));
    assert!(!a.body.contains('⟦'));
    let inc = node.store.get_incident(&id("mli-0001")).await.unwrap();
    assert_eq!(inc.version, 2);
    assert_eq!(inc.content.title, "IED near Gao, two vehicles");
}

#[tokio::test]
async fn other_members_and_unknown_ids_are_simply_not_found() {
    let node = node().await;
    let foreign = Incident::new(
        id("ner-0007"),
        CountryCode::parse("NER").unwrap(),
        1,
        IncidentContent {
            title: "Attack at Tillabéri".into(),
            sub_type: SubType::ArmedAttack,
            date: DateSpan::day(NOW.date()),
            location: Location {
                point: None,
                precision: LocationPrecision::Country,
                place_name: None,
                admin1: None,
                admin2: None,
                country: Some(CountryCode::parse("NER").unwrap()),
                coordinates_country: None,
            },
            actors: vec![],
            casualties: Default::default(),
            narrative: None,
            sources: vec![],
            markings: Markings::default(),
            provenance: None,
        },
    );
    node.store
        .create_incident(&foreign, "peer", NOW)
        .await
        .unwrap();
    let mut c = analyst(&node).await;
    let unknown = c.get("/ui/incidents/mli-9999/edit").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    for path in ["/ui/incidents/ner-0007/edit", "/ui/incidents/bad%20id/edit"] {
        let a = c.get(path).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        // The same page whatever the reason.
        assert_eq!(a.body, unknown.body, "{path}");
    }
    let csrf = csrf_of(&c.page("/ui/incidents/new").await);
    let mut fields = vec![("csrf", csrf.as_str()), ("base_version", "1")];
    fields.extend(good_fields());
    let a = c.post("/ui/incidents/ner-0007/edit", &fields).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let stored = node.store.get_incident(&id("ner-0007")).await.unwrap();
    assert_eq!(stored, foreign);
}

#[tokio::test]
async fn auditors_may_not_use_the_form() {
    let node = node().await;
    let mut a = analyst(&node).await;
    assert_eq!(
        submit(&mut a, "/ui/incidents/new", &good_fields())
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let mut c = Client::new(&node);
    c.sign_in("awa").await;
    assert_eq!(
        c.get("/ui/incidents/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.get("/ui/incidents/mli-0001/edit").await.status,
        StatusCode::FORBIDDEN
    );
    // With the auditor's own valid token, still refused.
    let csrf = csrf_of(&c.page("/ui/").await);
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(good_fields());
    assert_eq!(
        c.post("/ui/incidents/new", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    fields.push(("base_version", "1"));
    assert_eq!(
        c.post("/ui/incidents/mli-0001/edit", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(node.store.count_incidents().await.unwrap(), 1);
    assert_eq!(
        node.store
            .get_incident(&id("mli-0001"))
            .await
            .unwrap()
            .version,
        1
    );
}

#[tokio::test]
async fn posts_without_the_session_token_are_refused() {
    let node = node().await;
    let mut c = analyst(&node).await;
    c.page("/ui/incidents/new").await;
    let mut forged = vec![("csrf", "forged")];
    forged.extend(good_fields());
    let a = c.post("/ui/incidents/new", &forged).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = c.post("/ui/incidents/new", &good_fields()).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(node.store.count_incidents().await.unwrap(), 0);
}

#[tokio::test]
async fn french_users_read_french_messages() {
    let node = node().await;
    let mut c = analyst(&node).await;
    c.accept_language = "fr-ML,fr;q=0.9";
    let empty = c.page("/ui/incidents/new").await;
    assert!(empty.contains("<html lang=\"fr\""));
    assert!(empty.contains("Nouvel incident"));
    assert!(empty.contains("<optgroup label=\"Attaque\">"));
    assert!(empty.contains("Engin explosif improvisé ou mine"));
    let bad = with(
        &good_fields(),
        &[
            ("title", ""),
            ("lat", "91"),
            ("date_end", "2026-11-01"),
            ("fatalities_low", "9"),
            ("source_reliability", ""),
        ],
    );
    let a = submit(&mut c, "/ui/incidents/new", &bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!a.body.contains('⟦'));
    for message in [
        "Il y a un problème",
        "Saisissez un titre.",
        "La latitude doit être comprise entre -90 et 90.",
        "La date de fin ne doit pas précéder la date de début.",
        "L&#39;estimation basse ne doit pas dépasser la meilleure estimation",
        "Cotez la fiabilité de la source (A à F).",
    ] {
        assert!(
            a.body.contains(message),
            "{message} missing in:\n{}",
            a.body
        );
    }
    assert!(summary(&a.body).contains("Titre : Saisissez un titre."));
    assert_eq!(node.store.count_incidents().await.unwrap(), 0);
}

#[tokio::test]
async fn a_comma_decimal_and_a_country_only_place_are_accepted() {
    let node = node().await;
    let mut c = analyst(&node).await;
    let fields = with(
        &good_fields(),
        &[("lat", "16,27"), ("lon", "-0,04"), ("country", "mli")],
    );
    let a = submit(&mut c, "/ui/incidents/new", &fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let fields = with(
        &good_fields(),
        &[
            ("lat", ""),
            ("lon", ""),
            ("location_precision", "country"),
            ("country", "BFA"),
        ],
    );
    let a = submit(&mut c, "/ui/incidents/new", &fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location(), "/ui/incidents/mli-0002");
    let inc = node.store.get_incident(&id("mli-0002")).await.unwrap();
    assert_eq!(inc.content.location.point, None);
    assert_eq!(inc.content.location.country.unwrap().as_str(), "BFA");
    let first = node.store.get_incident(&id("mli-0001")).await.unwrap();
    assert_eq!(
        first.content.location.point,
        Some(GeoPoint {
            lat: 16.27,
            lon: -0.04
        })
    );
}
