//! Two server processes' worth of instances on one PostgreSQL database, requests spread across
//! both as a load balancer would: the one-time things hold across instances (an idempotency key,
//! an authorization code, a refresh token, an SMS code's rate limit), and nothing answers 5xx.

#![allow(clippy::unwrap_used)]

mod common;

use common::Idp;
use shiye_core::oidc::REDIRECT_URI;
use shiye_server::persons::SEEDS;
use std::collections::BTreeMap;

fn submission(i: usize) -> serde_json::Value {
    let answers = shiye_core::forms::samples::job_seeking(&format!("{}", 50 + i % 100));
    serde_json::json!({ "schema_version": shiye_core::api::DRAFT_SCHEMA_VERSION, "answers": answers })
}

/// Posts a submission; an answer of "still in flight on the other instance" is asked again, as a
/// client would, until the first request's answer is there to replay.
async fn submit(idp: &Idp, token: &str, key: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    loop {
        let (status, answer) = idp.submit(token, key, body).await;
        if status == 409 && answer["error"] == "idempotency_key_in_flight" {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        }
        return (status, answer);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_behave_as_one() {
    let Some(servers) = common::start_postgres_instances(2).await else { return };
    let servers = std::sync::Arc::new(servers);
    let persons = &SEEDS[..5];
    // Each person logs in on one instance; the token works on both.
    let mut tokens = Vec::new();
    for (i, p) in persons.iter().enumerate() {
        tokens.push(servers[i % 2].token(p).await);
    }

    // 100 submissions spread over both instances; 30 of them sent again with the same key to the
    // other instance at the same moment.
    let mut tasks = Vec::new();
    for i in 0..100usize {
        let repeats = if i % 10 < 3 { 2 } else { 1 };
        for r in 0..repeats {
            let (servers, token) = (servers.clone(), tokens[i % persons.len()].clone());
            tasks.push(tokio::spawn(async move {
                let at = &servers[(i + r) % 2];
                (i, submit(at, &token, &format!("spread-{i}"), &submission(i)).await)
            }));
        }
    }
    let mut answers: BTreeMap<usize, Vec<(u16, serde_json::Value)>> = BTreeMap::new();
    for t in tasks {
        let (i, answer) = t.await.unwrap();
        assert!(answer.0 < 500, "submission {i}: {answer:?}");
        answers.entry(i).or_default().push(answer);
    }
    for (i, a) in &answers {
        assert!(a.windows(2).all(|w| w[0] == w[1]), "key {i} answered alike on both instances: {a:?}");
    }
    let accepted: Vec<&serde_json::Value> =
        answers.values().filter(|a| a[0].0 == 201).map(|a| &a[0].1).collect();
    assert_eq!(accepted.len(), persons.len(), "one 求职登记 per person, whatever the instance");
    assert!(answers.values().all(|a| a[0].0 == 201 || a[0].1["reason"] == "item_pending"));
    // Exactly one application per accepted key, listed alike by both instances.
    for (i, token) in tokens.iter().enumerate() {
        let lists: Vec<Vec<serde_json::Value>> = all_in_order(servers.iter().map(|s| {
            let req = s.http.get(format!("{}/api/v1/applications", s.base)).bearer_auth(token);
            async move { req.send().await.unwrap().json::<Vec<serde_json::Value>>().await.unwrap() }
        }))
        .await;
        assert_eq!(lists[0].len(), 1, "person {i} has one application");
        assert_eq!(lists[0], lists[1]);
    }

    // An authorization code issued by one instance is spent once across both.
    let code = servers[0].code_for(&SEEDS[0]).await;
    let mut redemptions = Vec::new();
    for i in 0..10 {
        let (endpoint, code) = (servers[i % 2].token_endpoint(), code.clone());
        redemptions
            .push(tokio::spawn(async move { endpoint.redeem(&code, common::VERIFIER, REDIRECT_URI).await }));
    }
    let mut ok = 0;
    for r in redemptions {
        let (status, body) = r.await.unwrap();
        assert!(status == 200 || (status == 400 && body["error"] == "invalid_grant"), "{status} {body}");
        ok += usize::from(status == 200);
    }
    assert_eq!(ok, 1, "one code, one token, across instances");

    // A refresh token (of a new login: the replayed code above revoked its grant) presented to
    // both at once rotates once.
    let code = servers[1].code_for(&SEEDS[1]).await;
    let (status, body) = servers[0].redeem(&code, common::VERIFIER, REDIRECT_URI).await;
    assert_eq!(status, 200);
    let refresh = body["refresh_token"].as_str().unwrap().to_string();
    let mut refreshes = Vec::new();
    for i in 0..10 {
        let (endpoint, refresh) = (servers[i % 2].token_endpoint(), refresh.clone());
        refreshes.push(tokio::spawn(async move { endpoint.refresh(&refresh).await.0 }));
    }
    let mut statuses = Vec::new();
    for r in refreshes {
        statuses.push(r.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [vec![200], vec![400; 9]].concat());

    // The SMS resend limit is the database's, not an instance's.
    let receiving = tokens[3].clone();
    let sms = |s: &Idp| {
        s.http
            .post(format!("{}/api/v1/sms-codes", s.base))
            .bearer_auth(&receiving)
            .json(&serde_json::json!({"purpose": "benefit_stop"}))
            .send()
    };
    assert_eq!(sms(&servers[0]).await.unwrap().status(), 201);
    assert_eq!(sms(&servers[1]).await.unwrap().status(), 429, "the other instance knows of the first code");
}

/// Awaits every future, in order.
async fn all_in_order<F: std::future::Future>(fs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut out = Vec::new();
    for f in fs {
        out.push(f.await);
    }
    out
}
