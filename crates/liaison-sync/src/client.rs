//! Sync with one peer, as the puller: deliver what we owe it (attestations of its recalls, our
//! responses to its flash alerts),
//! pull every page it releases to us, then deliver the attestations and receipts that pull
//! produced — so a recall is hidden and attested within one sync — and witness its ledger
//! (`crate::witness`).
//!
//! Every request is signed ([`crate::httpsig`]); the transport is a parameter ([`Transport`]): HTTPS
//! with the peer's key pinned in production ([`HttpsTransport`]), the peer's router called in
//! process in tests. Pages are bounded ([`MAX_RESPONSE_BYTES`], and the envelope limits of
//! `liaison_stix::parse`), each stored with its cursor in one transaction, so an interrupted sync
//! resumes where the last stored page ended and repeating one changes nothing. Failed requests
//! are retried with exponential backoff; a sync that still fails records its error in the peer's
//! sync state (never silent).

use std::future::Future;
use std::time::Duration;

use liaison_core::CountryCode;
use liaison_policy::NodeKey;
use liaison_store::Store;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::egress::Keyring;
use crate::httpsig::{PEER_HEADER, sign_request_with_nonce};
use crate::ingest::{Ingest, IngestError, IngestReport};

/// TAXII 2.1's media type, for requests and answers.
pub const TAXII_MEDIA: &str = "application/taxii+json;version=2.1";
/// The collection a peer pulls its releases from, in its API root on our node.
pub const RELEASES_COLLECTION: &str = "5a2f5e0c-8a0b-5d1e-9c43-6f1f2b7a0001";
/// The collection a peer delivers attestations (and flash pushes) to.
pub const INBOX_COLLECTION: &str = "5a2f5e0c-8a0b-5d1e-9c43-6f1f2b7a0002";
/// Largest answer the client reads, in bytes; a bigger one is refused unread.
pub const MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;
/// Response header carrying how many outbox rows the peer has not examined for us yet.
pub const BACKLOG_HEADER: &str = "liaison-backlog";

/// A value unique to each request this process signs (process id, a counter, the signing
/// time's nanoseconds): it only has to differ between requests, not be secret.
fn request_nonce(now: OffsetDateTime) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:x}-{n:x}-{:x}", std::process::id(), now.nanosecond())
}

/// The TAXII API root that holds what one member may receive, on any node.
pub fn api_root(member: &CountryCode) -> String {
    format!("/taxii2/peer-{}/", member.as_str().to_ascii_lowercase())
}

/// A request, before the transport sends it.
#[derive(Debug, Clone)]
pub struct WireRequest {
    pub method: &'static str,
    pub path: String,
    /// `""` or `"?a=b"`.
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// An answer.
#[derive(Debug, Clone)]
pub struct WireResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body, decompressed.
    pub body: Vec<u8>,
    /// The body's size as it travelled (compressed), for the sync report and the benchmark.
    pub wire_bytes: usize,
}

impl WireResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How requests reach a peer.
pub trait Transport: Send + Sync {
    fn send(&self, req: WireRequest) -> impl Future<Output = Result<WireResponse, String>> + Send;
}

/// HTTPS to a peer whose TLS key is pinned to its registered node key.
pub struct HttpsTransport {
    client: reqwest::Client,
    base: String,
}

impl HttpsTransport {
    /// `base`: the peer's URL (`https://host:port`), `pinned`: its registered key.
    pub fn new(base: &str, pinned: &liaison_policy::NodePublicKey) -> Result<Self, String> {
        crate::tls::install_crypto_provider();
        let tls = crate::tls::pinned_client_config(pinned).map_err(|e| e.to_string())?;
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
        })
    }
}

impl Transport for HttpsTransport {
    async fn send(&self, req: WireRequest) -> Result<WireResponse, String> {
        let url = format!("{}{}{}", self.base, req.path, req.query);
        let method =
            reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|e| e.to_string())?;
        let mut r = self
            .client
            .request(method, &url)
            .header("accept-encoding", "gzip")
            .body(req.body);
        for (k, v) in &req.headers {
            r = r.header(k, v);
        }
        let mut resp = r.send().await.map_err(|e| error_chain(&e))?;
        let status = resp.status().as_u16();
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.to_string(), v.to_str().ok()?.to_owned())))
            .collect();
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| error_chain(&e))? {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(format!(
                    "the answer exceeds {MAX_RESPONSE_BYTES} bytes: refused"
                ));
            }
            body.extend_from_slice(&chunk);
        }
        let wire_bytes = body.len();
        let gzipped = resp_is_gzip(&headers);
        let body = if gzipped { gunzip(&body)? } else { body };
        Ok(WireResponse {
            status,
            headers,
            body,
            wire_bytes,
        })
    }
}

