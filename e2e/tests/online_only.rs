//! 失业保险金停发 is confirmed by an SMS code that lapses in five minutes, so it is never queued:
//! against the real reference server, through a proxy that lets the pre-flight check through and
//! then cuts the connection, the person is told, nothing waits in the outbox and the answers stay
//! their draft; with the network there, it is accepted at once and the 回执 kept. When the request
//! gets through and only the reply is lost, sending the same again is answered with the server's
//! first answer (the same key), not refused as a second 停发.

#![allow(clippy::unwrap_used)]

mod support;

use shiye::api::ApiClient;
use shiye::auth::AuthService;
use shiye::cache::Cache;
use shiye::config::Config;
use shiye::seal::Sealer;
use shiye::store::Store;
use shiye::submissions::Submissions;
use shiye::vault::Vault;
use shiye_core::forms::single_items::BenefitStop;
use shiye_core::forms::Answers;
use shiye_core::ipc::{Draft, DraftView, SubmitOutcome};
use shiye_core::options::StopReason;
use shiye_core::services::Bundle;
use shiye_server::persons::SEEDS;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};

/// A TCP proxy that relays the first `relayed` connections; a later one is closed unanswered, its
/// request never sent on (`deaf` false) or sent on with the server's reply thrown away (`deaf`).
async fn proxy(upstream: SocketAddr, relayed: usize, deaf: bool) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            if seen.fetch_add(1, Ordering::SeqCst) >= relayed {
                if deaf {
                    tokio::spawn(lose_the_reply(client, upstream));
                }
                continue;
            }
            tokio::spawn(async move {
                if let Ok(mut server) = TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    addr
}

/// Sends the client's request on and closes the client once the server has begun to answer.
async fn lose_the_reply(client: TcpStream, upstream: SocketAddr) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(server) = TcpStream::connect(upstream).await else { return };
    let (mut client_in, _client_out) = client.into_split();
    let (mut server_in, mut server_out) = server.into_split();
    let forward = tokio::spawn(async move {
        let mut buf = [0u8; 4096];
        while let Ok(n) = client_in.read(&mut buf).await {
            if n == 0 || server_out.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
    });
    let mut first = [0u8; 1];
    let _ = server_in.read(&mut first).await;
    forward.abort();
}

async fn cutting_proxy(upstream: SocketAddr, relayed: usize) -> SocketAddr {
    proxy(upstream, relayed, false).await
}

fn stop_answers(code: &str) -> Answers {
    Answers::BenefitStop {
        stop: BenefitStop {
            reason: Some(StopReason::Reemployed),
            remarks: String::new(),
            sms_code: code.into(),
        },
    }
}

/// The real reference server, the person receiving benefit logged in (tokens in the real keyring),
/// and the app's store.
struct Rig {
    _dir: tempfile::TempDir,
    base: String,
    admin: String,
    upstream: SocketAddr,
    vault: Vault,
    subs: Submissions,
    cache: Cache,
}

async fn rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let (base, admin) = support::serve_with_admin(dir.path()).await;
    let upstream: SocketAddr = base.trim_start_matches("http://").parse().unwrap();
    let vault = Vault::with_service(format!("cn.gov.beijing.shiye.test-{}", uuid::Uuid::now_v7()));
    support::log_in(&base, &vault, &SEEDS[3]).await;
    let store = Store::open(&dir.path().join("app")).unwrap();
    let subs = Submissions::open(&store, Sealer::new(&[9; 32]), 30 * 86_400).unwrap();
    let cache = Cache::open(&store, Sealer::new(&[9; 32])).unwrap();
    Rig { _dir: dir, base, admin, upstream, vault, subs, cache }
}

