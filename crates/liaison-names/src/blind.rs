//! Asking a partner "do you hold this person?" without sending the name: blinded blocking keys.
//!
//! Both nodes hold a secret only the two of them can compute (`NodeKey::pair_secret` in
//! `liaison-policy`). The asker sends the HMAC-SHA256 under that secret of each blocking key of
//! the name ([`crate::blocking::query_keys`]: consonant skeletons, Double Metaphone codes,
//! initials — the same keys that make «عبد الكريم الطارقي» and "Abdelkrim el-Targui" meet),
//! truncated to 128 bits, sorted, so their order says nothing. The partner blinds its own
//! actors' names and aliases the same way ([`crate::blocking::index_keys`]) and answers with the
//! actors sharing enough keys, each under a **handle** (an HMAC of its id under the same
//! secret: stable for this pair, meaningless to anyone else) with how many keys it shared. No
//! name travels either way; the full record is a separate request the partner's agreements
//! decide.
//!
//! What a curious partner learns, and what it costs (`docs/actors.md`, "Matching across nodes"):
//! the number of keys; whether the asked name shares keys with names it holds (that is the
//! answer); and, by hashing candidate names itself under the shared secret — a dictionary
//! attack — which of its guesses the asker asked about. Keys are coarse (a skeleton matches many
//! spellings), so a guess confirms a family of spellings, not one; the cost is one HMAC per key
//! per guess. An outsider without the secret learns nothing from the bytes. Pure: no I/O, no
//! randomness.

use std::collections::{BTreeSet, HashMap};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::blocking::{index_keys, query_keys};
use crate::name::Name;

type HmacSha256 = Hmac<Sha256>;

/// Hex characters of a blinded key (128 bits).
pub const BLIND_KEY_HEX: usize = 32;
/// Most keys a query may carry (a long name in two scripts stays far below).
pub const MAX_QUERY_KEYS: usize = 256;

fn mac(secret: &[u8; 32], label: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length; 32 bytes cannot fail.
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes a 32-byte key"));
    m.update(label);
    m.update(data);
    m.finalize().into_bytes().into()
}

fn blind(secret: &[u8; 32], keys: &[u64]) -> Vec<String> {
    let set: BTreeSet<String> = keys
        .iter()
        .map(|k| hex16(&mac(secret, b"liaison blind key v1\0", &k.to_be_bytes())))
        .collect();
    set.into_iter().collect()
}

fn hex16(b: &[u8; 32]) -> String {
    b[..16].iter().map(|x| format!("{x:02x}")).collect()
}

/// The blinded keys a query for `name` sends, sorted.
pub fn blind_query(secret: &[u8; 32], name: &str) -> Vec<String> {
    blind(secret, &query_keys(&Name::new(name)))
}

/// The handle an actor is known by to the partner holding `secret` with us.
pub fn handle(secret: &[u8; 32], actor_id: &str) -> String {
    format!(
        "h-{}",
        &hex16(&mac(
            secret,
            b"liaison actor handle v1\0",
            actor_id.as_bytes()
        ))[..20]
    )
}

/// Whether `k` has the shape of a blinded key (what a query must hold).
pub fn is_blind_key(k: &str) -> bool {
    k.len() == BLIND_KEY_HEX
        && k.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// One actor a blinded query matched.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlindMatch {
    pub handle: String,
    /// The actor's kind (`person`, `armed_group`, …): shared so the asker can tell a person
    /// from a group without a name.
    pub kind: String,
    /// Keys the best of its names shares with the query, and how many that name has.
    pub shared: usize,
    pub of: usize,
    /// `shared` over the smaller of the two key counts, in [0, 1].
    pub score: f64,
}

/// A partner's actors, blinded once for one pair secret.
pub struct BlindIndex {
    /// Per blinded key, the actors (indexes) having a name with it.
    postings: HashMap<String, Vec<usize>>,
    /// Per actor: handle, kind, and the key count of each of its names (by name index).
    actors: Vec<(String, String, Vec<BTreeSet<String>>)>,
}

impl BlindIndex {
    /// Blinds every name of every actor: (id, kind, names and aliases).
    pub fn new(secret: &[u8; 32], actors: &[(String, String, Vec<String>)]) -> BlindIndex {
        let mut postings: HashMap<String, Vec<usize>> = HashMap::new();
        let mut out = Vec::with_capacity(actors.len());
        for (i, (id, kind, names)) in actors.iter().enumerate() {
            let mut sets = Vec::with_capacity(names.len());
            for n in names {
                let keys: BTreeSet<String> = blind(secret, &index_keys(&Name::new(n)))
                    .into_iter()
                    .collect();
                for k in &keys {
                    let p = postings.entry(k.clone()).or_default();
                    if p.last() != Some(&i) {
                        p.push(i);
                    }
                }
                sets.push(keys);
            }
            out.push((handle(secret, id), kind.clone(), sets));
        }
        BlindIndex {
            postings,
            actors: out,
        }
    }

