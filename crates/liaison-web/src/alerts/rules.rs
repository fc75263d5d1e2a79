//! `GET|POST /ui/alerts/rules` and `POST /ui/alerts/rules/{id}/retire`: this node's watch
//! rules with their criteria in words, a form to add rules by pasting JSON (the rule file format
//! of docs/operations.md: one object, an array or JSON lines), and a retire button per rule.
//!
//! The pasted text is read by `liaison_ops::watch::parse_rules`, as the API and the CLI read
//! it; every broken field is listed by the name it gives (`rules[1].threshold.days`) and the
//! text is kept in the form, so a rule is fixed in one pass. As in the API, only this node's
//! member's rules are recorded. Retired rules stay listed: their alerts still name them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_ops::watch::{WatchRule, check_rule_id, parse_rules};
use liaison_store::{StoreError, WatchRuleRow};
use serde::Deserialize;

use super::{frame, open_alerts};
use crate::WebState;
use crate::i18n::Tr;
use crate::layout::{Page, failure, not_found, render};
use crate::session::{Screen, Session};

const PATH: &str = "/ui/alerts/rules";
/// Longest text the form takes, in bytes: far more than any sensible set of rules.
const MAX_TEXT_BYTES: usize = 256 * 1024;

struct RuleRow {
    id: String,
    name: String,
    criteria: String,
    flash: bool,
    active: bool,
    recorded: String,
    retire_action: String,
}

/// One broken field of the pasted rules, as `parse_rules` names it.
struct FieldProblem {
    field: String,
    message: String,
}

#[derive(Template)]
#[template(path = "alerts_rules.html")]
struct RulesPage {
    page: Page,
    notice: Option<String>,
    problems: Vec<String>,
    fields: Vec<FieldProblem>,
    text: String,
    example: String,
    rows: Vec<RuleRow>,
    can_edit: bool,
}

/// A rule's criteria in words, one phrase per criterion, in the reader's language.
fn criteria(tr: &Tr, r: &WatchRule) -> String {
    let list = |id: &str, items: Vec<String>| -> Option<String> {
        (!items.is_empty()).then(|| tr.ta(id, &[("list", items.join(", ").into())]))
    };
    let n = |v: u32| i64::from(v).into();
    let mut parts: Vec<String> = [
        list(
            "rules-crit-types",
            r.event_types
                .iter()
                .map(|t| tr.t(&format!("type-{}", t.as_str())))
                .collect(),
        ),
        list(
            "rules-crit-subtypes",
            r.sub_types
                .iter()
                .map(|t| tr.t(&format!("subtype-{}", t.as_str())))
                .collect(),
        ),
        list("rules-crit-actors", r.actors.clone()),
        list("rules-crit-zones", r.zones.clone()),
        list(
            "rules-crit-countries",
            r.countries.iter().map(|c| c.to_string()).collect(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(k) = r.min_fatalities {
        parts.push(tr.ta("rules-crit-fatalities", &[("n", n(k))]));
    }
    if let Some(k) = r.min_kidnapped {
        parts.push(tr.ta("rules-crit-kidnapped", &[("n", n(k))]));
    }
    if let Some(t) = &r.threshold {
        parts.push(tr.ta(
            "rules-crit-threshold",
            &[("count", n(t.count)), ("days", n(t.days))],
        ));
    }
    parts.join(" · ")
}

fn row(s: &Session, r: &WatchRuleRow) -> RuleRow {
    let segment: String = form_urlencoded::byte_serialize(r.rule.id.as_bytes()).collect();
    RuleRow {
        id: r.rule.id.clone(),
        name: r.rule.name.clone(),
        criteria: criteria(&s.tr, &r.rule),
        flash: r.rule.flash,
        active: r.active,
        recorded: s.tr.ta(
            "rules-recorded-by",
            &[
                ("version", r.version.into()),
                ("by", r.recorded_by.as_str().into()),
                ("at", s.tr.timestamp(&r.recorded_at).into()),
            ],
        ),
        retire_action: format!("{PATH}/{segment}/retire"),
    }
}

/// A rule to start from, for this node's member.
fn example(member: &str) -> String {
    let rule = serde_json::json!({
        "id": "attacks-week",
        "member": member,
        "name": "Three armed attacks within a week",
        "sub_types": ["armed_attack"],
        "countries": [member],
        "threshold": {"count": 3, "days": 7},
        "flash": true,
    });
    serde_json::to_string_pretty(&rule).unwrap_or_default()
}

/// What the page shows beside the rules after a post.
#[derive(Default)]
struct Back {
    notice: Option<String>,
    problems: Vec<String>,
    fields: Vec<FieldProblem>,
    text: String,
}

async fn render_rules(state: &WebState, s: &Session, back: Back) -> Response {
    let member = state.app.member.as_str();
    let rules = match state.app.store.watch_rules(true).await {
        Ok(r) => r,
        Err(e) => return failure(s, member, &e),
    };
    let open = match open_alerts(state).await {
        Ok(n) => n,
        Err(e) => return failure(s, member, &e),
    };
    render(&RulesPage {
        page: frame(s, member, Screen::Alerts, "rules-title", PATH, open),
        notice: back.notice,
        problems: back.problems,
        fields: back.fields,
        text: back.text,
        example: example(member),
        rows: rules.iter().map(|r| row(s, r)).collect(),
        can_edit: s.may(Screen::WatchRules),
    })
}

/// The notice a redirect asks for (`?recorded=2&unchanged=1`, `?retired=id`).
fn notice(s: &Session, query: &str) -> Option<String> {
    let mut recorded = None;
    let mut unchanged = 0i64;
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "recorded" => recorded = v.parse::<i64>().ok(),
            "unchanged" => unchanged = v.parse().unwrap_or(0),
            // Only a well-formed rule id is echoed (and askama escapes it anyway).
            "retired" if check_rule_id(&v).is_ok() => {
                return Some(s.tr.ta("rules-retired", &[("id", v.as_ref().into())]));
            }
            _ => {}
        }
    }
    recorded.map(|n| {
        s.tr.ta(
            "rules-recorded",
            &[("recorded", n.into()), ("unchanged", unchanged.into())],
        )
    })
}

pub(super) async fn page(
    State(state): State<WebState>,
    s: Session,
    RawQuery(q): RawQuery,
) -> Response {
    if let Err(refused) = s.require(Screen::Alerts) {
        return refused;
    }
    let back = Back {
        notice: notice(&s, q.as_deref().unwrap_or("")),
        ..Back::default()
    };
    render_rules(&state, &s, back).await
}

#[derive(Deserialize)]
pub(super) struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    rules: String,
}

