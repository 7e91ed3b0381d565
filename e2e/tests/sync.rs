//! The sync engine against a real reference server on loopback, through a proxy that drops 30% of
//! connections (half before the request reaches the server, half after the server answered, so
//! the answer is lost), with the server restarted and the engine restarted mid-run: every one of
//! 1,000 submissions must be answered exactly once, counted on the server. All are one person's
//! 求职登记, so the first is accepted and the other 999 are refused while it waits (one pending item
//! of a kind per person): each entry must end with the server's one answer to its own key.

#![allow(clippy::unwrap_used)]

mod support;

use shiye::api::ApiClient;
use shiye::config::Config;
use shiye::drafts::Drafts;
use shiye::outbox::Outbox;
use shiye::seal::Sealer;
use shiye::store::Store;
use shiye::sync::{Backoff, SyncEngine};
use shiye_core::api::{ApplicationSubmission, DRAFT_SCHEMA_VERSION};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::{accepted_ids, count_on_server, drive, login, serve, StaticToken, SUBJECT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SUBMISSIONS: usize = 1000;

/// A TCP proxy that drops 30% of connections: half at once, half after relaying the request and
/// swallowing the server's answer.
async fn lossy_proxy(upstream: SocketAddr, dropped: Arc<AtomicUsize>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut client, _)) = listener.accept().await else { return };
            let roll: f64 = rand::random();
            let dropped = dropped.clone();
            tokio::spawn(async move {
                if roll < 0.15 {
                    dropped.fetch_add(1, Ordering::Relaxed);
                    return; // closed before the request reaches the server
                }
                let Ok(mut server) = TcpStream::connect(upstream).await else { return };
                if roll < 0.30 {
                    dropped.fetch_add(1, Ordering::Relaxed);
                    // Relay the request, wait for the answer, and lose it.
                    let mut buf = vec![0u8; 64 * 1024];
                    let (mut cr, _cw) = client.split();
                    let (mut sr, mut sw) = server.split();
                    let forward = async {
                        loop {
                            match cr.read(&mut buf).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => {
                                    if sw.write_all(&buf[..n]).await.is_err() {
                                        break;
                                    }
                                }
                            }
                        }
                    };
                    let mut answer = [0u8; 1];
                    tokio::select! {
                        _ = forward => {}
                        _ = sr.read(&mut answer) => {}
                    }
                    return;
                }
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            });
        }
    });
    addr
}

fn submission(i: usize) -> ApplicationSubmission {
    let answers = shiye_core::forms::samples::job_seeking(&format!("{}", 50 + i % 100));
    ApplicationSubmission { schema_version: DRAFT_SCHEMA_VERSION, answers, items: None, consent: None }
}

/// How many rows of `sql`'s count the server holds.
/// Submissions the server has answered: one stored answer per idempotency key.
const ANSWERED: &str = "SELECT COUNT(*) FROM idempotency WHERE status IS NOT NULL";

/// Waits until the server has answered at least `n` submissions.
async fn until_server_has(db: &Path, n: usize) {
    while count_on_server(db, ANSWERED).await < n as i64 {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_submissions_through_drops_and_restarts_are_accepted_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    let addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap()
    };
    let (stop_server, server_task) = serve(addr, &db).await;
    let token = login(&format!("http://{addr}")).await;
    let dropped = Arc::new(AtomicUsize::new(0));
    let proxy = lossy_proxy(addr, dropped.clone()).await;

    let mut config = Config::with_api_base(&format!("http://{proxy}")).unwrap();
    config.reuse_connections = false;
    let backoff = Backoff {
        base: Duration::from_millis(5),
        cap: Duration::from_millis(100),
        idle: Duration::from_secs(1),
    };
    let outbox_dir = dir.path().join("outbox");
    let key = Sealer::generate_key();
    let make_engine = |token: String| {
        let outbox = Arc::new(Outbox::open(&Store::open(&outbox_dir).unwrap(), Sealer::new(&key)).unwrap());
        let engine = SyncEngine::new(
            ApiClient::new(config.clone()).unwrap(),
            outbox.clone(),
            StaticToken(token),
            backoff,
        );
        (Arc::new(engine), outbox)
    };
    {
        let store = Store::open(&outbox_dir).unwrap();
        let outbox = Outbox::open(&store, Sealer::new(&key)).unwrap();
        let drafts = Drafts::open(&store, Sealer::new(&key), 86_400).unwrap();
        for i in 0..SUBMISSIONS {
            outbox.enqueue(SUBJECT, submission(i), i as i64, &drafts).await.unwrap();
        }
    }

    // Run, and restart the server once a third has arrived.
    let (engine, outbox) = make_engine(token.clone());
    let run = tokio::spawn(drive(engine.clone()));
    until_server_has(&db, SUBMISSIONS / 3).await;
    stop_server.send(()).unwrap();
    server_task.await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (stop_server, server_task) = serve(addr, &db).await;

    // Kill the engine mid-run once two thirds have arrived, and start a fresh one on the same outbox.
    until_server_has(&db, 2 * SUBMISSIONS / 3).await;
    run.abort();
    let _ = run.await;
    // Only the engine and this test held the outbox: with both gone, sled releases its files.
    drop((engine, outbox));
    let (engine, outbox) = make_engine(token);
    tokio::time::timeout(Duration::from_secs(600), drive(engine.clone())).await.expect("outbox drained");

    let all = outbox.all().unwrap();
    assert_eq!(all.len(), SUBMISSIONS);
    let accepted = accepted_ids(&all);
    assert_eq!(accepted.len(), 1, "the first 求职登记 accepted, the rest wait for its decision");
    assert_eq!(count_on_server(&db, ANSWERED).await, SUBMISSIONS as i64, "each answered once on the server");
    assert_eq!(
        count_on_server(&db, "SELECT COUNT(*) FROM idempotency").await,
        SUBMISSIONS as i64,
        "no entry sent under a second key"
    );
    assert_eq!(count_on_server(&db, "SELECT COUNT(*) FROM applications").await, 1, "stored once");
    let dropped = dropped.load(Ordering::Relaxed);
    assert!(dropped >= SUBMISSIONS / 10, "the proxy dropped only {dropped} connections");
    println!("1000 submissions answered once each; {dropped} connections dropped");
    stop_server.send(()).unwrap();
    server_task.await.unwrap();
}
