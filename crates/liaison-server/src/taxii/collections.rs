//! Collections: the list, one collection, and the one rule of who may read and write each.
//!
//! Every authenticated role reads every collection. Analysts and admins write (add and delete
//! objects) in a collection that is not read-only; liaison officers and auditors write nowhere.
//! A collection the caller may neither read nor write is answered like one that does not exist
//! (invariant 6); none is hidden today, but every handler goes through [`find`], so a rule that
//! hides some (per-recipient API roots) changes this file only.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use liaison_store::{StoreError, TaxiiCollection, TaxiiPage, TaxiiQuery};
use serde::Serialize;

use super::error::TaxiiError;
use super::media::{STIX_MEDIA_TYPE, ok_json};
use crate::auth::Caller;
use crate::{ApiError, AppState};

/// What the caller may do in a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Access {
    pub can_read: bool,
    pub can_write: bool,
}

impl Access {
    pub fn of(caller: &Caller, c: &TaxiiCollection) -> Access {
        Access {
            can_read: true,
            can_write: !c.read_only && caller.require_writer().is_ok(),
        }
    }

    /// 403 unless the caller may read.
    pub fn read(self, caller: &Caller) -> Result<(), TaxiiError> {
        if self.can_read {
            return Ok(());
        }
        Err(TaxiiError::new(
            ApiError::Forbidden {
                role: caller.role.as_str(),
            },
            "this collection is not readable by you",
        ))
    }

    /// 403 unless the caller may write.
    pub fn write(self, caller: &Caller) -> Result<(), TaxiiError> {
        if self.can_write {
            return Ok(());
        }
        writer(caller)?;
        Err(TaxiiError::new(
            ApiError::Forbidden {
                role: caller.role.as_str(),
            },
            "this collection is read-only",
        ))
    }
}

/// 403 unless the caller's role writes at all (analysts and admins).
pub(crate) fn writer(caller: &Caller) -> Result<(), TaxiiError> {
    caller.require_writer().map_err(|e| {
        TaxiiError::new(
            e,
            format!(
                "the {} role may not write; analysts and admins do",
                caller.role.as_str()
            ),
        )
    })
}

/// What the caller may do in `c`, or the 404 of a collection the caller may not see.
pub(crate) fn access(caller: &Caller, c: &TaxiiCollection) -> Result<Access, TaxiiError> {
    let a = Access::of(caller, c);
    if !a.can_read && !a.can_write {
        return Err(TaxiiError::not_found());
    }
    Ok(a)
}

/// The collection `id` as the caller may use it, or 404 (missing, or not the caller's to see).
pub(crate) async fn find(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<(TaxiiCollection, Access), TaxiiError> {
    let c = match state.store.taxii_collection(id).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Err(TaxiiError::not_found()),
        Err(e) => return Err(e.into()),
    };
    let a = access(caller, &c)?;
    Ok((c, a))
}

/// A page of `collection` as the caller may read it: the collection's lookup (with the access
/// rule), then the page. (Running both at once on two connections was measured slower: SQLite's
/// page-cache mutex and one more thread hand-off cost more than the round trip saved.)
pub(crate) async fn read_page(
    state: &AppState,
    caller: &Caller,
    collection: &str,
    q: &TaxiiQuery,
    with_doc: bool,
) -> Result<TaxiiPage, TaxiiError> {
    let (_, access) = find(state, caller, collection).await?;
    access.read(caller)?;
    Ok(state.store.taxii_objects(collection, q, with_doc).await?)
}

/// A path parameter; one that cannot be decoded is simply not found.
pub(crate) fn path<T>(p: Result<Path<T>, PathRejection>) -> Result<T, TaxiiError> {
    p.map(|Path(v)| v).map_err(|_| TaxiiError::not_found())
}

/// The TAXII collection resource.
#[derive(Debug, Serialize)]
pub(crate) struct CollectionResource {
    id: String,
    title: String,
    description: String,
    can_read: bool,
    can_write: bool,
    media_types: [&'static str; 1],
}

fn resource(c: TaxiiCollection, a: Access) -> CollectionResource {
    CollectionResource {
        id: c.id,
        title: c.title,
        description: c.description,
        can_read: a.can_read,
        can_write: a.can_write,
        media_types: [STIX_MEDIA_TYPE],
    }
}

#[derive(Debug, Serialize)]
struct CollectionsResource {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    collections: Vec<CollectionResource>,
}

/// `GET {api-root}/collections/`: the collections the caller may use.
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, TaxiiError> {
    let collections = state
        .store
        .taxii_collections()
        .await?
        .into_iter()
        .map(|c| {
            let a = Access::of(&caller, &c);
            (c, a)
        })
        .filter(|(_, a)| a.can_read || a.can_write)
        .map(|(c, a)| resource(c, a))
        .collect();
    ok_json(&CollectionsResource { collections })
}

/// `GET {api-root}/collections/{id}/`.
pub(crate) async fn one(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, TaxiiError> {
    let (c, a) = find(&state, &caller, &path(id)?).await?;
    ok_json(&resource(c, a))
}
