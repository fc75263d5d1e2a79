//! HTTPS between nodes, authenticated by the nodes' own Ed25519 keys instead of certificate
//! authorities: states that do not trust each other will not share a CA, but each has checked
//! its partners' keys out of band (`liaison peer add … --key`).
//!
//! - A node serves a self-signed certificate whose key *is* its node key, so the certificate
//!   carries nothing a peer must trust beyond that key.
//! - A client pins the peer's registered key: it accepts a server only if the certificate's
//!   SubjectPublicKeyInfo is exactly that Ed25519 key, and checks the handshake signature with it.
//!   No CA, no host name, no validity dates: the pin is the whole of the trust.
//! - The server asks no client certificate: every federation request is signed ([`crate::httpsig`]).
//!
//! rustls runs with the ring provider only (never aws-lc-rs: one provider in the tree, see the
//! workspace `Cargo.toml`), TLS 1.3 only (both ends are Liaison nodes) and Ed25519 only.

use std::future::Future;
use std::sync::{Arc, Once};
use std::time::Duration;

use axum::extract::ConnectInfo;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use liaison_core::CountryCode;
use liaison_policy::identity::{NodeKey, NodePublicKey};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{
    CryptoProvider, WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, ServerConfig, SignatureScheme};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// How long a client has to finish the TLS handshake before its connection is dropped, so idle
/// or slow sockets cannot pile up.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long [`serve_tls`] waits for open connections to finish after shutdown is asked.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How long an HTTP/1 client has to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a TLS setting could not be made. Never carries key material.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("the node key cannot be encoded as PKCS#8: {0}")]
    Key(String),
    #[error("the node certificate cannot be made: {0}")]
    Certificate(String),
    #[error("TLS configuration refused: {0}")]
    Config(String),
}

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): SEQUENCE { SEQUENCE { OID
/// 1.3.101.112 }, BIT STRING (0 unused bits) }, followed by the 32 key bytes.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// The only handshake signature algorithm a pinned client accepts.
static ED25519_ONLY: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[webpki::ring::ED25519],
    mapping: &[(SignatureScheme::ED25519, &[webpki::ring::ED25519])],
};

/// Installs ring as the process's default rustls provider, once. Configurations made here name
/// their provider explicitly; this is for the other rustls users in the process (reqwest built
/// with `rustls-no-provider`, sqlx), which panic without a default.
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // An error means a default is already installed; with ring alone in the tree, that is
        // ring too, so there is nothing to do.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The node key as PKCS#8 v2 DER (secret and public key), the form rcgen and rustls read.
fn node_pkcs8(key: &NodeKey) -> Result<PrivatePkcs8KeyDer<'static>, TlsError> {
    let secret: [u8; 32] = URL_SAFE_NO_PAD
        .decode(key.secret_base64())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| TlsError::Key("the secret is not 32 bytes".into()))?;
    let signing = ed25519_dalek::SigningKey::from_bytes(&secret);
    if signing.verifying_key().as_bytes() != key.public().as_bytes() {
        return Err(TlsError::Key(
            "the secret does not give the node's public key".into(),
        ));
    }
    let document = signing
        .to_pkcs8_der()
        .map_err(|e| TlsError::Key(e.to_string()))?;
    Ok(PrivatePkcs8KeyDer::from(document.as_bytes().to_vec()))
}

/// A self-signed X.509 certificate whose key is the node's Ed25519 key: subject CN
/// `liaison-node-<ISO3>`, SAN `localhost`, `127.0.0.1` and `names` (host names or IP
/// addresses), valid from 2000 to 9999 (peers pin the key, so dates carry no trust; RFC 5280
/// §4.1.2.5 reads 9999-12-31 as "no expiry"). The same key gives the same certificate.
pub fn node_certificate(
    key: &NodeKey,
    member: &CountryCode,
    names: &[String],
) -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), TlsError> {
    let pkcs8 = node_pkcs8(key)?;
    let key_pair = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8, &rcgen::PKCS_ED25519)
        .map_err(|e| TlsError::Key(e.to_string()))?;
    let mut sans = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    for name in names {
        if !sans.contains(name) {
            sans.push(name.clone());
        }
    }
    let cert_err = |e: rcgen::Error| TlsError::Certificate(e.to_string());
    let mut params = rcgen::CertificateParams::new(sans).map_err(cert_err)?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        format!("liaison-node-{}", member.as_str()),
    );
    params.not_before = time::macros::datetime!(2000-01-01 00:00:00 UTC);
    params.not_after = time::macros::datetime!(9999-12-31 23:59:59 UTC);
    params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.self_signed(&key_pair).map_err(cert_err)?;
    Ok((cert.der().clone(), PrivateKeyDer::Pkcs8(pkcs8)))
}