fn resp_is_gzip(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("content-encoding") && v.trim() == "gzip")
}

/// Decompresses a gzip body, refusing one that inflates past [`MAX_RESPONSE_BYTES`].
pub fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_RESPONSE_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("the answer is not valid gzip: {e}"))?;
    if out.len() > MAX_RESPONSE_BYTES {
        return Err(format!(
            "the answer inflates past {MAX_RESPONSE_BYTES} bytes: refused"
        ));
    }
    Ok(out)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    /// Objects asked per page.
    pub page_objects: usize,
    /// Pages pulled at most in one sync (the rest waits for the next).
    pub max_pages: usize,
    /// Retries of a failed request.
    pub retries: u32,
    /// First wait before a retry; doubled each time. At least a second in production: request
    /// signatures are deterministic and dated to the second, so an identical request repeated
    /// within the same second is refused as a replay.
    pub backoff: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            page_objects: 500,
            max_pages: 10_000,
            retries: 3,
            backoff: Duration::from_millis(1_500),
        }
    }
}

/// Why a sync failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("peer {peer}: {message}")]
    Transport { peer: String, message: String },
    #[error("peer {peer} answered {status}: {message}")]
    Status {
        peer: String,
        status: u16,
        message: String,
    },
    #[error("peer {peer}: page refused: {source}")]
    Refused { peer: String, source: IngestError },
    #[error(transparent)]
    Store(#[from] liaison_store::StoreError),
    /// One of our flash responses or notices could not be signed or encoded.
    #[error("signing: {0}")]
    Response(String),
}

/// What one sync with one peer did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub pages: u64,
    /// Bytes of the pages as they travelled, and once decompressed.
    pub wire_bytes: u64,
    pub body_bytes: u64,
    pub received: IngestReport,
    pub attestations_delivered: u64,
    /// Our responses to the peer's flash alerts delivered.
    pub responses_delivered: u64,
    /// Originators' recalls passed on to the peer, of incidents this node had relayed to it.
    pub recalls_relayed: u64,
    /// Deconfliction notices delivered to the peer, and those held back (no agreement in
    /// force names it). Filled by the caller of [`Node::deliver_notices`].
    pub notices_delivered: u64,
    pub notices_held: u64,
    pub receipts_delivered: u64,
    pub backlog: i64,
    /// What witnessing the peer's ledger found (alarms included).
    pub witness: crate::witness::WitnessReport,
}

/// The node, as sync sees it.
pub struct Node<'a> {
    pub store: &'a Store,
    pub own: &'a CountryCode,
    pub key: &'a NodeKey,
    pub keyring: &'a Keyring,
}

#[derive(Deserialize)]
struct EnvelopeHead {
    #[serde(default)]
    more: bool,
    #[serde(default)]
    next: Option<String>,
}

