//! `liaison taxii pull`: copies a remote TAXII 2.1 collection into a local one, every version of
//! every object kept verbatim, page by page, resumable.
//!
//! Each page is stored in one transaction together with where the pull stands (the remote's
//! `next` token, its `X-TAXII-Date-Added-Last`, and whether the end was reached), keyed by
//! (API root URL, remote collection id). A new run continues from there:
//! - with the saved `next` token when the remote gave one (a Liaison node gives one on its last
//!   page too: its tokens are counters, valid for ever, so a re-run fetches nothing already
//!   held);
//! - otherwise (medallion gives no token at the end, and its tokens expire) with
//!   `added_after` = the last `date_added` seen, which is exact after a pull that reached the
//!   end (the objects of one POST share a `date_added` but arrive together), and after an
//!   interrupted one is moved back a millisecond, so that objects sharing the boundary's
//!   `date_added` are fetched again rather than lost (they are already held: nothing changes).
//!
//! Objects are checked like those POSTed to this node's server (`liaison_server::taxii`); one
//! that fails is counted and reported, the others are kept. Transport: reqwest over rustls with
//! the ring provider (ARCHITECTURE.md says why).
//!
//! Limits: [`REQUEST_TIMEOUT_MS`] per request, [`MAX_RESPONSE_BYTES`] per page,
//! [`MAX_PAGE_OBJECTS`] per page asked, [`MAX_STALLED_PAGES`] pages without progress.

use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use liaison_server::taxii::{TAXII_MEDIA_TYPE, check_object, parse_timestamp};
use liaison_store::{AddOutcome, PullCursor, TaxiiCollection};
use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::node::Node;

/// Longest wait for one request, in milliseconds.
pub const REQUEST_TIMEOUT_MS: u64 = 120_000;
/// Largest page accepted from a remote, in bytes (64 MiB).
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// Most objects asked per page.
pub const MAX_PAGE_OBJECTS: u32 = 1_000;
/// Pages in a row without progress (empty, or nothing new under an unchanged token) while the
/// remote says `more`, before giving up.
pub const MAX_STALLED_PAGES: u32 = 3;
/// Refusal messages kept in the report.
const MAX_REPORTED_REFUSALS: usize = 20;

/// How to authenticate to the remote.
#[derive(Debug, Clone)]
pub enum Auth {
    None,
    Basic { user: String, password: String },
    Bearer(String),
}

/// What to pull, from where, into what.
#[derive(Debug, Clone)]
pub struct PullArgs {
    /// The remote's discovery URL or API root URL.
    pub url: String,
    /// The remote collection's id.
    pub collection: String,
    pub auth: Auth,
    /// A local collection to pull into (default: the one an earlier pull used, or a new
    /// read-only one).
    pub into: Option<String>,
    /// Objects per page.
    pub limit: u32,
    /// Stop after this many pages (the next run resumes).
    pub max_pages: Option<u32>,
}

/// What a pull did (`--json` prints it).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct PullReport {
    pub api_root: String,
    pub collection: String,
    pub local_collection: String,
    /// `start`, `next` (the saved token) or `added_after` (the saved date).
    pub resumed_from: String,
    pub pages: u32,
    /// Objects received.
    pub fetched: u64,
    /// Stored as new versions.
    pub added: u64,
    /// Already held, identical.
    pub unchanged: u64,
    /// Refused: invalid, or the same id and version as a held object with other content.
    pub refused: u64,
    /// The remote said there is no more.
    pub complete: bool,
    pub refusals: Vec<String>,
}

/// Where the next request starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resume {
    Start,
    Next(String),
    AddedAfter(String),
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    objects: Vec<&'a RawValue>,
    #[serde(default)]
    more: bool,
    #[serde(default)]
    next: Option<String>,
}

/// One answer of the remote.
struct Fetched {
    status: StatusCode,
    date_added_last: Option<String>,
    body: Vec<u8>,
}

impl Fetched {
    fn excerpt(&self) -> String {
        String::from_utf8_lossy(&self.body[..self.body.len().min(300)]).replace('\n', " ")
    }
}

struct Remote {
    client: reqwest::Client,
    auth: Auth,
}

