//! A kill at the worst moment for the sync engine: answers are settled without waiting for the
//! disk (a pass flushes once at its end), so a SIGKILL may lose answers the server already gave.
//! A child process drains an outbox of 1,000 submissions to a real server on loopback and is killed
//! at a random point, five times over the same outbox; then the outbox is drained to the end. Every
//! entry must end with the server's one answer to its own key: each key answered once on the
//! server, one application stored, and the accepted entry naming that application.

#![allow(clippy::unwrap_used)]

mod support;

use rand::RngExt;
use shiye::api::ApiClient;
use shiye::config::Config;
use shiye::drafts::Drafts;
use shiye::outbox::Outbox;
use shiye::seal::Sealer;
use shiye::store::Store;
use shiye::sync::{Backoff, SyncEngine};
use shiye_core::api::{ApplicationSubmission, DRAFT_SCHEMA_VERSION};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use support::{accepted_ids, count_on_server, drive, login, serve_at, StaticToken, SUBJECT};

const SUBMISSIONS: usize = 1000;
const KEY: [u8; 32] = [7; 32];
const CHILD_DIR: &str = "SHIYE_SYNC_KILL_DIR";

fn engine(dir: &Path, base: &str, token: String) -> (Arc<SyncEngine<StaticToken>>, Arc<Outbox>) {
    let outbox = Arc::new(Outbox::open(&Store::open(dir).unwrap(), Sealer::new(&KEY)).unwrap());
    let backoff = Backoff {
        base: Duration::from_millis(5),
        cap: Duration::from_millis(50),
        idle: Duration::from_secs(1),
    };
    let api = ApiClient::new(Config::with_api_base(base).unwrap()).unwrap();
    (Arc::new(SyncEngine::new(api, outbox.clone(), StaticToken(token), backoff)), outbox)
}

/// The child's work: drain the outbox until killed (ignored in normal runs).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run as a child process by a_killed_engine_loses_no_answer_and_sends_nothing_twice"]
async fn sync_kill_child() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else { return };
    let (base, token) =
        (std::env::var("SHIYE_SYNC_KILL_BASE").unwrap(), std::env::var("SHIYE_SYNC_KILL_TOKEN").unwrap());
    let (engine, _) = engine(Path::new(&dir), &base, token);
    drive(engine).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_engine_loses_no_answer_and_sends_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (db, outbox_dir) = (dir.path().join("server.sqlite"), dir.path().join("outbox"));
    let (base, (stop, task)) = serve_at("127.0.0.1:0".parse().unwrap(), &db).await;
    let token = login(&base).await;
    {
        let store = Store::open(&outbox_dir).unwrap();
        let (outbox, drafts) = (
            Outbox::open(&store, Sealer::new(&KEY)).unwrap(),
            Drafts::open(&store, Sealer::new(&KEY), 86_400).unwrap(),
        );
        for i in 0..SUBMISSIONS {
            let answers = shiye_core::forms::samples::job_seeking(&format!("{}", 50 + i % 100));
            let sub = ApplicationSubmission {
                schema_version: DRAFT_SCHEMA_VERSION,
                answers,
                items: None,
                consent: None,
            };
            outbox.enqueue(SUBJECT, sub, i as i64, &drafts).await.unwrap();
        }
    }
    let exe = std::env::current_exe().unwrap();
    let answered = "SELECT COUNT(*) FROM idempotency WHERE status IS NOT NULL";
    let mut mid_drain = 0;
    for _ in 0..5 {
        let mut child = Command::new(&exe)
            .args(["--ignored", "--exact", "sync_kill_child", "--nocapture"])
            .env(CHILD_DIR, &outbox_dir)
            .env("SHIYE_SYNC_KILL_BASE", &base)
            .env("SHIYE_SYNC_KILL_TOKEN", &token)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Killed at a random point of its drain: once the server has answered anything more than
        // before this child started (however long a debug build takes to start), then 0–300 ms on.
        let before = count_on_server(&db, answered).await;
        let started = std::time::Instant::now();
        while count_on_server(&db, answered).await <= before && started.elapsed() < Duration::from_secs(30) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let after = Duration::from_millis(rand::rng().random_range(0..300));
        tokio::time::sleep(after).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let n = count_on_server(&db, answered).await;
        if n > 0 && n < SUBMISSIONS as i64 {
            mid_drain += 1;
        }
    }
    let answered_before = count_on_server(&db, answered).await;
    assert!(
        mid_drain > 0,
        "at least one kill landed while the outbox was draining ({answered_before} answered)"
    );

    let (engine, outbox) = engine(&outbox_dir, &base, token);
    drive(engine).await;
    let all = outbox.all().unwrap();
    assert_eq!(all.len(), SUBMISSIONS);
    let accepted = accepted_ids(&all);
    let stored: (String,) = {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        let row = sqlx::query_as("SELECT id FROM applications").fetch_one(&pool).await.unwrap();
        pool.close().await;
        row
    };
    assert_eq!(accepted, [stored.0], "one entry accepted, naming the one stored application");
    assert_eq!(count_on_server(&db, "SELECT COUNT(*) FROM applications").await, 1, "stored once");
    assert_eq!(
        count_on_server(&db, "SELECT COUNT(*) FROM idempotency").await,
        SUBMISSIONS as i64,
        "one key per entry"
    );
    println!("{answered_before} answered before the last kill; all {SUBMISSIONS} settled once");
    let _ = stop.send(());
    task.await.unwrap();
}
