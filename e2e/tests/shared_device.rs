//! A device two people use, against the real reference server and the real Secret Service: what
//! one person queued offline is never sent under another's login, and is sent once, as theirs,
//! when they log in again. Also: nobody else's entries are listed or counted for the signed-in
//! person.

#![allow(clippy::unwrap_used)]

mod support;

use shiye::api::ApiClient;
use shiye::auth::AuthService;
use shiye::config::Config;
use shiye::seal::Sealer;
use shiye::store::Store;
use shiye::submissions::Submissions;
use shiye::sync::{Backoff, SyncEngine};
use shiye::vault::Vault;
use shiye_core::ipc::SubmitOutcome;
use shiye_server::persons::SEEDS;
use std::net::SocketAddr;
use std::path::Path;

async fn applications_of(db: &Path, subject: &str) -> i64 {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM applications WHERE subject = ?")
        .bind(subject)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_submission_waits_for_its_owner_and_is_sent_once_as_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    let (base, _server) = support::serve_at(SocketAddr::from(([127, 0, 0, 1], 0)), &db).await;
    let (a, b) = (&SEEDS[0], &SEEDS[1]);
    let vault = Vault::with_service(format!("cn.gov.beijing.shiye.test-{}", uuid::Uuid::now_v7()));
    let api = ApiClient::new(Config::with_api_base(&base).unwrap()).unwrap();
    let auth = AuthService::new(api.clone(), vault.clone());
    let store = Store::open(&dir.path().join("app")).unwrap();
    let subs = Submissions::open(&store, Sealer::new(&[8; 32]), 30 * 86_400).unwrap();
    let engine = SyncEngine::new(api, subs.outbox(), auth.credentials(), Backoff::default());

    // A fills 求职登记 with the network gone: it waits in the outbox. Then A logs out.
    let records = shiye_core::ipc::samples::overview(a.subject, Default::default()).records;
    let answers = shiye_core::forms::samples::job_seeking("40");
    let SubmitOutcome::Queued { id } = subs.submit(a.subject, &records, answers, None, None).await.unwrap()
    else {
        panic!("queued")
    };
    auth.logout().await.unwrap();

    // B logs in on the same device and syncs: A's entry is neither sent nor shown to B.
    support::log_in(&base, &vault, b).await;
    let report = engine.pass(0).await.unwrap();
    assert_eq!((report.accepted, report.queued), (0, 0), "nothing of A's is B's to send");
    assert_eq!(applications_of(&db, b.subject).await, 0, "the server has nothing from A under B");
    assert_eq!(applications_of(&db, a.subject).await, 0);
    assert!(subs.local(b.subject).unwrap().is_empty(), "B's lists show nothing of A's");
    assert_eq!(subs.status(b.subject).unwrap().queued, 0);
    assert_eq!(subs.submission(b.subject, &id).unwrap(), None);
    auth.logout().await.unwrap();

    // A logs in again: the entry goes, once, as A's.
    support::log_in(&base, &vault, a).await;
    let report = engine.pass(0).await.unwrap();
    assert_eq!((report.accepted, report.queued), (1, 0));
    let again = engine.pass(0).await.unwrap();
    assert_eq!(again.accepted, 0, "sent once");
    assert_eq!(applications_of(&db, a.subject).await, 1);
    assert_eq!(applications_of(&db, b.subject).await, 0);
    assert_eq!(subs.status(a.subject).unwrap().accepted, 1);
}