impl Node<'_> {
    pub(crate) fn sign(
        &self,
        method: &'static str,
        path: String,
        query: String,
        body: Vec<u8>,
        now: OffsetDateTime,
    ) -> WireRequest {
        let h = sign_request_with_nonce(
            method,
            &path,
            &query,
            &body,
            self.own,
            self.key,
            now.unix_timestamp(),
            Some(&request_nonce(now)),
        );
        let mut headers = vec![
            ("accept".to_owned(), TAXII_MEDIA.to_owned()),
            ("signature-input".to_owned(), h.signature_input),
            ("signature".to_owned(), h.signature),
            ("content-digest".to_owned(), h.content_digest),
            (PEER_HEADER.to_owned(), h.peer),
        ];
        if !body.is_empty() {
            headers.push(("content-type".to_owned(), TAXII_MEDIA.to_owned()));
        }
        WireRequest {
            method,
            path,
            query,
            headers,
            body,
        }
    }

    /// Sends with retries; `make` signs afresh for each attempt (signatures are dated).
    pub(crate) async fn send_retrying<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        make: impl Fn() -> WireRequest,
    ) -> Result<WireResponse, SyncError> {
        let mut wait = opts.backoff;
        let mut attempt = 0;
        loop {
            let outcome = transport.send(make()).await;
            let retryable = match &outcome {
                Ok(r) => r.status >= 500,
                Err(_) => true,
            };
            if !retryable || attempt >= opts.retries {
                return match outcome {
                    Ok(r) if (200..300).contains(&r.status) => Ok(r),
                    Ok(r) => Err(SyncError::Status {
                        peer: peer.to_string(),
                        status: r.status,
                        message: String::from_utf8_lossy(&r.body).chars().take(300).collect(),
                    }),
                    Err(message) => Err(SyncError::Transport {
                        peer: peer.to_string(),
                        message,
                    }),
                };
            }
            attempt += 1;
            tracing::info!(%peer, attempt, "retrying after {wait:?}");
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            wait = wait.saturating_mul(2);
        }
    }

    /// Delivers the attestations we owe `peer` (it is the originator of what we hid).
    async fn deliver_attestations<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<u64, SyncError> {
        let owed = self
            .store
            .undelivered_attestations(self.own.as_str(), peer.as_str())
            .await?;
        if owed.is_empty() {
            return Ok(0);
        }
        let objects: Vec<serde_json::Value> = owed
            .iter()
            .filter_map(|a| serde_json::from_str(&a.object).ok())
            .collect();
        self.post_inbox(
            peer,
            transport,
            &objects.iter().collect::<Vec<_>>(),
            opts,
            clock,
        )
        .await?;
        let now = clock();
        for a in &owed {
            self.store
                .mark_attestation_delivered(&a.originator, &a.incident_id, &a.by_member, now)
                .await?;
        }
        Ok(owed.len() as u64)
    }

    /// Delivers our responses to `peer`'s flash alerts (acknowledged, action taken, closed),
    /// signed now but dated when the step was taken.
    async fn deliver_responses<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<u64, SyncError> {
        let owed = self
            .store
            .undelivered_alert_responses(self.own.as_str(), peer.as_str())
            .await?;
        if owed.is_empty() {
            return Ok(0);
        }
        let mut signed = Vec::with_capacity(owed.len());
        for r in &owed {
            let (Ok(id), Ok(at)) = (
                liaison_core::IncidentId::parse(&r.incident_id),
                OffsetDateTime::parse(&r.at, &time::format_description::well_known::Rfc3339),
            ) else {
                // Rows this node wrote itself; one it cannot read is skipped, not sent garbled.
                tracing::error!("unreadable flash response to {peer}: {}", r.incident_id);
                continue;
            };
            let note =
                liaison_policy::alert_response(self.key, self.own, peer, &id, r.state.as_str(), at)
                    .map_err(|e| SyncError::Response(e.to_string()))?;
            signed.push((r, note.into_object()));
        }
        let objects: Vec<&serde_json::Value> = signed.iter().map(|(_, o)| o).collect();
        self.post_inbox(peer, transport, &objects, opts, clock)
            .await?;
        let now = clock();
        for (r, object) in &signed {
            let text =
                serde_json::to_string(object).map_err(|e| SyncError::Response(e.to_string()))?;
            self.store
                .mark_alert_response_delivered(r, &text, now)
                .await?;
        }
        Ok(signed.len() as u64)
    }

    /// Delivers the deconfliction notices of our own member's operations owed to `peer` that
    /// `policy` lets go (an agreement in force names it); the others wait. Notices of other
    /// members' operations recorded here are theirs to send. Returns (delivered, held back).
    pub async fn deliver_notices<T: Transport>(
        &self,
        peer: &CountryCode,
        policy: &liaison_policy::Policy,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<(u64, u64), SyncError> {
        let owed = self.store.undelivered_notices(peer.as_str()).await?;
        if owed.is_empty() {
            return Ok((0, 0));
        }
        let today = clock().date();
        let mut signed = Vec::with_capacity(owed.len());
        let mut held_back = 0;
        for n in &owed {
            if &n.content.declared_by != self.own {
                // Another member's operation recorded here (a joint command's node records its
                // members'): its notices are that member's to send, signed by its own node.
                continue;
            }
            let message = liaison_policy::NoticeMessage {
                recipient: n.recipient.clone(),
                operation_id: n.operation_id.clone(),
                version: u32::try_from(n.version).unwrap_or(u32::MAX),
                content: serde_json::to_value(&n.content)
                    .map_err(|e| SyncError::Response(e.to_string()))?,
            };
            let issued =
                OffsetDateTime::parse(&n.issued_at, &time::format_description::well_known::Rfc3339)
                    .unwrap_or_else(|_| clock());
            match liaison_policy::release_notice(policy, self.key, &message, issued, today)
                .map_err(|e| SyncError::Response(e.to_string()))?
            {
                Some(sealed) => signed.push((n, sealed.into_object())),
                None => held_back += 1,
            }
        }
        if signed.is_empty() {
            return Ok((0, held_back));
        }
        let objects: Vec<&serde_json::Value> = signed.iter().map(|(_, o)| o).collect();
        self.post_inbox(peer, transport, &objects, opts, clock)
            .await?;
        let now = clock();
        for (n, object) in &signed {
            let text =
                serde_json::to_string(object).map_err(|e| SyncError::Response(e.to_string()))?;
            self.store.mark_notice_delivered(n, &text, now).await?;
        }
        Ok((signed.len() as u64, held_back))
    }

    /// Passes on to `peer` the originators' recalls of incidents this node relayed to it (see
    /// `Store::relayed_recalls_owed`), each recorded as a `recall` disclosure before it goes.
    async fn deliver_relayed_recalls<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<u64, SyncError> {
        let owed = self.store.relayed_recalls_owed(peer.as_str()).await?;
        if owed.is_empty() {
            return Ok(0);
        }
        let now = clock();
        let at = now
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(|e| SyncError::Response(e.to_string()))?;
        let mut releases = Vec::new();
        let mut disclosures = Vec::new();
        for (originator, incident_id, version, text) in owed {
            let checked = serde_json::from_str(&text)
                .ok()
                .and_then(|v| liaison_policy::verify(v, |m, f| self.keyring.key_of(m, f)).ok());
            let Some(release) = checked
                .as_ref()
                .and_then(|c| liaison_policy::relay_recall(peer, c))
            else {
                tracing::warn!(%originator, %incident_id, "a kept recall no longer verifies: not relayed");
                continue;
            };
            disclosures.push(liaison_store::Disclosure {
                peer: peer.to_string(),
                incident_id,
                originator,
                version,
                kind: "recall".into(),
                agreement: None,
                agreement_version: None,
                applied: "[]".into(),
                object_sha256: crate::egress::object_sha256(release.sealed().object()),
                at: at.clone(),
            });
            releases.push(release);
        }
        if releases.is_empty() {
            return Ok(0);
        }
        // Write-ahead, as every disclosure: recorded before the objects leave.
        self.store.record_disclosures(&disclosures).await?;
        self.push(peer, transport, &releases, opts, clock).await?;
        Ok(releases.len() as u64)
    }

    /// Pushes released objects (flash items) to `peer`'s inbox now, ahead of any backlog.
    pub async fn push<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        releases: &[liaison_policy::Release],
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<(), SyncError> {
        let objects: Vec<&serde_json::Value> =
            releases.iter().map(|r| r.sealed().object()).collect();
        self.post_inbox(peer, transport, &objects, opts, clock)
            .await
    }

    /// POSTs `objects` as one TAXII envelope to our inbox on `peer`'s node (our root there: the
    /// peer knows us by our member code).
    async fn post_inbox<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        objects: &[&serde_json::Value],
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<(), SyncError> {
        let body = serde_json::to_vec(&serde_json::json!({ "objects": objects })).map_err(|e| {
            SyncError::Transport {
                peer: peer.to_string(),
                message: e.to_string(),
            }
        })?;
        let path = format!(
            "{}collections/{INBOX_COLLECTION}/objects/",
            api_root(self.own)
        );
        self.send_retrying(peer, transport, opts, || {
            self.sign("POST", path.clone(), String::new(), body.clone(), clock())
        })
        .await?;
        Ok(())
    }

    /// One sync with `peer` (see the module's doc). The outcome is recorded in its sync state.
    pub async fn sync_peer<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<SyncReport, SyncError> {
        let outcome = self.sync_inner(peer, transport, opts, clock).await;
        let now = clock();
        match &outcome {
            Ok(r) => {
                self.store
                    .sync_succeeded(peer.as_str(), r.backlog, now)
                    .await?
            }
            Err(e) => {
                tracing::warn!(%peer, "sync failed: {e}");
                self.store
                    .sync_failed(peer.as_str(), &e.to_string(), now)
                    .await?
            }
        }
        outcome
    }

    async fn sync_inner<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport {
            attestations_delivered: self
                .deliver_attestations(peer, transport, opts, clock)
                .await?,
            ..Default::default()
        };
        let ingest = Ingest {
            store: self.store,
            own: self.own,
            key: self.key,
            keyring: self.keyring,
        };
        let path = format!(
            "{}collections/{RELEASES_COLLECTION}/objects/",
            api_root(self.own)
        );
        let cursor = self.store.sync_state(peer.as_str()).await?.cursor;
        let fetch = |cursor: String| {
            let mut query = format!("?limit={}", opts.page_objects);
            if !cursor.is_empty() {
                query.push_str("&next=");
                query.push_str(&cursor);
            }
            let path = path.clone();
            async move {
                let asked = std::time::Instant::now();
                let resp = self
                    .send_retrying(peer, transport, opts, || {
                        self.sign("GET", path.clone(), query.clone(), Vec::new(), clock())
                    })
                    .await;
                (resp, asked.elapsed())
            }
        };
        let refused = |reason: String| SyncError::Refused {
            peer: peer.to_string(),
            source: IngestError::Refused { index: 0, reason },
        };
        let mut current = (fetch(cursor.clone()).await, cursor);
        for _ in 0..opts.max_pages {
            let ((resp, fetched), cursor) = current;
            let resp = resp?;
            let head: EnvelopeHead = serde_json::from_slice(&resp.body)
                .map_err(|e| refused(format!("the answer is not a TAXII envelope: {e}")))?;
            let parsed = liaison_stix::parse(&resp.body).map_err(|e| refused(e.to_string()))?;
            if let Some(e) = parsed.errors.first() {
                let reason = e.to_string();
                self.store
                    .log_refusal(peer.as_str(), &reason, clock())
                    .await?;
                return Err(SyncError::Refused {
                    peer: peer.to_string(),
                    source: IngestError::Refused {
                        index: e.index,
                        reason,
                    },
                });
            }
            let next = head.next.clone().unwrap_or(cursor);
            // The next page is fetched while this one is stored: the peer decides and seals
            // while we verify and write. If this page is refused, the prefetched one is dropped
            // unstored (its disclosures on the peer are then the safe kind: logged, not kept).
            let stored_at = std::time::Instant::now();
            let (got, prefetched) =
                tokio::join!(ingest.page(peer, &parsed.objects, &next, clock()), async {
                    if head.more {
                        Some(fetch(next.clone()).await)
                    } else {
                        None
                    }
                });
            let got = got.map_err(|source| SyncError::Refused {
                peer: peer.to_string(),
                source,
            })?;
            tracing::debug!(
                %peer,
                fetch_ms = fetched.as_millis() as u64,
                store_ms = stored_at.elapsed().as_millis() as u64,
                objects = parsed.objects.len(),
                "page"
            );
            report.pages += 1;
            report.wire_bytes += resp.wire_bytes as u64;
            report.body_bytes += resp.body.len() as u64;
            merge(&mut report.received, got);
            report.backlog = resp
                .header(BACKLOG_HEADER)
                .and_then(|b| b.parse().ok())
                .unwrap_or(0);
            match prefetched {
                Some(p) => current = (p, next),
                None => break,
            }
        }
        report.attestations_delivered += self
            .deliver_attestations(peer, transport, opts, clock)
            .await?;
        report.responses_delivered = self.deliver_responses(peer, transport, opts, clock).await?;
        report.recalls_relayed = self
            .deliver_relayed_recalls(peer, transport, opts, clock)
            .await?;
        report.receipts_delivered = self.deliver_receipts(peer, transport, opts, clock).await?;
        // Witnessed after the pull, so the checkpoint covers the disclosures just received.
        report.witness = self.witness(peer, transport, opts, clock).await?;
        Ok(report)
    }
}

fn merge(into: &mut IngestReport, page: IngestReport) {
    into.stored += page.stored;
    into.unchanged += page.unchanged;
    into.hidden += page.hidden;
    into.attestations += page.attestations;
    into.skipped.extend(page.skipped);
    into.issued.extend(page.issued);
}
