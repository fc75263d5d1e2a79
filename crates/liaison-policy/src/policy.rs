//! The agreements of this node compiled to one Cedar policy set, and the decision for one
//! recipient and one incident.
//!
//! Only agreements this node originates count (another member's agreement releases that
//! member's objects, not ours), and revoked ones release nothing, so both are left out at
//! compile time. Each remaining agreement is validated, then becomes one `permit` policy with
//! id `<agreement id>@<version>`; the standing `forbid` policies ([`cedar::GUARDS`]) are added,
//! and the whole set is validated against [`cedar::SCHEMA`] in strict mode, so a generator bug
//! is a compile error, not a silent deny at release time.
//!
//! **Which agreement, when several allow**: the one with the fewest obligations
//! ([`liaison_core::Obligations::count`]), then the lowest id. Each agreement is its
//! originator's statement that releasing under its terms is acceptable; the least degraded copy
//! that one of them allows is the one the originator meant the recipient to have, and the id
//! breaks ties so that the same inputs always give the same release.
//!
//! **Zones**: an agreement may name built-in zones (`liaison-geo`); an id that names none is
//! refused at compile time like any other invalid field. Which zones an incident's point lies
//! in is worked out once per incident ([`Policy::prepare`]) and reused for every recipient.
//!
//! **Fail closed**: a Cedar evaluation error in any policy (none is expected: every attribute a
//! policy reads is always present or guarded by `has`) makes the decision `Deny`, because Cedar
//! skips an erroring `forbid` and that would be a release.

use std::collections::HashMap;

use cedar_policy::{
    Authorizer, Entities, EntityUid, PolicyId, PolicySet, Request, Schema, ValidationMode,
};
use liaison_core::{Agreement, AgreementId, CountryCode, Incident, ValidationErrors};
use liaison_geo::zones::Zone;
use time::Date;

use crate::cedar::{self, Types};
use crate::zones;

pub use crate::cedar::cedar_text;
pub use crate::summary::summary;

/// Why the agreements could not be compiled. Each names the agreement, and the field when one
/// is at fault.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("agreement {agreement}: {errors}")]
    Invalid {
        agreement: AgreementId,
        errors: ValidationErrors,
    },
    #[error("agreement {agreement}: listed twice (versions {first} and {second})")]
    Duplicate {
        agreement: AgreementId,
        first: u32,
        second: u32,
    },
    /// The generated Cedar does not parse or validate: a bug in this crate, reported with the
    /// agreement whose policy failed ("(guards)" or "(schema)" for the fixed parts).
    #[error("agreement {agreement}: its Cedar policy is refused: {message}")]
    Cedar { agreement: String, message: String },
}

/// The decision for one recipient and one incident.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Allow {
        agreement: AgreementId,
        version: u32,
    },
    Deny,
}

/// One incident made ready for decisions by [`Policy::prepare`].
pub struct Prepared<'p> {
    policy: &'p Policy,
    /// `None` when the incident is not this node's, or could not be made a Cedar entity: every
    /// decision is then `Deny` (fail closed).
    entity: Option<(EntityUid, Entities)>,
}

impl std::fmt::Debug for Prepared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("policy", self.policy)
            .field("resource", &self.entity.as_ref().map(|(uid, _)| uid))
            .finish_non_exhaustive()
    }
}

impl Prepared<'_> {
    /// As [`Policy::decide`] for the prepared incident.
    pub fn decide(&self, recipient: &CountryCode, today: Date) -> Decision {
        match &self.entity {
            Some((resource, entities)) => self
                .policy
                .decide_prepared(recipient, resource, entities, today),
            None => Decision::Deny,
        }
    }
}

/// This node's agreements, compiled.
pub struct Policy {
    own: CountryCode,
    /// In force or not, sorted by id.
    agreements: Vec<Agreement>,
    /// Policy id → index in `agreements`.
    by_policy: HashMap<PolicyId, usize>,
    set: PolicySet,
    types: Types,
    authorizer: Authorizer,
    /// Whether any agreement is zone-scoped: if none is, no policy reads an incident's zones and
    /// the point-in-polygon tests are skipped.
    uses_zones: bool,
    /// The originating node's own zones, beside the built-in ones (`zones.rs`).
    node_zones: Vec<Zone>,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<String> = self.agreements.iter().map(cedar::policy_id).collect();
        f.debug_struct("Policy")
            .field("own", &self.own)
            .field("agreements", &ids)
            .finish_non_exhaustive()
    }
}

