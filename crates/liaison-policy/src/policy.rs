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
//! **Fail closed**: a Cedar evaluation error in any policy (none is expected: every attribute a
//! policy reads is always present or guarded by `has`) makes the decision `Deny`, because Cedar
//! skips an erroring `forbid` and that would be a release.

use std::collections::HashMap;

use cedar_policy::{Authorizer, Entities, PolicyId, PolicySet, Request, Schema, ValidationMode};
use liaison_core::{Agreement, AgreementId, CountryCode, Incident, ValidationErrors};
use time::Date;

use crate::cedar::{self, Types};

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
    /// Compiles the agreements `own` originates (others and revoked ones are ignored).
    pub fn compile(own: &CountryCode, agreements: &[Agreement]) -> Result<Policy, PolicyError> {
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
            a.validate().map_err(|errors| PolicyError::Invalid {
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
        Ok(Policy {
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

    /// Whether `recipient` may receive `incident` on `today`, and under which agreement.
    pub fn decide(&self, recipient: &CountryCode, incident: &Incident, today: Date) -> Decision {
        if incident.originator != self.own {
            return Decision::Deny;
        }
        let Ok((resource, entity)) = cedar::incident_entity(&self.types, incident) else {
            return Decision::Deny;
        };
        let Ok(context) = cedar::context(today) else {
            return Decision::Deny;
        };
        let Ok(request) = Request::new(
            self.types.member(recipient),
            self.types.action(),
            resource,
            context,
            None,
        ) else {
            return Decision::Deny;
        };
        let Ok(entities) = Entities::from_entities([entity], None) else {
            return Decision::Deny;
        };
        let response = self
            .authorizer
            .is_authorized(&request, &self.set, &entities);
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
}