impl Remote {
    fn new(auth: Auth) -> Result<Remote> {
        // rustls needs one crypto provider; ring is the one built in. Installing fails only
        // when one is installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(REQUEST_TIMEOUT_MS))
            .user_agent(concat!("liaison/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("cannot make an HTTP client")?;
        Ok(Remote { client, auth })
    }

    async fn get(&self, url: &Url, query: &[(&str, String)]) -> Result<Fetched> {
        let mut req = self
            .client
            .get(url.clone())
            .query(query)
            .header(reqwest::header::ACCEPT, TAXII_MEDIA_TYPE);
        req = match &self.auth {
            Auth::None => req,
            Auth::Basic { user, password } => req.basic_auth(user, Some(password)),
            Auth::Bearer(t) => req.bearer_auth(t),
        };
        let mut resp = req
            .send()
            .await
            .with_context(|| format!("GET {url} failed"))?;
        if resp
            .content_length()
            .is_some_and(|n| n > MAX_RESPONSE_BYTES as u64)
        {
            bail!("{url}: the answer is larger than {MAX_RESPONSE_BYTES} bytes");
        }
        let status = resp.status();
        let date_added_last = resp
            .headers()
            .get("x-taxii-date-added-last")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .with_context(|| format!("reading {url}"))?
        {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                bail!("{url}: the answer is larger than {MAX_RESPONSE_BYTES} bytes");
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            status,
            date_added_last,
            body,
        })
    }

    /// A JSON resource that must answer 200.
    async fn resource(&self, url: &Url) -> Result<serde_json::Value> {
        let f = self.get(url, &[]).await?;
        match f.status {
            StatusCode::OK => serde_json::from_slice(&f.body)
                .with_context(|| format!("{url} did not answer JSON")),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                bail!("{url} refused the credentials ({})", f.status)
            }
            s => bail!("{url} answered {s}: {}", f.excerpt()),
        }
    }
}

fn with_slash(mut u: Url) -> Url {
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    u
}

/// The API root that holds `collection`: `url` itself, or (when `url` is a discovery URL) the
/// first of its API roots that has it.
async fn find_api_root(remote: &Remote, url: &Url, collection: &str) -> Result<Url> {
    let top = remote.resource(url).await?;
    let Some(roots) = top.get("api_roots").and_then(|r| r.as_array()) else {
        return Ok(url.clone());
    };
    for r in roots.iter().filter_map(|r| r.as_str()) {
        let root = with_slash(url.join(r).with_context(|| format!("bad API root '{r}'"))?);
        let coll = root.join(&format!("collections/{collection}/"))?;
        if remote.get(&coll, &[]).await?.status == StatusCode::OK {
            return Ok(root);
        }
    }
    bail!("no API root of {url} has collection {collection}")
}

/// `t` moved back one millisecond, written with microseconds (what every TAXII server reads).
fn just_before(t: &str) -> Option<String> {
    let t = parse_timestamp(t).ok()? - time::Duration::milliseconds(1);
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    ))
}

/// Where to start when the saved token cannot be used.
fn by_date(c: &PullCursor) -> Resume {
    match &c.added_after {
        Some(a) if c.complete => Resume::AddedAfter(a.clone()),
        Some(a) => just_before(a).map_or(Resume::Start, Resume::AddedAfter),
        None => Resume::Start,
    }
}

/// The local collection to pull into, made (read-only) if needed.
async fn local_collection(
    node: &Node,
    args: &PullArgs,
    saved: Option<&PullCursor>,
    remote_title: &str,
    api_root: &Url,
) -> Result<String> {
    match (saved, &args.into) {
        (Some(c), Some(into)) if &c.local_collection != into => bail!(
            "earlier pulls of this collection went into {}; --into {into} would split it",
            c.local_collection
        ),
        (Some(c), _) => Ok(c.local_collection.clone()),
        (None, Some(into)) => {
            node.store
                .taxii_collection(into)
                .await
                .map_err(|_| anyhow!("--into {into}: no such local collection"))?;
            Ok(into.clone())
        }
        (None, None) => {
            let c = TaxiiCollection {
                id: super::new_uuid()?,
                title: format!("Pulled: {remote_title}"),
                description: format!(
                    "pulled from {api_root} collection {} by liaison taxii pull",
                    args.collection
                ),
                read_only: true,
            };
            node.store.add_taxii_collection(&c, crate::now()).await?;
            Ok(c.id)
        }
    }
}

