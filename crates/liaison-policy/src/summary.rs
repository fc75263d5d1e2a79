//! An agreement in plain English, for the liaison officer who signs it (`liaison agreement
//! show`): who releases to whom, what, with which obligations, from when until when, and whether
//! it may be passed on. Generated from the same data the Cedar policy is, so the two cannot
//! drift apart.

use std::fmt::Write as _;

use liaison_core::{Agreement, Classification, CountryCode};

use crate::cedar::{decimal_text, obligation_lines};
use crate::zones;

fn member_list(codes: &[CountryCode]) -> String {
    let mut v: Vec<String> = codes
        .iter()
        .map(|c| format!("{} ({c})", c.name_en()))
        .collect();
    v.sort();
    match v.len() {
        0 => String::new(),
        1 => v.remove(0),
        _ => {
            let last = v.pop().unwrap_or_default();
            format!("{} and {last}", v.join(", "))
        }
    }
}

fn classification_word(c: Classification) -> &'static str {
    match c {
        Classification::Unclassified => "unclassified",
        Classification::Restricted => "restricted",
        Classification::Confidential => "confidential",
        Classification::Secret => "secret",
    }
}

/// The plain-language summary, one paragraph per line.
pub fn summary(a: &Agreement) -> String {
    let s = &a.scope;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Agreement {}, version {}: \"{}\".",
        a.id,
        a.version,
        a.title.trim()
    );
    if a.revoked {
        t.push_str("Revoked: it releases nothing.\n");
    }
    let _ = writeln!(
        t,
        "Who: {} releases to {}.",
        member_list(std::slice::from_ref(&a.originator)),
        member_list(&a.recipients)
    );
    let mut what: Vec<String> = Vec::new();
    if s.event_types.is_empty() {
        what.push("of every event type".into());
    } else {
        let v: Vec<&str> = s.event_types.iter().map(|e| e.as_str()).collect();
        what.push(format!("of type {}", v.join(", ")));
    }
    if s.countries.is_empty() {
        // The zones below say where; "anywhere" would contradict them.
        if s.zones.is_empty() {
            what.push("anywhere".into());
        }
    } else {
        what.push(format!(
            "in {} (the incident's country or where its point falls)",
            member_list(&s.countries)
        ));
    }
    if let Some(b) = s.bbox {
        what.push(format!(
            "with a point between latitudes {} and {} and longitudes {} and {}",
            decimal_text(b.south),
            decimal_text(b.north),
            decimal_text(b.west),
            decimal_text(b.east)
        ));
    }
    if !s.zones.is_empty() {
        let words: Vec<String> = zones::scope_zones(a)
            .into_iter()
            .map(zones::zone_words)
            .collect();
        what.push(format!("with a point in {}", words.join(" or ")));
    }
    what.push(format!(
        "classified at most {}",
        classification_word(s.max_classification)
    ));
    what.push(format!("marked at most {}", s.max_tlp.label()));
    if let Some(d) = s.max_age_days {
        what.push(format!(
            "that ended at most {d} days before the day of release"
        ));
    }
    if !s.actors.is_empty() {
        let v: Vec<&str> = s.actors.iter().map(|x| x.as_str()).collect();
        what.push(format!("involving actor {}", v.join(" or ")));
    }
    let _ = writeln!(
        t,
        "What: incidents {} originated, {}.",
        a.originator.name_en(),
        what.join(", ")
    );
    let obligations = obligation_lines(&a.obligations);
    if obligations.is_empty() {
        t.push_str("Obligations: none; released as recorded.\n");
    } else {
        let _ = writeln!(t, "Obligations: {}.", obligations.join("; "));
    }
    let when = match (a.valid_from, a.expires) {
        (None, None) => "from the day it is adopted, with no expiry".to_owned(),
        (Some(f), None) => format!("from {f} (embargo until then), with no expiry"),
        (None, Some(x)) => format!("from the day it is adopted until the day before {x}"),
        (Some(f), Some(x)) => format!("from {f} until the day before {x}"),
    };
    let _ = writeln!(t, "In force: {when}.");
    if a.onward_release {
        t.push_str(
            "Onward release: each recipient may pass what it receives on, unchanged, to the other recipients of this agreement, and to no one else.\n",
        );
    } else {
        t.push_str("Onward release: none; recipients may not pass anything on.\n");
    }
    t.push_str(
        "Always, whatever the agreement: nothing marked TLP:AMBER+STRICT or TLP:RED leaves, and an incident marked releasable to named members reaches no one else.\n",
    );
    t
}
