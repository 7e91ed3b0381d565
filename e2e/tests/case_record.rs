//! The server is the record of a person's case: an application sent from one device shows its 回执
//! and opens its correction, prefilled with what was sent, on another device (a fresh data folder,
//! as after a kiosk's 结束办理 or once the local copy is gone) — against the real reference server.

#![allow(clippy::unwrap_used)]

mod support;

use shiye::api::ApiClient;
use shiye::auth::AuthService;
use shiye::cache::Cache;
use shiye::config::Config;
use shiye::seal::Sealer;
use shiye::store::Store;
use shiye::submissions::Submissions;
use shiye::sync::{Backoff, SyncEngine};
use shiye::vault::Vault;
use shiye_core::ipc::{DraftView, LocalState, SubmitOutcome};
use shiye_core::services::Bundle;
use shiye_server::persons::SEEDS;

/// One device: its own data folder and key, the person's session on it.
struct Device {
    auth: AuthService,
    subs: Submissions,
    cache: Cache,
}

async fn device(base: &str, vault: &Vault, dir: &std::path::Path, key: u8) -> Device {
    let store = Store::open(dir).unwrap();
    let auth = AuthService::new(ApiClient::new(Config::with_api_base(base).unwrap()).unwrap(), vault.clone());
    let cache = Cache::open(&store, Sealer::new(&[key; 32])).unwrap();
    let subs = Submissions::open(&store, Sealer::new(&[key; 32]), 30 * 86_400).unwrap();
    shiye::account::refresh(&auth, &cache).await.unwrap();
    Device { auth, subs, cache }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_and_a_correction_open_on_another_device_from_the_servers_record() {
    let dir = tempfile::tempdir().unwrap();
    let (base, admin) = support::serve_with_admin(dir.path()).await;
    let who = &SEEDS[0];
    let vault = Vault::with_service(format!("cn.gov.beijing.shiye.test-{}", uuid::Uuid::now_v7()));
    support::log_in(&base, &vault, who).await;

    // The first device sends a 求职登记.
    let first = device(&base, &vault, &dir.path().join("first"), 1).await;
    let sent = shiye_core::forms::samples::job_seeking("4000");
    let SubmitOutcome::Queued { id } = first
        .subs
        .submit(who.subject, &first.auth.records().unwrap(), sent.clone(), None, None)
        .await
        .unwrap()
    else {
        panic!("queued")
    };
    let engine = SyncEngine::new(
        first.auth.api().clone(),
        first.subs.outbox(),
        first.auth.credentials(),
        Backoff::default(),
    );
    assert_eq!(engine.pass(0).await.unwrap().accepted, 1);
    let LocalState::Accepted { application } =
        first.subs.submission(who.subject, &id).unwrap().unwrap().state
    else {
        panic!("accepted")
    };

    // Another device, nothing of it stored: the 回执 comes from the server's record.
    let second = device(&base, &vault, &dir.path().join("second"), 2).await;
    assert!(second.subs.receipt(who.subject, &application.id).unwrap().is_none(), "nothing local");
    let receipt =
        shiye::account::receipt(&second.auth, &second.subs, &application.id).await.unwrap().unwrap();
    assert_eq!((receipt.application.id.as_str(), &receipt.answers), (application.id.as_str(), &sent));
    assert_eq!(receipt.application.items[0].case_number, application.items[0].case_number);
    assert!(shiye::account::receipt(&second.auth, &second.subs, "no-such-application")
        .await
        .unwrap()
        .is_none());

    // The reviewer returns it; the correction on the other device opens with what was sent.
    let case = &application.items[0].case_number;
    let decided = support::http_client()
        .post(format!("{base}/api/admin/items/{case}/decision"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"action": "return", "reason": "请补充期望薪酬的依据"}))
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), 200);
    shiye::account::refresh(&second.auth, &second.cache).await.unwrap();
    let bundle =
        shiye::account::correct(&second.auth, &second.subs, &application.id, Bundle::JobSeeking, None)
            .await
            .unwrap();
    assert_eq!(bundle, Bundle::JobSeeking);
    let Some(DraftView::Resumable { draft, .. }) =
        second.subs.load_draft(who.subject, Bundle::JobSeeking).unwrap()
    else {
        panic!("a draft to correct")
    };
    assert_eq!(draft.answers, sent, "prefilled with what the first device sent");
}
