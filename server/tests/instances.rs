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

/// Behind one load balancer, two instances are one identity provider: each publishes the one
/// configured issuer in discovery, and the ID token either instance hands out names that issuer
/// and verifies (RS256, checked here with ring) against the keys that issuer publishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_behind_one_issuer_hand_out_tokens_one_client_verifies() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let Some(servers) = common::start_postgres_instances(2).await else { return };
    let issuer = servers[0].base.clone();
    assert_ne!(servers[1].base, issuer, "the second instance answers at its own address");
    let jwks = servers[0].get_json("/oauth/jwks", None).await;
    for (i, s) in servers.iter().enumerate() {
        let discovery = s.get_json("/.well-known/openid-configuration", None).await;
        assert_eq!(discovery["issuer"], issuer.as_str(), "instance {i}");
        assert!(discovery["token_endpoint"].as_str().unwrap().starts_with(&issuer), "instance {i}");
        let code = s.code_for(&SEEDS[i]).await;
        let (status, tokens) = s.redeem(&code, common::VERIFIER, REDIRECT_URI).await;
        assert_eq!(status, 200, "{tokens}");
        let id_token = tokens["id_token"].as_str().unwrap();
        let parts: Vec<&str> = id_token.split('.').collect();
        let part = |n: usize| -> serde_json::Value {
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[n]).unwrap()).unwrap()
        };
        let (header, claims) = (part(0), part(1));
        assert_eq!(claims["iss"], issuer.as_str(), "instance {i}: the ID token names the one issuer");
        let key = jwks["keys"].as_array().unwrap().iter().find(|k| k["kid"] == header["kid"]);
        let key = key.unwrap_or_else(|| panic!("instance {i}: its key is in the issuer's JWKS"));
        let n = URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap();
        let e = URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap();
        let signed = format!("{}.{}", parts[0], parts[1]);
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        ring::signature::RsaPublicKeyComponents { n, e }
            .verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
            .unwrap_or_else(|_| panic!("instance {i}: the signature verifies"));
    }
}

/// Writes wait only for the same person's: with person A's write held open (a transaction holding
/// A's lock, as a slow intake would), person B's submission on the other instance is accepted,
/// while A's own waits and goes through once A's transaction ends; and the one-pending rule holds
/// for one person's 50 submissions at once across both instances.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_persons_writes_never_wait_for_anothers() {
    let Some((url, servers)) = common::postgres_instances(2).await else { return };
    let (a, b) = (&SEEDS[0], &SEEDS[1]);
    let (token_a, token_b) = (servers[0].token(a).await, servers[1].token(b).await);
    let pool = shiye_server::db::open(&shiye_server::db::Location::Postgres(url)).await.unwrap();
    let held = shiye_server::db::write_for(&pool, a.subject).await.unwrap();
    let servers = std::sync::Arc::new(servers);
    let a_waits = {
        let (servers, token) = (servers.clone(), token_a.clone());
        tokio::spawn(async move { servers[0].submit(&token, "a-1", &submission(1)).await })
    };
    // B, on the other instance, while A's write is held: answered.
    let b_answer = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        servers[1].submit(&token_b, "b-1", &submission(2)),
    )
    .await
    .expect("B's submission does not wait for A's lock");
    assert_eq!(b_answer.0, 201, "{b_answer:?}");
    assert!(!a_waits.is_finished(), "A's own submission waits for A's write");
    held.commit().await.unwrap();
    let a_answer = a_waits.await.unwrap();
    assert_eq!(a_answer.0, 201, "{a_answer:?}");

    // One person, 50 keys at once over both instances: one waits for a decision, 49 are refused.
    let c = &SEEDS[4];
    let token_c = servers[0].token(c).await;
    let tries: Vec<_> = (0..50usize)
        .map(|i| {
            let (servers, token) = (servers.clone(), token_c.clone());
            tokio::spawn(
                async move { submit(&servers[i % 2], &token, &format!("c-{i}"), &submission(i)).await },
            )
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tries {
        let (status, answer) = t.await.unwrap();
        assert!(status == 201 || answer["reason"] == "item_pending", "{status} {answer}");
        statuses.push(status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "one pending 求职登记");
}

/// The guessing limit is the database's, not an instance's: five wrong passwords on one instance,
/// and the sixth try on the other is refused — the right password too, until the wait is over.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_throttle_holds_across_instances() {
    let Some(servers) = common::start_postgres_instances(2).await else { return };
    let victim = &SEEDS[2];
    for i in 0..5 {
        assert_eq!(servers[0].login_as(victim, &format!("guess-{i}")).await.status(), 401, "guess {i}");
    }
    assert_eq!(servers[1].login_as(victim, "guess-5").await.status(), 429);
    let right = servers[1].login_as(victim, shiye_server::persons::DEMO_PASSWORD).await;
    assert_eq!(right.status(), 429, "the right password waits too");
}
