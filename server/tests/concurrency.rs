//! The server under concurrency, on a real SQLite file and on PostgreSQL, over real HTTP: many writers at the same
//! moment get their answers, never a 5xx ("database is locked"), and the one-time things (an
//! authorization code, a refresh token) are spent exactly once.

#![allow(clippy::unwrap_used)]

mod common;

use shiye_core::oidc::REDIRECT_URI;
use shiye_server::persons::SEEDS;

fn submission(i: usize) -> serde_json::Value {
    let answers = shiye_core::forms::samples::job_seeking(&format!("{}", 50 + i % 100));
    serde_json::json!({ "schema_version": shiye_core::api::DRAFT_SCHEMA_VERSION, "answers": answers })
}

/// Runs `n` copies of a request at the same moment and collects their answers.
async fn at_once<T, F>(n: usize, request: impl Fn(usize) -> F) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(request(i))).collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    answers
}

/// Counts answers by status.
fn tally(statuses: &[u16]) -> std::collections::BTreeMap<u16, usize> {
    let mut t = std::collections::BTreeMap::new();
    for s in statuses {
        *t.entry(*s).or_default() += 1;
    }
    t
}

/// Persons of the seed who may seek work (everyone: 求职登记 has no precondition).
fn applicants() -> &'static [shiye_server::persons::Seed] {
    &SEEDS[..5]
}

async fn two_hundred_submissions_at_once_store_one_pending_item_per_person_and_no_5xx(idp: common::Idp) {
    // Twenty clients (four logins per person), ten submissions each, all at the same moment.
    let mut tokens = Vec::new();
    for i in 0..20 {
        tokens.push(idp.token(&applicants()[i % applicants().len()]).await);
    }
    let statuses = at_once(200, |i| {
        let (http, base, token) = (idp.http.clone(), idp.base.clone(), tokens[i % 20].clone());
        async move {
            http.post(format!("{base}/api/v1/applications"))
                .bearer_auth(token)
                .header("Idempotency-Key", format!("concurrency-{i}"))
                .json(&submission(i))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    })
    .await;
    // Each person's first 求职登记 is accepted; every other one waits for that decision (409).
    let n = applicants().len();
    assert_eq!(tally(&statuses), [(201, n), (409, 200 - n)].into(), "one accepted per person, none 5xx");
    // And every request was answered once: replaying all 200 keys gives the same answers.
    let replays = at_once(200, |i| {
        let (http, base, token) = (idp.http.clone(), idp.base.clone(), tokens[i % 20].clone());
        async move {
            let resp = http
                .post(format!("{base}/api/v1/applications"))
                .bearer_auth(token)
                .header("Idempotency-Key", format!("concurrency-{i}"))
                .json(&submission(i))
                .send()
                .await
                .unwrap();
            assert!(resp.headers().contains_key("idempotent-replayed"));
            resp.status().as_u16()
        }
    })
    .await;
    assert_eq!(replays, statuses, "each key keeps its first answer");
}

async fn one_code_redeemed_ten_times_at_once_gives_one_token(idp: common::Idp) {
    let code = idp.code_for(&SEEDS[0]).await;
    let answers = at_once(10, |_| {
        let (endpoint, code) = (idp.token_endpoint(), code.clone());
        async move {
            let (status, body) = endpoint.redeem(&code, common::VERIFIER, REDIRECT_URI).await;
            (status, body["error"].as_str().unwrap_or_default().to_string())
        }
    })
    .await;
    let ok = answers.iter().filter(|(s, _)| *s == 200).count();
    let refused = answers.iter().filter(|(s, e)| *s == 400 && e == "invalid_grant").count();
    assert_eq!((ok, refused), (1, 9), "{answers:?}");
}

async fn one_refresh_token_presented_ten_times_at_once_is_spent_once_and_the_family_revoked(
    idp: common::Idp,
) {
    let code = idp.code_for(&SEEDS[0]).await;
    let (status, tokens) = idp.redeem(&code, common::VERIFIER, REDIRECT_URI).await;
    assert_eq!(status, 200);
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let answers = at_once(10, |_| {
        let (endpoint, refresh) = (idp.token_endpoint(), refresh.clone());
        async move {
            let (status, body) = endpoint.refresh(&refresh).await;
            (status, body["access_token"].as_str().map(String::from))
        }
    })
    .await;
    let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
    assert_eq!(tally(&statuses), [(200, 1), (400, 9)].into(), "one rotation, the rest refused, no 5xx");
    // Presenting a spent refresh token is reuse: the family, the new pair included, is revoked.
    let fresh = answers.iter().find_map(|(_, t)| t.clone()).unwrap();
    assert_eq!(idp.userinfo(&fresh).await.status(), 401, "the family is revoked as the reuse rule says");
}

on_both!(two_hundred_submissions_at_once_store_one_pending_item_per_person_and_no_5xx);
on_both!(one_code_redeemed_ten_times_at_once_gives_one_token);
on_both!(one_refresh_token_presented_ten_times_at_once_is_spent_once_and_the_family_revoked);
