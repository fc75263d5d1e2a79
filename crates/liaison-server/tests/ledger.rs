//! The disclosure ledger across nodes, in one process (routers called in process, stepped
//! clock): disclosures are logged before they leave, receipts come back and verify, each peer
//! witnesses the others' logs at every sync and cosigns them, and a member that alters or forks
//! its history is caught at the next sync.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use liaison_ledger::{Entry, Event};
use liaison_store::Store;
use liaison_sync::client::{Transport, WireRequest, WireResponse};
use liaison_sync::ledger_wire::{self, EntriesPage, InclusionProof};
use serde_json::json;

mod common;
use common::*;

/// Every entry of a node's log, decoded.
async fn log_of(store: &Store) -> Vec<(u64, Entry)> {
    let size = store.ledger_head().await.unwrap().size;
    store
        .ledger_entries(0, size)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.index, Entry::decode(e.entry.as_bytes()).unwrap()))
        .collect()
}

/// A second connection to a node's database, for tampering as an insider would.
async fn raw(n: &TestNode) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}/n.db", n._dir.path().display()))
        .await
        .unwrap()
}

/// A signed GET from `caller` to `to`'s federation router.
async fn get(
    caller: &TestNode,
    to: &TestNode,
    path: &str,
    query: &str,
    clock: &Clock,
) -> WireResponse {
    let h = liaison_sync::httpsig::sign_request_with_nonce(
        "GET",
        path,
        query,
        b"",
        &caller.member,
        &caller.key,
        clock.now().unix_timestamp(),
        Some(&format!("{}{query}", clock.now().unix_timestamp())),
    );
    InProcess(&to.app)
        .send(WireRequest {
            method: "GET",
            path: path.to_owned(),
            query: query.to_owned(),
            headers: vec![
                ("signature-input".into(), h.signature_input),
                ("signature".into(), h.signature),
                ("content-digest".into(), h.content_digest),
                (liaison_sync::httpsig::PEER_HEADER.into(), h.peer),
            ],
            body: Vec::new(),
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn disclosures_are_logged_receipted_witnessed_and_cosigned() {
    let clock = Clock::new();
    let (mli, dza, _ner) = three(&clock).await;
    clock.step(10);
    let report = sync(&dza, &mli, &clock).await;
    assert_eq!(report.received.stored, 3);

    // The originator logged one "disclosed" entry per object, naming the agreement.
    let mli_log = log_of(&mli.store).await;
    let disclosed: Vec<&Entry> = mli_log
        .iter()
        .map(|(_, e)| e)
        .filter(|e| matches!(&e.event, Event::Disclosed { recipient, .. } if recipient == "DZA"))
        .collect();
    assert_eq!(disclosed.len(), 3);
    for e in &disclosed {
        let Event::Disclosed {
            agreement,
            object_sha256,
            ..
        } = &e.event
        else {
            unreachable!()
        };
        assert_eq!(agreement.as_deref(), Some("mli-all"));
        assert_eq!(object_sha256.len(), 64);
    }
    // The recipient logged what it received, issued a receipt naming those entries, and
    // delivered it in the same sync; the originator kept it and logged it.
    let dza_log = log_of(&dza.store).await;
    let received: Vec<u64> = dza_log
        .iter()
        .filter(
            |(_, e)| matches!(&e.event, Event::Received { from_peer, .. } if from_peer == "MLI"),
        )
        .map(|(i, _)| *i)
        .collect();
    assert_eq!(received.len(), 3);
    assert!(
        dza_log
            .iter()
            .any(|(_, e)| matches!(e.event, Event::ReceiptIssued { .. }))
    );
    // One receipt per page (pages of two objects here).
    assert_eq!(report.receipts_delivered, 2);
    let receipts = mli.store.receipts("received", Some("DZA")).await.unwrap();
    assert_eq!(receipts.len(), 2);
    assert_eq!(receipts[0].first_index, received[0]);
    assert_eq!(receipts.iter().map(|r| r.count).sum::<u64>(), 3);
    assert!(
        log_of(&mli.store)
            .await
            .iter()
            .any(|(_, e)| matches!(e.event, Event::ReceiptReceived { .. }))
    );

    // DZA witnessed MLI's log and cosigned it; MLI serves its checkpoint with the cosignature.
    assert!(
        report.witness.alarms.is_empty(),
        "{:?}",
        report.witness.alarms
    );
    assert!(report.witness.cosigned);
    let cp = mli.store.latest_checkpoint().await.unwrap().unwrap();
    assert_eq!(report.witness.size, cp.size);
    let cosigs = mli.store.cosignatures(Some(cp.size)).await.unwrap();
    assert_eq!(cosigs.len(), 1);
    let note = get(&dza, &mli, ledger_wire::CHECKPOINT_PATH, "", &clock).await;
    assert_eq!(note.status, 200);
    let note = String::from_utf8(note.body).unwrap();
    let parsed =
        liaison_ledger::open_checkpoint(&note, "liaison/MLI", mli.key.public().as_bytes()).unwrap();
    assert_eq!(parsed.size, cp.size);
    let line = note
        .lines()
        .find(|l| l.starts_with("— liaison/DZA/witness "))
        .unwrap();
    liaison_ledger::verify_cosignature(
        &parsed,
        line,
        "liaison/DZA/witness",
        dza.key.public().as_bytes(),
    )
    .unwrap();
    // The witness logged that it cosigned.
    assert!(log_of(&dza.store).await.iter().any(|(_, e)| matches!(&e.event, Event::Cosigned { peer, size, .. } if peer == "MLI" && *size == cp.size)));

    // MLI audits DZA's receipts: each item is in DZA's log, as received from MLI, proven.
    let ring = keyring(&mli).await;
    let node = liaison_sync::client::Node {
        store: &mli.store,
        own: &mli.member,
        key: &mli.key,
        keyring: &ring,
    };
    let c = clock.clone();
    let audit = node
        .audit_receipts(&dza.member, &InProcess(&dza.app), &opts(), &move || c.now())
        .await
        .unwrap();
    assert_eq!(audit.receipts.len(), 2);
    let items: u64 = audit.receipts.iter().map(|r| r.items).sum();
    let verified: u64 = audit.receipts.iter().map(|r| r.verified).sum();
    assert_eq!((items, verified), (3, 3));
    assert_eq!(audit.problems(), 0, "{audit:?}");

    // If DZA later rewrites one of those entries, the receipt no longer verifies, and says where.
    let db = raw(&dza).await;
    sqlx::query("UPDATE ledger_entries SET entry = replace(entry, '\"version\":1', '\"version\":7') WHERE idx = ?")
        .bind(received[1] as i64)
        .execute(&db)
        .await
        .unwrap();
    let c = clock.clone();
    let audit = node
        .audit_receipts(&dza.member, &InProcess(&dza.app), &opts(), &move || c.now())
        .await
        .unwrap();
    assert_eq!(audit.problems(), 1, "{audit:?}");
    let problem = audit
        .receipts
        .iter()
        .flat_map(|r| &r.problems)
        .next()
        .unwrap();
    assert!(
        problem.starts_with(&format!("item {}:", received[1])),
        "{problem}"
    );
}

#[tokio::test]
async fn a_peer_sees_its_own_entries_in_full_and_only_hashes_of_the_rest() {
    let clock = Clock::new();
    let (mli, dza, ner) = three(&clock).await;
    sync(&dza, &mli, &clock).await;
    sync(&ner, &mli, &clock).await;
    let size = mli.store.ledger_head().await.unwrap().size;
    let page = get(
        &ner,
        &mli,
        ledger_wire::ENTRIES_PATH,
        &format!("?start=0&end={size}"),
        &clock,
    )
    .await;
    let page: EntriesPage = serde_json::from_slice(&page.body).unwrap();
    assert_eq!(page.entries.len() as u64, size);
    let mut full = 0;
    for e in &page.entries {
        match &e.entry {
            Some(text) => {
                full += 1;
                assert!(
                    Entry::decode(text.as_bytes())
                        .unwrap()
                        .concerns()
                        .contains(&"NER".to_owned())
                );
                assert!(!text.contains("\"recipient\":\"DZA\""));
            }
            None => assert!(e.hash.is_some()),
        }
    }
    assert!(full >= 3, "NER sees its own disclosures in full");
    // An inclusion proof of any entry verifies against the signed checkpoint.
    let note = String::from_utf8(
        get(&ner, &mli, ledger_wire::CHECKPOINT_PATH, "", &clock)
            .await
            .body,
    )
    .unwrap();
    let cp =
        liaison_ledger::open_checkpoint(&note, "liaison/MLI", mli.key.public().as_bytes()).unwrap();
    let hidden = page.entries.iter().find(|e| e.entry.is_none()).unwrap();
    let proof = get(
        &ner,
        &mli,
        ledger_wire::INCLUSION_PATH,
        &format!("?index={}&size={}", hidden.index, cp.size),
        &clock,
    )
    .await;
    let proof: InclusionProof = serde_json::from_slice(&proof.body).unwrap();
    let hashes: Vec<_> = proof
        .proof
        .iter()
        .map(|h| ledger_wire::unb64(h).unwrap())
        .collect();
    let leaf = ledger_wire::unb64(hidden.hash.as_ref().unwrap()).unwrap();
    liaison_ledger::verify_inclusion(&leaf, hidden.index, cp.size, &hashes, &cp.root).unwrap();
    // Bad parameters are refused with a reason; an unsigned request gets the same 401 as ever.
    let bad = get(
        &ner,
        &mli,
        ledger_wire::INCLUSION_PATH,
        &format!("?index={size}&size={size}"),
        &clock,
    )
    .await;
    assert_eq!(bad.status, 400);
    let bad = get(
        &ner,
        &mli,
        ledger_wire::ENTRIES_PATH,
        "?start=x&end=2",
        &clock,
    )
    .await;
    assert_eq!(bad.status, 400);
    let unsigned = InProcess(&mli.app)
        .send(WireRequest {
            method: "GET",
            path: ledger_wire::CHECKPOINT_PATH.into(),
            query: String::new(),
            headers: vec![],
            body: vec![],
        })
        .await
        .unwrap();
    assert_eq!(unsigned.status, 401);
}

#[tokio::test]
async fn a_peer_detects_at_its_next_sync_that_a_member_altered_an_old_entry() {
    let clock = Clock::new();
    let (mli, dza, _ner) = three(&clock).await;
    sync(&dza, &mli, &clock).await;
    // An insider at MLI rewrites an old entry to hide that mli-1 went to Algeria.
    let (index, _) = log_of(&mli.store)
        .await
        .into_iter()
        .find(|(_, e)| matches!(&e.event, Event::Disclosed { recipient, incident_id, .. } if recipient == "DZA" && incident_id == "mli-1"))
        .unwrap();
    let db = raw(&mli).await;
    sqlx::query("UPDATE ledger_entries SET entry = replace(entry, '\"recipient\":\"DZA\"', '\"recipient\":\"NER\"'), concerns = ' MLI NER ' WHERE idx = ?")
        .bind(index as i64)
        .execute(&db)
        .await
        .unwrap();
    // MLI goes on working; at DZA's next sync the alteration is found and named.
    incident(&mli, "mli-4", "Kidal", &clock).await;
    clock.step(30);
    let report = sync(&dza, &mli, &clock).await;
    assert_eq!(report.received.stored, 1, "the data still flows");
    assert!(!report.witness.cosigned, "nothing altered is cosigned");
    assert_eq!(
        report.witness.alarms.len(),
        1,
        "{:?}",
        report.witness.alarms
    );
    assert!(
        report.witness.alarms[0].contains(&format!("entry {index} ")),
        "{:?}",
        report.witness.alarms
    );
    let alarms = dza.store.alarms(Some("MLI"), 10).await.unwrap();
    assert_eq!(alarms[0].kind, "altered_entry");
    // The alarm is itself in DZA's log, and it is not raised twice for the same finding.
    clock.step(30);
    let again = sync(&dza, &mli, &clock).await;
    assert_eq!(again.witness.alarms.len(), 1);
    assert_eq!(dza.store.alarms(Some("MLI"), 10).await.unwrap().len(), 1);
    assert_eq!(
        log_of(&dza.store)
            .await
            .iter()
            .filter(|(_, e)| matches!(e.event, Event::Alarm { .. }))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_forked_or_rolled_back_history_is_an_alarm() {
    let clock = Clock::new();
    let (mli, dza, _ner) = three(&clock).await;
    sync(&dza, &mli, &clock).await;
    let witnessed = dza.store.witness_state("MLI").await.unwrap().unwrap();
    // A second MLI log under the same key: same member, same key, another history (a member
    // that rewrote its past and re-signed). It answers DZA in place of the real one.
    let forger = node("MLI", 1, &clock).await;
    mesh(&[&forger, &dza], &clock).await;
    agree(
        &forger,
        json!({"id": "mli-all", "originator": "MLI", "recipients": ["DZA"], "title": "x"}),
        &clock,
    )
    .await;
    for i in 0..20 {
        incident(&forger, &format!("mli-f{i}"), "Gao", &clock).await;
    }
    clock.step(30);
    let report = sync_via(&dza, &forger, &InProcess(&forger.app), &clock)
        .await
        .unwrap();
    assert!(report.witness.size > witnessed.size);
    assert_eq!(
        report.witness.alarms.len(),
        1,
        "{:?}",
        report.witness.alarms
    );
    assert!(
        report.witness.alarms[0].starts_with("fork"),
        "{:?}",
        report.witness.alarms
    );
    // The witness keeps the last good state; a smaller log is a rollback.
    assert_eq!(
        dza.store.witness_state("MLI").await.unwrap().unwrap().size,
        witnessed.size
    );
    let small = node("MLI", 1, &clock).await;
    mesh(&[&small, &dza], &clock).await;
    clock.step(30);
    let report = sync_via(&dza, &small, &InProcess(&small.app), &clock)
        .await
        .unwrap();
    assert!(
        report.witness.alarms[0].starts_with("rollback"),
        "{:?}",
        report.witness.alarms
    );
}

/// Calls the router (so the page is made, its disclosures logged and committed) and then loses
/// the answer: a crash of the sender between the durable entry and the bytes leaving.
struct CrashAfterCommit<'a>(&'a Router);

impl Transport for CrashAfterCommit<'_> {
    async fn send(&self, req: WireRequest) -> Result<WireResponse, String> {
        let resp = InProcess(self.0).send(req).await?;
        if resp.status == 200 && resp.body.starts_with(b"{\"more\"") {
            return Err("the sender crashed before the page left".into());
        }
        Ok(resp)
    }
}

#[tokio::test]
async fn a_crash_between_the_entry_and_the_delivery_delivers_nothing_unlogged() {
    let clock = Clock::new();
    let (mli, dza, _ner) = three(&clock).await;
    let failed = sync_via(&dza, &mli, &CrashAfterCommit(&mli.app), &clock).await;
    assert!(failed.is_err());
    assert!(held(&dza).await.is_empty(), "nothing arrived");
    let logged = log_of(&mli.store)
        .await
        .into_iter()
        .filter(|(_, e)| matches!(e.event, Event::Disclosed { .. }))
        .count();
    assert!(
        logged >= 2,
        "the first page's disclosures were logged before it left"
    );
    // The next sync delivers; every object the recipient holds has its entry at the originator.
    clock.step(30);
    sync(&dza, &mli, &clock).await;
    let delivered = held(&dza).await;
    assert_eq!(delivered.len(), 3);
    let mli_log = log_of(&mli.store).await;
    for inc in &delivered {
        let r = dza
            .store
            .received("MLI", inc.id.as_str())
            .await
            .unwrap()
            .unwrap();
        assert!(
            mli_log.iter().any(|(_, e)| matches!(&e.event, Event::Disclosed { recipient, object_sha256, .. } if recipient == "DZA" && *object_sha256 == r.object_sha256)),
            "{} was delivered without its disclosure entry",
            inc.id
        );
    }
    // A sender whose log cannot record refuses to disclose (fail closed): nothing leaves,
    // nothing is marked disclosed, and local writes are refused too.
    incident(&mli, "mli-9", "Anefis", &clock).await;
    let db = raw(&mli).await;
    sqlx::query("UPDATE ledger_head SET root = '0000000000000000000000000000000000000000000000000000000000000000'")
        .execute(&db)
        .await
        .unwrap();
    clock.step(30);
    assert!(
        sync_via(&dza, &mli, &InProcess(&mli.app), &clock)
            .await
            .is_err()
    );
    assert!(mli.store.disclosures_of("mli-9").await.unwrap().is_empty());
    assert!(dza.store.received("MLI", "mli-9").await.unwrap().is_none());
    let refused = incident_result(&mli, "mli-10", &clock).await;
    assert!(refused.is_err());
}

async fn incident_result(
    n: &TestNode,
    id: &str,
    clock: &Clock,
) -> Result<(), liaison_store::StoreError> {
    let inc = liaison_core::Incident::new(
        liaison_core::IncidentId::parse(id).unwrap(),
        n.member.clone(),
        1,
        content("Ber", 16.8, -3.0),
    );
    n.store.create_incident(&inc, "analyst", clock.now()).await
}