fn cedar_err(agreement: &str, e: impl std::fmt::Display) -> PolicyError {
    PolicyError::Cedar {
        agreement: agreement.to_owned(),
        message: e.to_string(),
    }
}

impl Policy {
    /// Compiles the agreements `own` originates (others and revoked ones are ignored), with the
    /// built-in zones only.
    pub fn compile(own: &CountryCode, agreements: &[Agreement]) -> Result<Policy, PolicyError> {
        Policy::compile_with_zones(own, agreements, &[])
    }

    /// Compiles the agreements `own` originates, whose scopes may name the built-in zones and
    /// the node's own `node_zones`.
    pub fn compile_with_zones(
        own: &CountryCode,
        agreements: &[Agreement],
        node_zones: &[Zone],
    ) -> Result<Policy, PolicyError> {
        let mut mine: Vec<Agreement> = agreements
            .iter()
            .filter(|a| &a.originator == own && !a.revoked)
            .cloned()
            .collect();
        mine.sort_by(|a, b| a.id.cmp(&b.id));
        for w in mine.windows(2) {
            if w[0].id == w[1].id {
                return Err(PolicyError::Duplicate {
                    agreement: w[0].id.clone(),
                    first: w[0].version,
                    second: w[1].version,
                });
            }
        }
        let mut set = PolicySet::new();
        let mut by_policy = HashMap::new();
        for (i, a) in mine.iter().enumerate() {
            a.validate()
                .and_then(|()| zones::check_zones(a, node_zones))
                .map_err(|errors| PolicyError::Invalid {
                    agreement: a.id.clone(),
                    errors,
                })?;
            let pid = PolicyId::new(cedar::policy_id(a));
            let p = cedar_policy::Policy::parse(Some(pid.clone()), cedar::cedar_text(a))
                .map_err(|e| cedar_err(a.id.as_str(), e))?;
            set.add(p).map_err(|e| cedar_err(a.id.as_str(), e))?;
            by_policy.insert(pid, i);
        }
        for (id, text) in cedar::GUARDS {
            let p = cedar_policy::Policy::parse(Some(PolicyId::new(id)), text)
                .map_err(|e| cedar_err("(guards)", e))?;
            set.add(p).map_err(|e| cedar_err("(guards)", e))?;
        }
        let (schema, _warnings) =
            Schema::from_cedarschema_str(cedar::SCHEMA).map_err(|e| cedar_err("(schema)", e))?;
        let validation =
            cedar_policy::Validator::new(schema).validate(&set, ValidationMode::Strict);
        if let Some(e) = validation.validation_errors().next() {
            return Err(cedar_err(e.policy_id().to_string().as_str(), e));
        }
        let uses_zones = mine.iter().any(|a| !a.scope.zones.is_empty());
        Ok(Policy {
            uses_zones,
            node_zones: node_zones.to_vec(),
            own: own.clone(),
            agreements: mine,
            by_policy,
            set,
            types: Types::new().map_err(|e| cedar_err("(schema)", e))?,
            authorizer: Authorizer::new(),
        })
    }

    /// The member whose agreements these are.
    pub fn own(&self) -> &CountryCode {
        &self.own
    }

    /// Whether `recipient` may receive `incident` on `today`, and under which agreement. To
    /// decide one incident for several recipients, [`Policy::prepare`] it once instead.
    pub fn decide(&self, recipient: &CountryCode, incident: &Incident, today: Date) -> Decision {
        self.prepare(incident).decide(recipient, today)
    }