pub(super) async fn add(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Form(form): Form<AddForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::WatchRules) {
        return refused;
    }
    let member = state.app.member.as_str();
    let mut back = Back::default();
    if form.rules.len() > MAX_TEXT_BYTES {
        back.problems.push(s.tr.ta(
            "rules-error-too-long",
            &[("max", ((MAX_TEXT_BYTES / 1024) as i64).into())],
        ));
        return render_rules(&state, &s, back).await;
    }
    back.text = form.rules.clone();
    let rules = match parse_rules(&form.rules) {
        Ok(r) if r.is_empty() => {
            back.problems.push(s.tr.t("rules-error-empty"));
            return render_rules(&state, &s, back).await;
        }
        Ok(r) => r,
        Err(errors) => {
            back.problems.push(s.tr.t("rules-error-summary"));
            back.fields = errors
                .0
                .into_iter()
                .map(|e| FieldProblem {
                    field: if e.field.is_empty() {
                        s.tr.t("rules-error-whole")
                    } else {
                        e.field
                    },
                    message: e.message,
                })
                .collect();
            return render_rules(&state, &s, back).await;
        }
    };
    // A node keeps its own member's rules only, as the API does: another member's rule would
    // raise alerts here that nobody there sees.
    back.fields = rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.member.as_str() != member)
        .map(|(i, _)| FieldProblem {
            field: format!("rules[{i}].member"),
            message: s.tr.ta("rules-error-member", &[("member", member.into())]),
        })
        .collect();
    if !back.fields.is_empty() {
        back.problems.push(s.tr.t("rules-error-summary"));
        return render_rules(&state, &s, back).await;
    }
    match state
        .app
        .store
        .put_watch_rules(&rules, (state.app.clock)(), &s.user.name)
        .await
    {
        Ok(done) => {
            let changed = done.iter().filter(|r| r.changed).count();
            Redirect::to(&format!(
                "{PATH}?recorded={changed}&unchanged={}",
                done.len() - changed
            ))
            .into_response()
        }
        Err(e) => failure(&s, member, &e),
    }
}

#[derive(Deserialize)]
pub(super) struct RetireForm {
    #[serde(default)]
    csrf: String,
}

pub(super) async fn retire(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<RetireForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::WatchRules) {
        return refused;
    }
    let member = state.app.member.as_str();
    match state
        .app
        .store
        .retire_watch_rule(&id, (state.app.clock)(), &s.user.name)
        .await
    {
        Ok(()) => {
            let segment: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
            Redirect::to(&format!("{PATH}?retired={segment}")).into_response()
        }
        Err(StoreError::NotFound) => not_found(&s, member),
        Err(StoreError::Conflict(_)) => {
            let back = Back {
                problems: vec![s.tr.ta("rules-error-retired", &[("id", id.as_str().into())])],
                ..Back::default()
            };
            render_rules(&state, &s, back).await
        }
        Err(e) => failure(&s, member, &e),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn criteria_are_put_in_words() {
        let rules = parse_rules(
            r#"{"id": "r", "member": "MLI", "name": "n", "event_types": ["abduction"],
               "actors": ["AQIM"], "countries": ["MLI", "NER"], "min_fatalities": 5,
               "threshold": {"count": 3, "days": 7}}"#,
        )
        .unwrap();
        let en = criteria(&Tr::new(Locale::En), &rules[0]);
        assert!(en.contains("AQIM"), "{en}");
        assert!(en.contains("MLI, NER"), "{en}");
        assert!(!en.contains('⟦'), "{en}");
        let fr = criteria(&Tr::new(Locale::Fr), &rules[0]);
        assert!(!fr.contains('⟦'), "{fr}");
        assert_ne!(en, fr);
    }

    #[test]
    fn the_example_is_a_good_rule() {
        let rules = parse_rules(&example("MLI")).unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].member.as_str(), "MLI");
    }
}
