//! Plain-text rendering of an incident for the terminal.

use std::fmt::Write;

use liaison_core::Incident;

/// A readable, multi-line account of an incident.
pub fn incident_text(inc: &Incident) -> String {
    let c = &inc.content;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  (version {}, originator {})",
        inc.id, inc.version, inc.originator
    );
    let _ = writeln!(s, "title:      {}", c.title);
    let _ = writeln!(
        s,
        "type:       {} / {}",
        inc.event_type.as_str(),
        c.sub_type.as_str()
    );
    let d = &c.date;
    if d.start == d.end {
        let _ = writeln!(
            s,
            "date:       {} (precision: {})",
            d.start,
            d.precision.as_str()
        );
    } else {
        let _ = writeln!(
            s,
            "date:       {} to {} (precision: {})",
            d.start,
            d.end,
            d.precision.as_str()
        );
    }
    let l = &c.location;
    let place = [&l.place_name, &l.admin2, &l.admin1]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        s,
        "place:      {} [{}] (precision: {})",
        place,
        l.country.as_ref().map_or("?", |c| c.as_str()),
        l.precision.as_str()
    );
    if let Some(p) = l.point {
        let _ = writeln!(s, "point:      {:.5}, {:.5}", p.lat, p.lon);
    }
    if l.country_disagrees() {
        let _ = writeln!(
            s,
            "warning:    the source says {} but the coordinates fall in {}",
            l.country.as_ref().map_or("?", |c| c.as_str()),
            l.coordinates_country.as_ref().map_or("?", |c| c.as_str())
        );
    }
    for a in &c.actors {
        let _ = writeln!(s, "actor:      {} ({:?})", a.name, a.role);
    }
    let cas = &c.casualties;
    let f = &cas.fatalities;
    let _ = writeln!(
        s,
        "fatalities: best {}, low {}, high {}",
        f.best, f.low, f.high
    );
    if let Some(d) = &f.dispute {
        let _ = writeln!(s, "disputed:   {d}");
    }
    for (label, v) in [
        ("injured", cas.injured),
        ("kidnapped", cas.kidnapped),
        ("released", cas.released),
    ] {
        if let Some(v) = v {
            let _ = writeln!(s, "{label:<11} {v}");
        }
    }
    if let Some(n) = &c.narrative {
        let _ = writeln!(s, "narrative ({}): {}", n.lang.as_str(), n.text);
    }
    for src in &c.sources {
        let _ = writeln!(
            s,
            "source:     [{}] {}{}",
            src.grade(),
            src.name,
            src.reference
                .as_ref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default()
        );
    }
    let m = &c.markings;
    let releasable = if m.releasable_to.is_empty() {
        "originator only".to_owned()
    } else {
        m.releasable_to
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        s,
        "markings:   {:?}, {}, releasable to {releasable}",
        m.classification,
        m.tlp.label()
    );
    if let Some(p) = &c.provenance {
        let _ = writeln!(s, "provenance: {} record {}", p.dataset, p.record_id);
        if let Some(a) = &p.attribution {
            let _ = writeln!(s, "            {a}");
        }
    }
    s
}