impl Rig {
    /// The app's login service against `base` (the server, or a proxy in front of it), with a
    /// connection per request so that a proxy counts requests.
    fn app_against(&self, base: &str) -> AuthService {
        let mut config = Config::with_api_base(base).unwrap();
        config.reuse_connections = false;
        AuthService::new(ApiClient::new(config).unwrap(), self.vault.clone())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_benefit_stop_is_sent_at_once_or_stays_a_draft_never_queued() {
    let r = rig().await;
    let (base, admin, upstream, subs, cache) = (&r.base, &r.admin, r.upstream, &r.subs, &r.cache);
    let receiving = &SEEDS[3];
    assert_eq!(receiving.subject, "p-receiving");
    let app_against = |base: &str| r.app_against(base);
    let draft_of = |answers: &Answers| Draft { answers: answers.clone(), section: 1, items: None };

    // Signed in (the app's start: /me and /applications), then the pre-flight (the same two)
    // gets through; the submission's connection is cut.
    let cut = app_against(&format!("http://{}", cutting_proxy(upstream, 4).await));
    shiye::account::refresh(&cut, cache).await.unwrap();
    let answers = stop_answers("123456");
    subs.save_draft(receiving.subject, &draft_of(&answers)).await.unwrap();
    let err = shiye::account::submit(&cut, cache, subs, answers.clone(), None).await.unwrap_err();
    assert!(matches!(err, shiye::Error::NeedsNetwork), "{err}");
    assert!(shiye_core::CommandError::from(&err).message.contains("填写的内容已保存"));
    assert_eq!(subs.status(receiving.subject).unwrap().queued, 0, "nothing waits in the outbox");
    let Some(DraftView::Resumable { draft, .. }) =
        subs.load_draft(receiving.subject, Bundle::BenefitStop).unwrap()
    else {
        panic!("the answers are still the draft")
    };
    assert_eq!(draft.answers, answers);

    // With the network: a code from the phone, accepted at once, the 回执 kept, the draft gone.
    let direct = app_against(base);
    shiye::account::refresh(&direct, cache).await.unwrap();
    let token = direct.access_token().await.unwrap();
    direct.api().sms_code(&token, shiye_core::api::SmsPurpose::BenefitStop).await.unwrap();
    let code = support::latest_sms_code(base, admin, receiving.subject).await;
    let answers = stop_answers(&code);
    subs.save_draft(receiving.subject, &draft_of(&answers)).await.unwrap();
    let SubmitOutcome::Queued { id } =
        shiye::account::submit(&direct, cache, subs, answers, None).await.unwrap()
    else {
        panic!("accepted")
    };
    let sent = subs.submission(receiving.subject, &id).unwrap().expect("the entry of the sent stop");
    assert!(matches!(sent.state, shiye_core::ipc::LocalState::Accepted { .. }), "{:?}", sent.state);
    assert_eq!(subs.status(receiving.subject).unwrap().queued, 0);
    assert!(subs.load_draft(receiving.subject, Bundle::BenefitStop).unwrap().is_none(), "the draft went");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_benefit_stop_whose_reply_was_lost_is_answered_once_when_sent_again() {
    let r = rig().await;
    let (base, admin, upstream, subs, cache) = (&r.base, &r.admin, r.upstream, &r.subs, &r.cache);
    let receiving = &SEEDS[3];
    let app_against = |base: &str| r.app_against(base);
    let direct = app_against(base);
    shiye::account::refresh(&direct, cache).await.unwrap();
    let token = direct.access_token().await.unwrap();
    direct.api().sms_code(&token, shiye_core::api::SmsPurpose::BenefitStop).await.unwrap();
    let answers = stop_answers(&support::latest_sms_code(base, admin, receiving.subject).await);

    // Signed in and the pre-flight (/me, /applications twice) get through; the submission reaches
    // the server, whose reply is lost: the person is told the network failed and keeps the draft.
    let deaf = app_against(&format!("http://{}", proxy(upstream, 4, true).await));
    shiye::account::refresh(&deaf, cache).await.unwrap();
    let draft = Draft { answers: answers.clone(), section: 1, items: None };
    subs.save_draft(receiving.subject, &draft).await.unwrap();
    let err = shiye::account::submit(&deaf, cache, subs, answers.clone(), None).await.unwrap_err();
    assert!(matches!(err, shiye::Error::NeedsNetwork), "{err}");
    let on_server = shiye::account::refresh(&direct, cache).await.unwrap().applications;
    assert_eq!(on_server.len(), 1, "the lost reply's submission did reach the server");

    // 提交 again: the server's first answer (its 办件编号), not a refusal as a second 停发.
    let outcome = shiye::account::submit(&direct, cache, subs, answers, None).await;
    let Ok(SubmitOutcome::Queued { id }) = outcome else { panic!("accepted: {outcome:?}") };
    let sent = subs.submission(receiving.subject, &id).unwrap().expect("the 回执's entry");
    let shiye_core::ipc::LocalState::Accepted { application } = sent.state else {
        panic!("{:?}", sent.state)
    };
    assert_eq!(application.id, on_server[0].id, "one application, answered twice");
    assert!(subs.load_draft(receiving.subject, Bundle::BenefitStop).unwrap().is_none(), "the draft went");
    assert_eq!(shiye::account::refresh(&direct, cache).await.unwrap().applications.len(), 1);
}