/// The server side: the node certificate, TLS 1.3, no client authentication (requests are
/// signed), ALPN `h2` and `http/1.1`.
pub fn server_config(
    key: &NodeKey,
    member: &CountryCode,
    names: &[String],
) -> Result<Arc<ServerConfig>, TlsError> {
    let (cert, private) = node_certificate(key, member, names)?;
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(vec![cert], private)
        .map_err(|e| TlsError::Config(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A client that accepts a server only if its certificate holds exactly the Ed25519 key
/// `pinned`, and only a handshake signed by that key. No CA and no host-name check: connect by
/// IP address or any name.
pub fn pinned_client_config(pinned: &NodePublicKey) -> Result<rustls::ClientConfig, TlsError> {
    let verifier = PinnedKey::new(pinned);
    Ok(rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| TlsError::Config(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

/// The pinned-key verifier: the expected SubjectPublicKeyInfo, compared with the one rustls-webpki
/// parses out of the certificate.
#[derive(Debug)]
struct PinnedKey {
    spki: Vec<u8>,
}

impl PinnedKey {
    fn new(pinned: &NodePublicKey) -> Self {
        let mut spki = ED25519_SPKI_PREFIX.to_vec();
        spki.extend_from_slice(pinned.as_bytes());
        Self { spki }
    }

    fn check(&self, cert: &CertificateDer<'_>) -> Result<(), rustls::Error> {
        let cert = webpki::EndEntityCert::try_from(cert)
            .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
        if cert.subject_public_key_info().as_ref() == self.spki.as_slice() {
            Ok(())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }
}

impl ServerCertVerifier for PinnedKey {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.check(end_entity)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        // Pinned again here so the signature is checked with the pinned key whatever rustls
        // passes us.
        self.check(cert)?;
        verify_tls12_signature(message, cert, dss, &ED25519_ONLY)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.check(cert)?;
        verify_tls13_signature(message, cert, dss, &ED25519_ONLY)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        vec![SignatureScheme::ED25519]
    }
}

/// Serves `app` over TLS on `listener` until `shutdown` completes, then stops accepting and
/// lets open connections (and handshakes under way) finish for up to [`SHUTDOWN_GRACE`]. One task per connection; a connection's failure (bad
/// handshake, [`HANDSHAKE_TIMEOUT`], protocol error) is logged and never stops the server.
/// Handlers can read the client's address with `ConnectInfo<SocketAddr>`.
pub async fn serve_tls(
    listener: TcpListener,
    config: Arc<ServerConfig>,
    app: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let acceptor = TlsAcceptor::from(config);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    // Out of descriptors and the like: wait instead of spinning.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                Ok(Err(error)) => {
                    tracing::debug!(%remote, %error, "TLS handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::debug!(%remote, "TLS handshake timed out");
                    return;
                }
            };
            let app = app.map_request(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(remote));
                request
            });
            let mut builder = auto::Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT);
            let connection =
                builder.serve_connection(TokioIo::new(tls), TowerToHyperService::new(app));
            if let Err(error) = watcher.watch(connection).await {
                tracing::debug!(%remote, %error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period were dropped");
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn mli() -> CountryCode {
        CountryCode::parse("MLI").unwrap()
    }

    #[test]
    fn the_certificate_holds_the_node_key() {
        let key = NodeKey::from_secret([1; 32]);
        let (cert, private) = node_certificate(&key, &mli(), &["node.mli.example".into()]).unwrap();
        let parsed = webpki::EndEntityCert::try_from(&cert).unwrap();
        let mut spki = ED25519_SPKI_PREFIX.to_vec();
        spki.extend_from_slice(key.public().as_bytes());
        assert_eq!(parsed.subject_public_key_info().as_ref(), spki.as_slice());
        for name in ["localhost", "127.0.0.1", "node.mli.example"] {
            let name = ServerName::try_from(name).unwrap();
            parsed.verify_is_valid_for_subject_name(&name).unwrap();
        }
        let cn = b"liaison-node-MLI";
        assert!(parsed.subject().windows(cn.len()).any(|w| w == cn));
        // Deterministic: the same key makes the same certificate.
        assert_eq!(
            node_certificate(&key, &mli(), &["node.mli.example".into()])
                .unwrap()
                .0,
            cert
        );
        // The secret never shows in Debug output.
        let shown = format!("{private:?}");
        assert!(!shown.contains(&key.secret_base64()));
        assert!(shown.contains("elided"), "{shown}");
        assert!(server_config(&key, &mli(), &[]).is_ok());
    }

    #[test]
    fn the_verifier_accepts_only_the_pinned_key() {
        let key = NodeKey::from_secret([1; 32]);
        let other = NodeKey::from_secret([2; 32]);
        let (cert, _) = node_certificate(&key, &mli(), &[]).unwrap();
        let (other_cert, _) = node_certificate(&other, &mli(), &[]).unwrap();
        let verifier = PinnedKey::new(&key.public());
        let name = ServerName::try_from("peer.invalid").unwrap();
        let now = UnixTime::now();
        assert!(
            verifier
                .verify_server_cert(&cert, &[], &name, &[], now)
                .is_ok()
        );
        assert_eq!(
            verifier
                .verify_server_cert(&other_cert, &[], &name, &[], now)
                .unwrap_err(),
            rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure)
        );
        let garbage = CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
        assert_eq!(
            verifier
                .verify_server_cert(&garbage, &[], &name, &[], now)
                .unwrap_err(),
            rustls::Error::InvalidCertificate(CertificateError::BadEncoding)
        );
        assert_eq!(
            verifier.supported_verify_schemes(),
            vec![SignatureScheme::ED25519]
        );
    }

    #[test]
    fn installing_the_provider_twice_is_harmless() {
        install_crypto_provider();
        install_crypto_provider();
        assert!(CryptoProvider::get_default().is_some());
    }
}
