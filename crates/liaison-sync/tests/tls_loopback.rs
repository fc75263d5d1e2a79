//! The node's HTTPS on loopback: a client pinned to the node's key gets its data; a client
//! pinned to another key fails the handshake; plain HTTP on the TLS port gets nothing. And the
//! server keeps serving after each refused connection.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::routing::get;
use liaison_core::CountryCode;
use liaison_policy::identity::{NodeKey, NodePublicKey};
use liaison_sync::tls::{install_crypto_provider, pinned_client_config, serve_tls, server_config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const DATA: &str = "incidents for our partners only";

fn client(pinned: &NodePublicKey) -> reqwest::Client {
    reqwest::Client::builder()
        .use_preconfigured_tls(pinned_client_config(pinned).unwrap())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_https_on_loopback() {
    install_crypto_provider();
    let key = NodeKey::from_secret([11; 32]);
    let member = CountryCode::parse("MLI").unwrap();
    let config = server_config(&key, &member, &[]).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().route("/data", get(|| async { DATA })).route(
        "/whoami",
        get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.ip().to_string() }),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_tls(listener, config, app, async {
        let _ = stopped.await;
    }));

    // A connection that never starts its handshake holds only its own task.
    let silent = TcpStream::connect(addr).await.unwrap();

    // The right key: by IP address and by name, no CA and no host-name check needed.
    let good = client(&key.public());
    for url in [
        format!("https://{addr}/data"),
        format!("https://localhost:{}/data", addr.port()),
    ] {
        let response = good.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), DATA);
    }
    let who = good
        .get(format!("https://{addr}/whoami"))
        .send()
        .await
        .unwrap();
    assert_eq!(who.text().await.unwrap(), "127.0.0.1");

    // Another key: the handshake fails, no response at all.
    let impostor = client(&NodeKey::from_secret([12; 32]).public());
    let error = impostor
        .get(format!("https://{addr}/data"))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(error.status().is_none());
    // ... and it fails for the right reason: the certificate's key is not the pinned one.
    assert!(
        format!("{error:?}").contains("ApplicationVerificationFailure"),
        "{error:?}"
    );

    // Plain HTTP to the TLS port: a TLS alert at most, never the data or a 200.
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(b"GET /data HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut answer)).await;
    // rustls answers with a TLS alert record (content type 21), or just closes.
    assert!(answer.is_empty() || answer[0] == 0x15, "{answer:?}");
    let answer = String::from_utf8_lossy(&answer);
    assert!(!answer.contains(DATA), "{answer}");
    assert!(!answer.contains("HTTP/1.1 200"), "{answer}");

    // The refused connections did not stop the server.
    let response = good
        .get(format!("https://{addr}/data"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    drop(silent);
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), server)
        .await
        .expect("the server stops when asked")
        .unwrap()
        .unwrap();
}
