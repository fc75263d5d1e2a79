//! Fused incidents (migration 0009): reports of one event by several members, as
//! `liaison-fusion` clusters them, with their claims, agreed versions, sign-offs and splits.
//!
//! Nothing is overwritten. A fused incident's claims and the version of each that was fused are
//! written once; agreed versions are appended (canonical JSON and its SHA-256, as the caller
//! made them); a sign-off is a row per (version, member) with an Ed25519 signature by the node
//! key over the version's canonical bytes; a split flips the status from `active` to `split`
//! (the only update), records where each claim went, and keeps every pair it separated apart.
//! Each write appends its ledger entries (`fused`, `fusion_signed`, `fusion_split`) in its own
//! transaction, like incident writes.
//!
//! The clustering, the comparison and the agreed version are the caller's (`liaison-fusion`);
//! the store checks only what keeps the tables coherent: one active fused incident per claim, no
//! kept-apart pair together, signatures by the node's own member on the latest version of an
//! active fused incident it has a claim in.

use std::collections::{BTreeMap, BTreeSet};

use liaison_core::{CountryCode, Incident, IncidentId};
use liaison_ledger::{Entry, Event};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::{Date, OffsetDateTime};

use crate::incidents::{from_doc, ts};
use crate::{Store, StoreError};

/// A claim of a fused incident: the incident, its originator and the version that was fused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FusionClaim {
    pub incident_id: IncidentId,
    pub originator: CountryCode,
    pub version: i64,
}

/// A fused incident to record: made by the caller from `liaison_fusion`'s cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFusion {
    pub id: String,
    /// The window used, as JSON.
    pub window_json: String,
    pub claims: Vec<FusionClaim>,
    /// The first agreed version's canonical JSON and its SHA-256 (hex).
    pub agreed_doc: String,
    pub agreed_sha256: String,
}

/// What [`Store::record_fusions`] did with one new fused incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum FusionOutcome {
    Recorded,
    /// A fused incident with this id is stored already (active or split).
    Exists,
    /// A claim already belongs to another active fused incident.
    ClaimTaken {
        claim: String,
        fusion: String,
    },
    /// Two claims were separated by a split.
    KeptApart {
        a: String,
        b: String,
    },
}

/// A stored fused incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FusionRow {
    pub id: String,
    /// The node's counter of fused incidents.
    pub seq: i64,
    /// `active` or `split`.
    pub status: String,
    pub window: serde_json::Value,
    pub created_at: String,
    pub created_by: String,
    pub claims: Vec<FusionClaim>,
}

/// One agreed version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreedRow {
    pub version: i64,
    /// The canonical JSON members sign.
    pub doc: String,
    pub sha256: String,
    pub proposed_by: String,
    pub proposed_at: String,
}

/// One member's signature of one agreed version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignoffRow {
    pub version: i64,
    pub member: CountryCode,
    /// Ed25519 over the version's canonical bytes, base64.
    pub signature: String,
    /// The signer's public key, base64.
    pub public_key: String,
    pub signed_by: String,
    pub signed_at: String,
}

/// Where one claim of a split fused incident went (`part_id` none: left alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SplitRow {
    pub incident_id: IncidentId,
    pub part_id: Option<String>,
    pub split_at: String,
    pub split_by: String,
}

/// Everything stored about one fused incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FusionDetail {
    #[serde(flatten)]
    pub fusion: FusionRow,
    pub versions: Vec<AgreedRow>,
    pub signoffs: Vec<SignoffRow>,
    pub split: Vec<SplitRow>,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("fusion {what}: {e}"))
}

fn claim_of(r: &AnyRow) -> Result<(String, FusionClaim), StoreError> {
    let fusion: String = r.try_get(0)?;
    let id: String = r.try_get(1)?;
    let originator: String = r.try_get(2)?;
    Ok((
        fusion,
        FusionClaim {
            incident_id: IncidentId::parse(&id).map_err(|e| corrupt("claim id", e))?,
            originator: CountryCode::parse(&originator).map_err(|e| corrupt("originator", e))?,
            version: r.try_get(3)?,
        },
    ))
}

fn pair(a: &IncidentId, b: &IncidentId) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

