//! Sync drain: 1,000 queued submissions sent by the sync engine to the reference server on
//! loopback, against a bare loop of reqwest POSTs of the same bodies to the same endpoint (same
//! token, an idempotency key each, one at a time as the engine sends them). Each run gets a fresh
//! server database so both see the same answers (the first 求职登记 accepted, the rest refused while
//! it waits). Rounds alternate; the medians are compared. Goal: the engine ≥ 0.8× the bare loop's
//! throughput. A smoke run of 20 under `cargo test`; the full run under `cargo bench`.

#![allow(clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use shiye::api::ApiClient;
use shiye::config::Config;
use shiye::drafts::Drafts;
use shiye::outbox::{Outbox, State};
use shiye::seal::Sealer;
use shiye::store::Store;
use shiye::sync::{Backoff, SyncEngine};
use shiye_core::api::{ApplicationSubmission, DRAFT_SCHEMA_VERSION};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{drive, login, serve_at, StaticToken, SUBJECT};

fn submission(i: usize) -> ApplicationSubmission {
    let answers = shiye_core::forms::samples::job_seeking(&format!("{}", 50 + i % 100));
    ApplicationSubmission { schema_version: DRAFT_SCHEMA_VERSION, answers, items: None, consent: None }
}

/// A fresh server (its own SQLite file in `dir`), a logged-in token for it, and its stop.
async fn fresh_server(dir: &Path, round: usize) -> (String, String, tokio::sync::oneshot::Sender<()>) {
    let db = dir.join(format!("server-{round}.sqlite"));
    let (base, (stop, _task)) = serve_at("127.0.0.1:0".parse().unwrap(), &db).await;
    let token = login(&base).await;
    (base, token, stop)
}

/// Seconds the engine takes to drain `n` queued entries.
async fn engine_round(dir: &Path, round: usize, n: usize) -> f64 {
    let (base, token, stop) = fresh_server(dir, round).await;
    let key = Sealer::generate_key();
    let store = Store::open(&dir.join(format!("outbox-{round}"))).unwrap();
    let outbox = Arc::new(Outbox::open(&store, Sealer::new(&key)).unwrap());
    let drafts = Drafts::open(&store, Sealer::new(&key), 86_400).unwrap();
    for i in 0..n {
        outbox.enqueue(SUBJECT, submission(i), i as i64, &drafts).await.unwrap();
    }
    let backoff = Backoff {
        base: Duration::from_millis(5),
        cap: Duration::from_millis(100),
        idle: Duration::from_secs(1),
    };
    let api = ApiClient::new(Config::with_api_base(&base).unwrap()).unwrap();
    let engine = Arc::new(SyncEngine::new(api, outbox.clone(), StaticToken(token), backoff));
    let started = Instant::now();
    drive(engine).await;
    let secs = started.elapsed().as_secs_f64();
    assert!(outbox.all().unwrap().iter().all(|e| !matches!(e.state, State::Queued)), "every entry answered");
    let _ = stop.send(());
    secs
}

/// Seconds a bare loop of POSTs takes for the same `n` submissions.
async fn bare_round(dir: &Path, round: usize, n: usize) -> f64 {
    let (base, token, stop) = fresh_server(dir, round).await;
    let http = support::http_client();
    let bodies: Vec<ApplicationSubmission> = (0..n).map(submission).collect();
    let started = Instant::now();
    for body in &bodies {
        let resp = http
            .post(format!("{base}/api/v1/applications"))
            .bearer_auth(&token)
            .header("Idempotency-Key", uuid::Uuid::now_v7().to_string())
            .json(body)
            .send()
            .await
            .unwrap();
        assert!(matches!(resp.status().as_u16(), 201 | 409), "{}", resp.status());
        let _ = resp.bytes().await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    let _ = stop.send(());
    secs
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (n, rounds) = if full { (1000, 3) } else { (20, 1) };
    let dir = tempfile::tempdir().unwrap();
    let (mut engine, mut bare) = (Vec::new(), Vec::new());
    for r in 0..rounds {
        engine.push(n as f64 / engine_round(dir.path(), 2 * r, n).await);
        bare.push(n as f64 / bare_round(dir.path(), 2 * r + 1, n).await);
    }
    let (e, b) = (median(engine), median(bare));
    println!("\nsync drain of {n} queued submissions, {rounds} alternating rounds (medians):");
    println!("  sync engine        {e:.0} submissions/s");
    println!("  bare reqwest loop  {b:.0} submissions/s");
    println!("  ratio              {:.2}× (goal ≥ 0.8×)", e / b);
    support::bench_row(
        &format!("sync drain, {n} queued → server on loopback"),
        &format!("{e:.0}/s"),
        &format!("{b:.0}/s (bare reqwest loop)"),
        &format!("{:.2}×", e / b),
        "≥ 0.8×",
    );
}
