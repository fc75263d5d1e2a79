//! The actors' screens: the list links each actor to its graph page; the page lists the links
//! with kinds, dates and sources (escaped), loads the Cytoscape.js bundle and points it at the
//! JSON of the same neighbourhood; GraphML downloads; every role reads it, in English and
//! French; an unknown or malformed id is the application's "not found".

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Client, node};
use liaison_core::Actor;
use serde_json::{Value, json};

async fn with_actors() -> common::TestNode {
    let n = node().await;
    let actors: Vec<Actor> = serde_json::from_value(json!([
        {"id": "s:aqim", "kind": "armed_group", "name": "AQIM", "relations": [
            {"kind": "cooperates_with", "actor": "s:colombians", "from": "2010-10-21",
             "until": "2010-10-31", "source": "brief <opening section>"}]},
        {"id": "s:targui", "kind": "person", "name": "Abdelkarim Targui", "relations": [
            {"kind": "part_of", "actor": "s:aqim"}]},
        {"id": "s:colombians", "kind": "criminal_network", "name": "Colombian drug traffickers"},
        {"id": "s:far", "kind": "person", "name": "Far away", "relations": [
            {"kind": "trains", "actor": "s:targui"}]},
    ]))
    .unwrap();
    n.store.put_actors(&actors).await.unwrap();
    n
}

#[tokio::test]
async fn the_list_links_to_a_graph_page_with_its_links_and_exports() {
    let n = with_actors().await;
    let mut c = Client::new(&n);
    c.sign_in("awa").await; // an auditor: every role reads the actors

    let list = c.get("/ui/actors").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("href=\"/ui/actors/s:aqim/graph\""),
        "{}",
        list.body
    );
    assert!(list.body.contains("criminal network"));

    let page = c.get("/ui/actors/s:aqim/graph?depth=1").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("Link graph: AQIM"), "{body}");
    assert!(body.contains("3 actors, 2 links"), "{body}");
    assert!(
        body.contains("cooperates with") && body.contains("part of"),
        "{body}"
    );
    assert!(body.contains("21 October 2010 – 31 October 2010"), "{body}");
    // The source's text is escaped, never markup.
    assert!(body.contains("brief &#60;opening section&#62;"), "{body}");
    assert!(!body.contains("<opening section>"), "{body}");
    assert!(
        !body.contains("Far away"),
        "depth 1 stops before Far: {body}"
    );
    assert!(
        body.contains("data-url=\"/ui/actors/s:aqim/graph.json?depth=1\""),
        "{body}"
    );
    assert!(body.contains("/static/dist/actor-graph.js?v="), "{body}");
    assert!(body.contains("<option value=\"1\" selected>"), "{body}");
    // The CSP (style-src 'self') refuses style attributes: the script sizes the graph.
    assert!(!body.contains("style=\""), "{body}");

    let two = c.get("/ui/actors/s:aqim/graph").await;
    assert!(two.body.contains("Far away"), "the default depth is 2");

    let data = c.get("/ui/actors/s:aqim/graph.json?depth=1").await;
    assert_eq!(data.status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&data.body).unwrap();
    assert_eq!(doc["elements"]["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(doc["elements"]["edges"][0]["data"]["source"], "s:aqim");

    let xml = c.get("/ui/actors/s:aqim/graph.graphml?depth=2").await;
    assert_eq!(xml.status, StatusCode::OK);
    assert!(xml.body.starts_with("<?xml") && xml.body.trim_end().ends_with("</graphml>"));
    assert_eq!(xml.body.matches("<node ").count(), 4);

    let js = c.get("/static/dist/actor-graph.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(
        js.body.contains("cytoscape"),
        "the bundle carries Cytoscape.js"
    );
}

#[tokio::test]
async fn french_pages_unknown_actors_and_signed_out_visitors() {
    let n = with_actors().await;
    let mut c = Client::new(&n);
    c.accept_language = "fr";
    c.sign_in("karim").await;
    let page = c.get("/ui/actors/s:targui/graph").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Graphe des liens"), "{}", page.body);
    assert!(page.body.contains("fait partie de"), "{}", page.body);
    // A bad depth falls back to the default rather than failing the page.
    let bad = c.get("/ui/actors/s:targui/graph?depth=9").await;
    assert!(
        bad.body.contains("<option value=\"2\" selected>"),
        "{}",
        bad.body
    );

    for path in [
        "/ui/actors/s:nobody/graph",
        "/ui/actors/not%20an%20id/graph",
        "/ui/actors/s:nobody/graph.json",
        "/ui/actors/s:nobody/graph.graphml",
    ] {
        let a = c.get(path).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
    }

    let mut stranger = Client::new(&n);
    let a = stranger.get("/ui/actors/s:aqim/graph").await;
    assert!(a.status.is_redirection(), "{}", a.status);
    assert!(a.location().starts_with("/ui/login"), "{}", a.location());
}