    /// The incident as the decision sees it (its Cedar entity, with the zones its point lies
    /// in), built once for any number of recipients and days.
    pub fn prepare<'p>(&'p self, incident: &Incident) -> Prepared<'p> {
        let entity = if incident.originator == self.own {
            let in_zones = if self.uses_zones {
                zones::zones_of(incident, &self.node_zones)
            } else {
                Vec::new()
            };
            cedar::incident_entity(&self.types, incident, &in_zones)
                .ok()
                .and_then(|(uid, e)| Some((uid, Entities::from_entities([e], None).ok()?)))
        } else {
            // Not ours: never decided, so nothing is worked out.
            None
        };
        Prepared {
            policy: self,
            entity,
        }
    }

    fn decide_prepared(
        &self,
        recipient: &CountryCode,
        resource: &EntityUid,
        entities: &Entities,
        today: Date,
    ) -> Decision {
        let Ok(context) = cedar::context(today) else {
            return Decision::Deny;
        };
        let Ok(request) = Request::new(
            self.types.member(recipient),
            self.types.action(),
            resource.clone(),
            context,
            None,
        ) else {
            return Decision::Deny;
        };
        let response = self.authorizer.is_authorized(&request, &self.set, entities);
        if response.decision() != cedar_policy::Decision::Allow
            || response.diagnostics().errors().next().is_some()
        {
            return Decision::Deny;
        }
        let chosen = response
            .diagnostics()
            .reason()
            .filter_map(|pid| self.by_policy.get(pid))
            .map(|&i| &self.agreements[i])
            .min_by(|a, b| (a.obligations.count(), &a.id).cmp(&(b.obligations.count(), &b.id)));
        match chosen {
            Some(a) => Decision::Allow {
                agreement: a.id.clone(),
                version: a.version,
            },
            None => Decision::Deny,
        }
    }

    /// The compiled agreements that name `recipient`, in force or not, by id.
    pub fn agreements_for(&self, recipient: &CountryCode) -> Vec<&Agreement> {
        self.agreements
            .iter()
            .filter(|a| a.recipients.contains(recipient))
            .collect()
    }

    /// A compiled agreement by id.
    pub fn agreement(&self, id: &AgreementId) -> Option<&Agreement> {
        self.agreements
            .binary_search_by(|a| a.id.cmp(id))
            .ok()
            .map(|i| &self.agreements[i])
    }

    /// Every compiled agreement, by id.
    pub fn agreements(&self) -> &[Agreement] {
        &self.agreements
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testing::{agreement, code, day, incident};
    use liaison_core::{Classification, Tlp};

    #[test]
    fn an_agreement_allows_its_recipients_only() {
        let a = agreement(
            r#"{"id":"mli-all","originator":"MLI","recipients":["DZA","NER"],"title":"t"}"#,
        );
        let p = Policy::compile(&code("MLI"), &[a]).unwrap();
        let inc = incident("MLI");
        let allow = Decision::Allow {
            agreement: AgreementId::parse("mli-all").unwrap(),
            version: 1,
        };
        assert_eq!(p.decide(&code("NER"), &inc, day("2012-03-01")), allow);
        assert_eq!(
            p.decide(&code("MRT"), &inc, day("2012-03-01")),
            Decision::Deny
        );
        // Not ours: never, whatever the agreement.
        assert_eq!(
            p.decide(&code("NER"), &incident("DZA"), day("2012-03-01")),
            Decision::Deny
        );
    }

    #[test]
    fn others_agreements_and_revoked_ones_release_nothing() {
        let theirs =
            agreement(r#"{"id":"dza","originator":"DZA","recipients":["NER"],"title":"t"}"#);
        let revoked = agreement(
            r#"{"id":"old","originator":"MLI","recipients":["NER"],"title":"t","revoked":true}"#,
        );
        let p = Policy::compile(&code("MLI"), &[theirs, revoked]).unwrap();
        assert!(p.agreements().is_empty());
        assert_eq!(
            p.decide(&code("NER"), &incident("MLI"), day("2012-03-01")),
            Decision::Deny
        );
    }

    #[test]
    fn markings_caps_and_dates_hold() {
        let a = agreement(
            r#"{"id":"a","originator":"MLI","recipients":["NER","DZA"],"title":"t",
                "scope":{"max_tlp":"amber","max_classification":"restricted","max_age_days":30},
                "valid_from":"2012-01-01","expires":"2013-01-01"}"#,
        );
        let p = Policy::compile(&code("MLI"), &[a]).unwrap();
        let ner = code("NER");
        let mut inc = incident("MLI");
        let when = day("2012-02-01");
        assert!(matches!(p.decide(&ner, &inc, when), Decision::Allow { .. }));
        assert_eq!(p.decide(&ner, &inc, day("2011-12-31")), Decision::Deny);
        assert_eq!(p.decide(&ner, &inc, day("2013-01-01")), Decision::Deny);
        assert_eq!(p.decide(&ner, &inc, day("2012-04-15")), Decision::Deny);
        inc.content.markings.tlp = Tlp::AmberStrict;
        assert_eq!(p.decide(&ner, &inc, when), Decision::Deny);
        inc.content.markings.tlp = Tlp::Amber;
        inc.content.markings.classification = Classification::Confidential;
        assert_eq!(p.decide(&ner, &inc, when), Decision::Deny);
        inc.content.markings.classification = Classification::Restricted;
        inc.content.markings.releasable_to = vec![code("DZA")];
        assert_eq!(p.decide(&ner, &inc, when), Decision::Deny);
        assert!(matches!(
            p.decide(&code("DZA"), &inc, when),
            Decision::Allow { .. }
        ));
    }

    #[test]
    fn the_least_obligated_agreement_wins_then_the_lowest_id() {
        let coarse = agreement(
            r#"{"id":"a-coarse","originator":"MLI","recipients":["NER"],"title":"t",
                "obligations":{"drop_narrative":true}}"#,
        );
        let plain_b =
            agreement(r#"{"id":"b-plain","originator":"MLI","recipients":["NER"],"title":"t"}"#);
        let plain_c =
            agreement(r#"{"id":"c-plain","originator":"MLI","recipients":["NER"],"title":"t"}"#);
        let p = Policy::compile(&code("MLI"), &[plain_c, coarse, plain_b]).unwrap();
        assert_eq!(
            p.decide(&code("NER"), &incident("MLI"), day("2012-03-01")),
            Decision::Allow {
                agreement: AgreementId::parse("b-plain").unwrap(),
                version: 1
            }
        );
    }

    #[test]
    fn bad_agreements_are_named() {
        let bad = agreement(r#"{"id":"bad","originator":"MLI","recipients":["MLI"],"title":"t"}"#);
        let e = Policy::compile(&code("MLI"), &[bad]).unwrap_err();
        assert!(e.to_string().contains("agreement bad: recipients"), "{e}");
        let a = agreement(r#"{"id":"x","originator":"MLI","recipients":["NER"],"title":"t"}"#);
        let e = Policy::compile(&code("MLI"), &[a.clone(), a]).unwrap_err();
        assert!(matches!(e, PolicyError::Duplicate { .. }), "{e}");
    }

    #[test]
    fn any_title_compiles() {
        let a = agreement(
            r#"{"id":"t","originator":"MLI","recipients":["NER"],
                "title":"Le \"pacte\" de Tamanrasset — اتفاق\nsecond line \\ end"}"#,
        );
        let p = Policy::compile(&code("MLI"), &[a]).unwrap();
        assert_eq!(p.agreements_for(&code("NER")).len(), 1);
        assert!(p.agreements_for(&code("DZA")).is_empty());
    }

    #[test]
    fn scope_lists_and_box_select() {
        let a = agreement(
            r#"{"id":"x","originator":"MLI","recipients":["NER"],"title":"t",
                "scope":{"event_types":["attack"],"countries":["MLI"],
                         "bbox":{"west":-5,"south":14,"east":2,"north":20}}}"#,
        );
        let p = Policy::compile(&code("MLI"), &[a]).unwrap();
        let ner = code("NER");
        let when = day("2012-03-01");
        let inc = incident("MLI");
        assert!(matches!(p.decide(&ner, &inc, when), Decision::Allow { .. }));
        let mut far = inc.clone();
        far.content.location.point = Some(liaison_core::GeoPoint {
            lat: 21.0,
            lon: 0.0,
        });
        assert_eq!(p.decide(&ner, &far, when), Decision::Deny);
        let mut nowhere = inc.clone();
        nowhere.content.location.point = None;
        assert_eq!(p.decide(&ner, &nowhere, when), Decision::Deny);
        let mut elsewhere = inc;
        elsewhere.content.location.country = Some(code("NER"));
        // Still in scope: its point falls in Mali.
        assert!(matches!(
            p.decide(&ner, &elsewhere, when),
            Decision::Allow { .. }
        ));
        elsewhere.content.location.coordinates_country = Some(code("NER"));
        assert_eq!(p.decide(&ner, &elsewhere, when), Decision::Deny);
    }

    /// A place's name, latitude and longitude.
    type Place = (&'static str, f64, f64);

    fn at_point(lat: f64, lon: f64) -> Incident {
        let mut inc = incident("MLI");
        inc.content.location.point = Some(liaison_core::GeoPoint { lat, lon });
        inc
    }

    #[test]
    fn zone_scopes_release_what_lies_in_the_zone_and_nothing_else() {
        use liaison_geo::zones::builtin_zone;
        // (place, lat, lon); each checked against the zone itself before it is used.
        let menaka = ("Ménaka", 15.92, 2.40);
        let tripoint = ("the Mali–Niger–Burkina Faso tripoint", 14.92, 0.21);
        let kidal = ("Kidal", 18.44, 1.41);
        let tessalit = ("Tessalit", 20.20, 1.01);
        let algiers = ("Algiers", 36.75, 3.06);
        let gao = ("Gao", 16.27, -0.04);
        // Western Tillabéri is in the tri-border area; Niamey, Agadez and Diffa are not.
        let tera = ("Téra", 14.01, 0.75);
        let ayorou = ("Ayorou", 14.73, 0.92);
        let niamey = ("Niamey", 13.51, 2.11);
        let agadez = ("Agadez", 16.97, 7.99);
        let diffa = ("Diffa", 13.32, 12.61);
        let cases: [(&str, &[Place], &[Place]); 2] = [
            (
                "liptako-gourma",
                &[menaka, tripoint, tera, ayorou],
                &[kidal, algiers, niamey, agadez, diffa],
            ),
            (
                "adrar-ifoghas-kidal-tamanrasset",
                &[kidal, tessalit],
                &[menaka, gao, algiers],
            ),
        ];
        let ner = code("NER");
        let when = day("2012-03-01");
        for (zone, inside, outside) in cases {
            let z = builtin_zone(zone).unwrap();
            let a = agreement(&format!(
                r#"{{"id":"z","originator":"MLI","recipients":["NER"],"title":"t","scope":{{"zones":["{zone}"]}}}}"#
            ));
            let p = Policy::compile(&code("MLI"), &[a]).unwrap();
            for &(place, lat, lon) in inside {
                assert!(z.contains(lat, lon), "{place} in {zone}");
                assert!(
                    matches!(
                        p.decide(&ner, &at_point(lat, lon), when),
                        Decision::Allow { .. }
                    ),
                    "{place} refused under {zone}"
                );
            }
            for &(place, lat, lon) in outside {
                assert!(!z.contains(lat, lon), "{place} not in {zone}");
                assert_eq!(
                    p.decide(&ner, &at_point(lat, lon), when),
                    Decision::Deny,
                    "{place} released under {zone}"
                );
            }
            let mut nowhere = at_point(menaka.1, menaka.2);
            nowhere.content.location.point = None;
            assert_eq!(p.decide(&ner, &nowhere, when), Decision::Deny);
        }
        // Two zones: an incident in either is in scope.
        let both = agreement(
            r#"{"id":"z","originator":"MLI","recipients":["NER"],"title":"t",
                "scope":{"zones":["liptako-gourma","adrar-ifoghas-kidal-tamanrasset"]}}"#,
        );
        let p = Policy::compile(&code("MLI"), &[both]).unwrap();
        for (place, lat, lon) in [menaka, kidal] {
            assert!(
                matches!(
                    p.decide(&ner, &at_point(lat, lon), when),
                    Decision::Allow { .. }
                ),
                "{place}"
            );
        }
        for (place, lat, lon) in [gao, algiers] {
            assert_eq!(
                p.decide(&ner, &at_point(lat, lon), when),
                Decision::Deny,
                "{place}"
            );
        }
    }

    #[test]
    fn an_unknown_zone_is_refused_naming_the_agreement_the_field_and_the_known_zones() {
        let a = agreement(
            r#"{"id":"sahel","originator":"MLI","recipients":["NER"],"title":"t",
                "scope":{"zones":["liptako-gourma","tri-border"]}}"#,
        );
        let e = Policy::compile(&code("MLI"), &[a]).unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("agreement sahel: scope.zones[1]: unknown zone 'tri-border'"),
            "{text}"
        );
        for known in [
            "adrar-ifoghas-kidal-tamanrasset",
            "air-djanet-fezzan",
            "liptako-gourma",
            "mauritania-mali-wagadou",
        ] {
            assert!(text.contains(known), "{text}");
        }
    }

    #[test]
    fn a_prepared_incident_decides_as_decide_does() {
        let a = agreement(
            r#"{"id":"z","originator":"MLI","recipients":["NER","DZA"],"title":"t",
                "scope":{"zones":["liptako-gourma"]}}"#,
        );
        let p = Policy::compile(&code("MLI"), &[a]).unwrap();
        let when = day("2012-03-01");
        for inc in [
            at_point(15.92, 2.40),
            at_point(18.44, 1.41),
            incident("DZA"),
        ] {
            let prepared = p.prepare(&inc);
            for r in ["NER", "DZA", "MRT"].map(code) {
                assert_eq!(prepared.decide(&r, when), p.decide(&r, &inc, when));
            }
        }
    }
}