    /// The actors sharing at least `min_shared` keys with the query (at least one key when the
    /// query has a single key), best first (more keys shared, then a higher score, then the
    /// handle), at most `limit`, only of `kind` when given.
    pub fn answer(
        &self,
        query: &[String],
        kind: Option<&str>,
        min_shared: usize,
        limit: usize,
    ) -> Vec<BlindMatch> {
        let q: BTreeSet<&str> = query.iter().map(String::as_str).collect();
        let need = min_shared.min(q.len()).max(1);
        let mut candidates: BTreeSet<usize> = BTreeSet::new();
        for k in &q {
            if let Some(p) = self.postings.get(*k) {
                candidates.extend(p.iter().copied());
            }
        }
        let mut out: Vec<BlindMatch> = candidates
            .into_iter()
            .filter_map(|i| {
                let (h, k, sets) = &self.actors[i];
                if kind.is_some_and(|want| want != k) {
                    return None;
                }
                let (shared, of) = sets
                    .iter()
                    .map(|s| (s.iter().filter(|x| q.contains(x.as_str())).count(), s.len()))
                    .max_by_key(|(shared, of)| (*shared, std::cmp::Reverse(*of)))?;
                (shared >= need).then(|| BlindMatch {
                    handle: h.clone(),
                    kind: k.clone(),
                    shared,
                    of,
                    score: shared as f64 / of.min(q.len()).max(1) as f64,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.shared
                .cmp(&a.shared)
                .then(b.score.total_cmp(&a.score))
                .then(a.handle.cmp(&b.handle))
        });
        out.truncate(limit);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIR: [u8; 32] = [7; 32];
    const OTHER_PAIR: [u8; 32] = [8; 32];

    fn actors() -> Vec<(String, String, Vec<String>)> {
        vec![
            (
                "sahel-2012:abdelkarim-targui".into(),
                "person".into(),
                vec!["Abdelkarim Targui".into(), "Abdelkrim el-Targui".into()],
            ),
            (
                "sahel-2012:khaled-bernaoui".into(),
                "person".into(),
                vec!["Khaled Bernaoui".into()],
            ),
            (
                "sahel-2012:aqim".into(),
                "armed_group".into(),
                vec!["Al-Qaïda au Maghreb islamique".into(), "AQMI".into()],
            ),
        ]
    }

    #[test]
    fn a_name_in_another_script_is_found_without_being_sent() {
        let index = BlindIndex::new(&PAIR, &actors());
        let query = blind_query(&PAIR, "عبد الكريم الطارقي");
        assert!(query.iter().all(|k| is_blind_key(k)));
        // Nothing of the name is in the query.
        let wire = query.join(",");
        assert!(!wire.to_lowercase().contains("targ") && !wire.contains("krim"));
        let found = index.answer(&query, None, 2, 5);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].handle,
            handle(&PAIR, "sahel-2012:abdelkarim-targui")
        );
        assert_eq!(found[0].kind, "person");
        assert!(found[0].shared >= 2);
        // A person of another name is not an answer; nor is any group for a person query.
        let other = index.answer(&blind_query(&PAIR, "Mokhtar Belmokhtar"), None, 2, 5);
        assert!(other.is_empty(), "{other:?}");
        let groups = index.answer(&query, Some("armed_group"), 2, 5);
        assert!(groups.is_empty());
    }

    #[test]
    fn keys_and_handles_mean_nothing_under_another_pairs_secret() {
        let index = BlindIndex::new(&PAIR, &actors());
        let foreign = blind_query(&OTHER_PAIR, "Abdelkarim Targui");
        assert!(index.answer(&foreign, None, 1, 5).is_empty());
        assert_ne!(
            handle(&PAIR, "sahel-2012:aqim"),
            handle(&OTHER_PAIR, "sahel-2012:aqim")
        );
        // Stable for the pair: the same handle every time.
        assert_eq!(
            handle(&PAIR, "sahel-2012:aqim"),
            handle(&PAIR, "sahel-2012:aqim")
        );
    }

    #[test]
    fn malformed_keys_are_told_apart() {
        assert!(is_blind_key(&"a".repeat(32)));
        assert!(!is_blind_key(&"A".repeat(32)));
        assert!(!is_blind_key("abc"));
        assert!(!is_blind_key(&"g".repeat(32)));
    }
}