fn members_of(claims: &[FusionClaim]) -> Vec<String> {
    let set: BTreeSet<&str> = claims.iter().map(|c| c.originator.as_str()).collect();
    set.into_iter().map(str::to_owned).collect()
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

impl Store {
    /// The incidents fusion may cluster: every incident whose dates meet `from..=to` (either
    /// bound optional) and that belongs to no active fused incident, in `seq` order.
    pub async fn fusion_pool(
        &self,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Vec<Incident>, StoreError> {
        let rows = sqlx::query(
            "SELECT doc FROM incidents i WHERE ($1 = '' OR i.date_end >= $1) \
             AND ($2 = '' OR i.date_start <= $2) AND NOT EXISTS (SELECT 1 FROM fusion_claims fc \
             JOIN fusions f ON f.id = fc.fusion_id \
             WHERE fc.incident_id = i.id AND f.status = 'active') ORDER BY i.seq",
        )
        .bind(from.map(|d| d.to_string()).unwrap_or_default())
        .bind(to.map(|d| d.to_string()).unwrap_or_default())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| from_doc(&r.try_get::<String, _>(0)?))
            .collect()
    }

    /// Every pair a split separated.
    pub async fn kept_apart_pairs(&self) -> Result<Vec<(IncidentId, IncidentId)>, StoreError> {
        let rows = sqlx::query("SELECT a, b FROM fusion_kept_apart ORDER BY a, b")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let a: String = r.try_get(0)?;
                let b: String = r.try_get(1)?;
                Ok((
                    IncidentId::parse(&a).map_err(|e| corrupt("kept apart", e))?,
                    IncidentId::parse(&b).map_err(|e| corrupt("kept apart", e))?,
                ))
            })
            .collect()
    }

    async fn check_new(tx: &mut Tx<'_>, f: &NewFusion) -> Result<FusionOutcome, StoreError> {
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM fusions WHERE id = $1")
            .bind(f.id.as_str())
            .fetch_optional(&mut **tx)
            .await?;
        if exists.is_some() {
            return Ok(FusionOutcome::Exists);
        }
        for c in &f.claims {
            let taken: Option<String> = sqlx::query_scalar(
                "SELECT f.id FROM fusion_claims fc JOIN fusions f ON f.id = fc.fusion_id \
                 WHERE fc.incident_id = $1 AND f.status = 'active'",
            )
            .bind(c.incident_id.as_str())
            .fetch_optional(&mut **tx)
            .await?;
            if let Some(fusion) = taken {
                return Ok(FusionOutcome::ClaimTaken {
                    claim: c.incident_id.to_string(),
                    fusion,
                });
            }
        }
        for (i, x) in f.claims.iter().enumerate() {
            for y in f.claims.iter().skip(i + 1) {
                let (a, b) = pair(&x.incident_id, &y.incident_id);
                let apart: Option<String> =
                    sqlx::query_scalar("SELECT a FROM fusion_kept_apart WHERE a = $1 AND b = $2")
                        .bind(a.as_str())
                        .bind(b.as_str())
                        .fetch_optional(&mut **tx)
                        .await?;
                if apart.is_some() {
                    return Ok(FusionOutcome::KeptApart { a, b });
                }
            }
        }
        Ok(FusionOutcome::Recorded)
    }

    async fn insert_fusion(
        tx: &mut Tx<'_>,
        f: &NewFusion,
        by: &str,
        at: &str,
    ) -> Result<Entry, StoreError> {
        if f.claims.len() < 2 {
            return Err(StoreError::Invalid {
                field: "claims".into(),
                message: format!(
                    "a fused incident has at least 2 claims ({} given)",
                    f.claims.len()
                ),
            });
        }
        let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM fusions")
            .fetch_one(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO fusions (id, seq, status, window_json, created_at, created_by) \
             VALUES ($1, $2, 'active', $3, $4, $5)",
        )
        .bind(f.id.as_str())
        .bind(seq)
        .bind(f.window_json.as_str())
        .bind(at)
        .bind(by)
        .execute(&mut **tx)
        .await?;
        for c in &f.claims {
            sqlx::query(
                "INSERT INTO fusion_claims (fusion_id, incident_id, originator, version) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(f.id.as_str())
            .bind(c.incident_id.as_str())
            .bind(c.originator.as_str())
            .bind(c.version)
            .execute(&mut **tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO fusion_versions (fusion_id, version, doc, sha256, proposed_by, \
             proposed_at) VALUES ($1, 1, $2, $3, $4, $5)",
        )
        .bind(f.id.as_str())
        .bind(f.agreed_doc.as_str())
        .bind(f.agreed_sha256.as_str())
        .bind(by)
        .bind(at)
        .execute(&mut **tx)
        .await?;
        Ok(Entry {
            at: at.to_owned(),
            event: Event::Fused {
                fusion_id: f.id.clone(),
                claims: f
                    .claims
                    .iter()
                    .map(|c| format!("{}@{}", c.incident_id, c.version))
                    .collect(),
                members: members_of(&f.claims),
                agreed_sha256: f.agreed_sha256.clone(),
                by: by.to_owned(),
            },
        })
    }

    /// Records new fused incidents in one transaction, each with its first agreed version and a
    /// `fused` ledger entry. One already stored, one with a claim in another active fused
    /// incident, and one holding a kept-apart pair are skipped, and the outcome says why.
    pub async fn record_fusions(
        &self,
        fusions: &[NewFusion],
        by: &str,
        at: OffsetDateTime,
    ) -> Result<Vec<(String, FusionOutcome)>, StoreError> {
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let mut out = Vec::with_capacity(fusions.len());
        let mut entries = Vec::new();
        for f in fusions {
            let outcome = Self::check_new(&mut tx, f).await?;
            if outcome == FusionOutcome::Recorded {
                entries.push(Self::insert_fusion(&mut tx, f, by, &at).await?);
            }
            out.push((f.id.clone(), outcome));
        }
        if !entries.is_empty() {
            crate::ledger::append(&mut tx, self.backend, &entries).await?;
            crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn claims_of(
        &self,
        ids: &[String],
    ) -> Result<BTreeMap<String, Vec<FusionClaim>>, StoreError> {
        let mut out: BTreeMap<String, Vec<FusionClaim>> = BTreeMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = if ids.len() == 1 {
            sqlx::query(
                "SELECT fusion_id, incident_id, originator, version FROM fusion_claims \
                 WHERE fusion_id = $1 ORDER BY incident_id",
            )
            .bind(ids[0].as_str())
            .fetch_all(&self.pool)
            .await?
        } else {
            sqlx::query(
                "SELECT fusion_id, incident_id, originator, version FROM fusion_claims \
                 ORDER BY fusion_id, incident_id",
            )
            .fetch_all(&self.pool)
            .await?
        };
        for r in &rows {
            let (fusion, claim) = claim_of(r)?;
            out.entry(fusion).or_default().push(claim);
        }
        Ok(out)
    }

    fn fusion_row(r: &AnyRow) -> Result<FusionRow, StoreError> {
        let window: String = r.try_get(3)?;
        Ok(FusionRow {
            id: r.try_get(0)?,
            seq: r.try_get(1)?,
            status: r.try_get(2)?,
            window: serde_json::from_str(&window).map_err(|e| corrupt("window", e))?,
            created_at: r.try_get(4)?,
            created_by: r.try_get(5)?,
            claims: Vec::new(),
        })
    }

    /// Every fused incident, in the order they were recorded, with their claims.
    pub async fn fusions(&self) -> Result<Vec<FusionRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, seq, status, window_json, created_at, created_by FROM fusions ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<FusionRow> = rows
            .iter()
            .map(Self::fusion_row)
            .collect::<Result<_, _>>()?;
        let ids: Vec<String> = out.iter().map(|f| f.id.clone()).collect();
        let mut claims = self.claims_of(&ids).await?;
        for f in &mut out {
            f.claims = claims.remove(&f.id).unwrap_or_default();
        }
        Ok(out)
    }

    /// One fused incident with its versions, sign-offs and split record. `NotFound` if unknown.
    pub async fn fusion(&self, id: &str) -> Result<FusionDetail, StoreError> {
        let row = sqlx::query(
            "SELECT id, seq, status, window_json, created_at, created_by FROM fusions \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut fusion = Self::fusion_row(&row)?;
        fusion.claims = self
            .claims_of(&[fusion.id.clone()])
            .await?
            .remove(&fusion.id)
            .unwrap_or_default();
        let versions = sqlx::query(
            "SELECT version, doc, sha256, proposed_by, proposed_at FROM fusion_versions \
             WHERE fusion_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(AgreedRow {
                version: r.try_get(0)?,
                doc: r.try_get(1)?,
                sha256: r.try_get(2)?,
                proposed_by: r.try_get(3)?,
                proposed_at: r.try_get(4)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let signoffs = sqlx::query(
            "SELECT version, member, signature, public_key, signed_by, signed_at \
             FROM fusion_signoffs WHERE fusion_id = $1 ORDER BY version, member",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let member: String = r.try_get(1)?;
            Ok(SignoffRow {
                version: r.try_get(0)?,
                member: CountryCode::parse(&member).map_err(|e| corrupt("member", e))?,
                signature: r.try_get(2)?,
                public_key: r.try_get(3)?,
                signed_by: r.try_get(4)?,
                signed_at: r.try_get(5)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let split = sqlx::query(
            "SELECT incident_id, part_id, split_at, split_by FROM fusion_splits \
             WHERE fusion_id = $1 ORDER BY incident_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let claim: String = r.try_get(0)?;
            Ok(SplitRow {
                incident_id: IncidentId::parse(&claim).map_err(|e| corrupt("split claim", e))?,
                part_id: r.try_get(1)?,
                split_at: r.try_get(2)?,
                split_by: r.try_get(3)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(FusionDetail {
            fusion,
            versions,
            signoffs,
            split,
        })
    }

    /// The node's member signs the latest agreed version of an active fused incident with the
    /// node key (the ledger signer the CLI set): Ed25519 over the version's canonical bytes.
    /// `NotFound` if unknown; `Conflict` if split or already signed; `Invalid` when the member
    /// has no claim in it; `Config` when the store has no node key.
    pub async fn sign_fusion(
        &self,
        id: &str,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<SignoffRow, StoreError> {
        let signer = self
            .signer()
            .cloned()
            .ok_or_else(|| StoreError::Config("no node key to sign with".into()))?;
        let member = CountryCode::parse(&signer.member).map_err(|e| corrupt("node member", e))?;
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM fusions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        match status.as_deref() {
            None => return Err(StoreError::NotFound),
            Some("active") => {}
            Some(other) => {
                return Err(StoreError::Conflict(format!(
                    "fused incident {id} is {other}: there is nothing to sign"
                )));
            }
        }
        let concerned: Option<String> = sqlx::query_scalar(
            "SELECT incident_id FROM fusion_claims WHERE fusion_id = $1 AND originator = $2",
        )
        .bind(id)
        .bind(member.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if concerned.is_none() {
            return Err(StoreError::Invalid {
                field: "member".into(),
                message: format!("{member} has no claim in fused incident {id}"),
            });
        }
        let latest = sqlx::query(
            "SELECT version, doc, sha256 FROM fusion_versions WHERE fusion_id = $1 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| corrupt("versions", format!("{id} has no agreed version")))?;
        let version: i64 = latest.try_get(0)?;
        let doc: String = latest.try_get(1)?;
        let sha256: String = latest.try_get(2)?;
        let signed: Option<String> = sqlx::query_scalar(
            "SELECT member FROM fusion_signoffs WHERE fusion_id = $1 AND version = $2 \
             AND member = $3",
        )
        .bind(id)
        .bind(version)
        .bind(member.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if signed.is_some() {
            return Err(StoreError::Conflict(format!(
                "{member} has already signed agreed version v{version} of {id}"
            )));
        }
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD;
        let signature = b64.encode((signer.sign)(doc.as_bytes()));
        let public_key = b64.encode(signer.public_key);
        sqlx::query(
            "INSERT INTO fusion_signoffs (fusion_id, version, member, signature, public_key, \
             signed_by, signed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(version)
        .bind(member.as_str())
        .bind(signature.as_str())
        .bind(public_key.as_str())
        .bind(by)
        .bind(at.as_str())
        .execute(&mut *tx)
        .await?;
        let entry = Entry {
            at: at.clone(),
            event: Event::FusionSigned {
                fusion_id: id.to_owned(),
                version,
                member: member.to_string(),
                agreed_sha256: sha256,
                by: by.to_owned(),
            },
        };
        crate::ledger::append(&mut tx, self.backend, std::slice::from_ref(&entry)).await?;
        crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        tx.commit().await?;
        Ok(SignoffRow {
            version,
            member,
            signature,
            public_key,
            signed_by: by.to_owned(),
            signed_at: at,
        })
    }

    /// Splits an active fused incident: `leaving` leave it; `parts` (made by the caller from
    /// what stays together and what leaves together, each of at least two claims) are recorded
    /// as new fused incidents; every pair of a claim that leaves and one that stays is kept
    /// apart for ever. `NotFound` if unknown; `Conflict` if already split; `Invalid` when a
    /// leaving claim is not in it, or none or all would leave.
    pub async fn split_fusion(
        &self,
        id: &str,
        leaving: &[IncidentId],
        parts: &[NewFusion],
        by: &str,
        at: OffsetDateTime,
    ) -> Result<Vec<SplitRow>, StoreError> {
        let detail = self.fusion(id).await?;
        if detail.fusion.status != "active" {
            return Err(StoreError::Conflict(format!(
                "fused incident {id} is already split"
            )));
        }
        let claims: Vec<&IncidentId> = detail
            .fusion
            .claims
            .iter()
            .map(|c| &c.incident_id)
            .collect();
        let invalid = |message: String| StoreError::Invalid {
            field: "claims".into(),
            message,
        };
        if let Some(stranger) = leaving.iter().find(|l| !claims.contains(l)) {
            return Err(invalid(format!(
                "{stranger} is not a claim of fused incident {id}"
            )));
        }
        let leaving: BTreeSet<&IncidentId> = leaving.iter().collect();
        if leaving.is_empty() || leaving.len() == claims.len() {
            return Err(invalid(format!(
                "name some but not all of the {} claims of {id}",
                claims.len()
            )));
        }
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        // The only update: guarded, so two racing splits cannot both succeed.
        let flipped =
            sqlx::query("UPDATE fusions SET status = 'split' WHERE id = $1 AND status = 'active'")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if flipped.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!(
                "fused incident {id} is already split"
            )));
        }
        let mut entries = Vec::new();
        let mut part_of: BTreeMap<&IncidentId, String> = BTreeMap::new();
        let mut part_ids = Vec::new();
        for p in parts {
            if p.claims.iter().any(|c| !claims.contains(&&c.incident_id)) {
                return Err(invalid(format!("part {} holds a claim not in {id}", p.id)));
            }
            match Self::check_new(&mut tx, p).await? {
                FusionOutcome::Recorded => {
                    entries.push(Self::insert_fusion(&mut tx, p, by, &at).await?)
                }
                FusionOutcome::Exists => {}
                other => {
                    return Err(StoreError::Conflict(format!("part {}: {other:?}", p.id)));
                }
            }
            for c in &p.claims {
                if let Some(k) = claims.iter().find(|k| ***k == c.incident_id) {
                    part_of.insert(k, p.id.clone());
                }
            }
            part_ids.push(p.id.clone());
        }
        let mut rows = Vec::new();
        for c in &claims {
            let part = part_of.get(c).cloned();
            sqlx::query(
                "INSERT INTO fusion_splits (fusion_id, incident_id, part_id, split_at, split_by) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(c.as_str())
            .bind(part.clone())
            .bind(at.as_str())
            .bind(by)
            .execute(&mut *tx)
            .await?;
            rows.push(SplitRow {
                incident_id: (*c).clone(),
                part_id: part,
                split_at: at.clone(),
                split_by: by.to_owned(),
            });
        }
        for x in claims.iter().filter(|c| leaving.contains(*c)) {
            for y in claims.iter().filter(|c| !leaving.contains(*c)) {
                let (a, b) = pair(x, y);
                let known: Option<String> =
                    sqlx::query_scalar("SELECT a FROM fusion_kept_apart WHERE a = $1 AND b = $2")
                        .bind(a.as_str())
                        .bind(b.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                if known.is_none() {
                    sqlx::query(
                        "INSERT INTO fusion_kept_apart (a, b, fusion_id) VALUES ($1, $2, $3)",
                    )
                    .bind(a.as_str())
                    .bind(b.as_str())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        entries.insert(
            0,
            Entry {
                at: at.clone(),
                event: Event::FusionSplit {
                    fusion_id: id.to_owned(),
                    claims: leaving.iter().map(|c| c.to_string()).collect(),
                    parts: part_ids,
                    members: members_of(&detail.fusion.claims),
                    by: by.to_owned(),
                },
            },
        );
        crate::ledger::append(&mut tx, self.backend, &entries).await?;
        crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        tx.commit().await?;
        Ok(rows)
    }
}