/// Pulls every object the remote collection holds that this node has not pulled yet.
pub async fn pull(node: &Node, args: &PullArgs) -> Result<PullReport> {
    let ok_id = !args.collection.is_empty()
        && args.collection.len() <= 200
        && args
            .collection
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    if !ok_id {
        bail!("--collection: not a collection id");
    }
    let limit = args.limit.clamp(1, MAX_PAGE_OBJECTS);
    let remote = Remote::new(args.auth.clone())?;
    let url = with_slash(Url::parse(&args.url).with_context(|| format!("bad URL {}", args.url))?);
    let root = find_api_root(&remote, &url, &args.collection).await?;
    let coll_url = root.join(&format!("collections/{}/", args.collection))?;
    let info = remote.resource(&coll_url).await?;
    if info.get("can_read") == Some(&serde_json::Value::Bool(false)) {
        bail!("{coll_url}: this account may not read that collection");
    }
    let title = info.get("title").and_then(|t| t.as_str()).unwrap_or("");
    let saved = node
        .store
        .taxii_pull_cursor(root.as_str(), &args.collection)
        .await?;
    let local = local_collection(node, args, saved.as_ref(), title, &root).await?;
    let mut cursor = saved.clone().unwrap_or(PullCursor {
        api_root: root.to_string(),
        collection: args.collection.clone(),
        local_collection: local.clone(),
        next_token: None,
        added_after: None,
        complete: false,
    });
    let mut from = match &saved {
        Some(PullCursor {
            next_token: Some(t),
            ..
        }) => Resume::Next(t.clone()),
        Some(c) => by_date(c),
        None => Resume::Start,
    };
    let mut report = PullReport {
        api_root: root.to_string(),
        collection: args.collection.clone(),
        local_collection: local.clone(),
        resumed_from: match &from {
            Resume::Start => "start",
            Resume::Next(_) => "next",
            Resume::AddedAfter(_) => "added_after",
        }
        .to_owned(),
        ..PullReport::default()
    };
    let objects_url = coll_url.join("objects/")?;
    let (mut stalled, mut token_refused) = (0u32, false);
    loop {
        let mut query = vec![
            ("limit", limit.to_string()),
            ("match[version]", "all".to_owned()),
        ];
        match &from {
            Resume::Start => {}
            Resume::Next(t) => query.push(("next", t.clone())),
            Resume::AddedAfter(a) => query.push(("added_after", a.clone())),
        }
        let page = remote.get(&objects_url, &query).await?;
        let refused_token = matches!(page.status, StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND)
            && matches!(from, Resume::Next(_))
            && !token_refused;
        if refused_token {
            // An expired or unknown token: fall back on the date, once.
            token_refused = true;
            from = by_date(&cursor);
            report.resumed_from = "added_after".into();
            continue;
        }
        if page.status != StatusCode::OK {
            bail!("{objects_url} answered {}: {}", page.status, page.excerpt());
        }
        let env: Envelope = serde_json::from_slice(&page.body)
            .with_context(|| format!("{objects_url} did not answer a TAXII envelope"))?;
        let mut valid = Vec::with_capacity(env.objects.len());
        for raw in &env.objects {
            match check_object(raw) {
                Ok(o) => valid.push(o),
                Err(r) => {
                    report.refused += 1;
                    if report.refusals.len() < MAX_REPORTED_REFUSALS {
                        let id = r.id.unwrap_or_else(|| "(no id)".into());
                        report.refusals.push(format!("{id}: {}", r.message));
                    }
                }
            }
        }
        report.pages += 1;
        report.fetched += env.objects.len() as u64;
        let mut write = node.store.taxii_write(&local, crate::now()).await?;
        let mut added = 0;
        for outcome in write.add(&valid).await? {
            match outcome {
                AddOutcome::Added { .. } => added += 1,
                AddOutcome::Unchanged { .. } => report.unchanged += 1,
                AddOutcome::Clash { version } => {
                    report.refused += 1;
                    if report.refusals.len() < MAX_REPORTED_REFUSALS {
                        report.refusals.push(format!(
                            "version {version} held with other content: kept the held one"
                        ));
                    }
                }
            }
        }
        report.added += added;
        // An empty page leaves the resume point where it was.
        if !env.objects.is_empty() {
            cursor.next_token = env.next.clone();
            if let Some(last) = &page.date_added_last {
                cursor.added_after = Some(last.clone());
            }
        } else if let (Some(t), Resume::Next(sent)) = (&env.next, &from)
            && t != sent
        {
            cursor.next_token = Some(t.clone());
        }
        cursor.complete = !env.more;
        write.put_pull_cursor(&cursor, crate::now()).await?;
        write.commit().await?;
        if !env.more {
            report.complete = true;
            break;
        }
        if args.max_pages.is_some_and(|m| report.pages >= m) {
            break;
        }
        let next = match &env.next {
            Some(t) => Resume::Next(t.clone()),
            None => by_date(&cursor),
        };
        // A remote that keeps saying `more` with empty pages, or with nothing new under the
        // same token (medallion gives one token to a whole traversal), would never end.
        stalled = if env.objects.is_empty() || (added == 0 && next == from) {
            stalled + 1
        } else {
            0
        };
        if stalled >= MAX_STALLED_PAGES {
            bail!(
                "{objects_url}: {stalled} pages in a row made no progress while the remote says \
                 there is more; stopped (the pull resumes from the last page stored)"
            );
        }
        from = next;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert_eq!(
            just_before("2024-01-01T00:00:00Z").as_deref(),
            Some("2023-12-31T23:59:59.999000Z")
        );
        assert_eq!(
            just_before("2024-01-01T00:00:00.123456Z").as_deref(),
            Some("2024-01-01T00:00:00.122456Z")
        );
        assert_eq!(just_before("yesterday"), None);
        let mut c = PullCursor {
            api_root: "r".into(),
            collection: "c".into(),
            local_collection: "l".into(),
            next_token: None,
            added_after: Some("2024-01-01T00:00:00.000Z".into()),
            complete: true,
        };
        assert_eq!(
            by_date(&c),
            Resume::AddedAfter("2024-01-01T00:00:00.000Z".into())
        );
        c.complete = false;
        assert_eq!(
            by_date(&c),
            Resume::AddedAfter("2023-12-31T23:59:59.999000Z".into())
        );
        c.added_after = None;
        assert_eq!(by_date(&c), Resume::Start);
    }
}
