//! The contract as a whole: the OpenAPI document lists exactly the router's routes, every route
//! answers its methods, and no malformed or hostile request gets a 5xx.

#![allow(clippy::unwrap_used)]

mod common;

use common::start;
use rand::{RngExt, SeedableRng};
use reqwest::Method;
use std::collections::BTreeSet;

fn concrete(path: &str) -> String {
    path.split('/').map(|seg| if seg.starts_with('{') { "x" } else { seg }).collect::<Vec<_>>().join("/")
}

#[tokio::test]
async fn the_openapi_document_matches_the_routes() {
    let idp = start().await;
    let doc: serde_json::Value =
        idp.http.get(format!("{}/api/openapi.json", idp.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (path.clone(), m.clone())))
        .collect();
    let routed: BTreeSet<(String, String)> = shiye_server::routes()
        .into_iter()
        .flat_map(|(path, methods)| methods.iter().map(move |m| (path.to_string(), m.to_string())))
        .collect();
    assert_eq!(documented, routed);
    // Every operation says what it answers, with a schema for every body but a redirect's, a
    // 304's or a 204's, and every schema named anywhere exists.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(!responses.is_empty(), "{method} {path}");
            for (code, r) in responses {
                let bodiless = ["303", "304", "204"].contains(&code.as_str())
                    || (path == "/oauth/revoke" && code == "200");
                assert!(bodiless || r["content"].is_object(), "{method} {path} {code} has no schema");
            }
        }
    }
    let text = doc.to_string();
    for r in text.split("#/components/schemas/").skip(1) {
        let name = r.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "a missing schema {name} is named");
    }
    // No schema is a bare object: every object lists its properties, so that another client can
    // be written from the document alone.
    fn objects_have_properties(at: &str, v: &serde_json::Value) {
        match v {
            serde_json::Value::Object(o) => {
                if o.get("type") == Some(&serde_json::json!("object")) {
                    assert!(
                        o.contains_key("properties") || o.contains_key("additionalProperties"),
                        "{at} is an object without properties: {v}"
                    );
                }
                for (k, child) in o {
                    objects_have_properties(&format!("{at}/{k}"), child);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|c| objects_have_properties(at, c)),
            _ => {}
        }
    }
    for (name, schema) in schemas {
        objects_have_properties(name, schema);
    }
    for name in [
        "ApplicationSubmission",
        "Application",
        "Conflict",
        "ValidationFailure",
        "Profile",
        "ReferenceData",
        "CaseFile",
        "TokenResponse",
    ] {
        assert!(schemas.contains_key(name), "{name} is documented");
    }
}

#[tokio::test]
async fn every_route_answers_its_methods_and_refuses_others() {
    let idp = start().await;
    for (path, methods) in shiye_server::routes() {
        let url = format!("{}{}", idp.base, concrete(path));
        for m in ["GET", "POST", "PUT", "DELETE"] {
            let resp =
                idp.http.request(Method::from_bytes(m.as_bytes()).unwrap(), &url).send().await.unwrap();
            let status = resp.status().as_u16();
            let body = resp.text().await.unwrap();
            let routed = !(status == 405 || (status == 404 && body.is_empty()));
            assert_eq!(routed, methods.contains(&m.to_lowercase().as_str()), "{m} {path}: {status}");
        }
    }
}

#[tokio::test]
async fn hostile_requests_are_answered_with_4xx_never_5xx() {
    let idp = start().await;
    let token = idp.token(&shiye_server::persons::SEEDS[0]).await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(11643);
    let nested = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let mut bodies: Vec<(Vec<u8>, &str)> = vec![
        (Vec::new(), "application/json"),
        (b"{".to_vec(), "application/json"),
        (b"null".to_vec(), "application/json"),
        (b"[]".to_vec(), "application/json"),
        (nested.into_bytes(), "application/json"),
        (br#"{"schema_version": "one", "answers": {"bundle": "job_seeking", "basic": 5}}"#.to_vec(), "application/json"),
        (br#"{"schema_version": 1, "answers": {"bundle": "benefit_stop", "stop": {"sms_code": "\u0000"}}, "x": 1}"#.to_vec(), "application/json"),
        (br#"{"action": "approve", "reason": 12}"#.to_vec(), "application/json"),
        (br#"{"purpose": "login"}"#.to_vec(), "application/json"),
        (b"grant_type=refresh_token&refresh_token=%FF%FE&client_id=shiye-app".to_vec(), "application/x-www-form-urlencoded"),
        (b"id_number=%00&password=&client_id=shiye-app&redirect_uri=x".to_vec(), "application/x-www-form-urlencoded"),
        (b"token=".to_vec(), "application/x-www-form-urlencoded"),
        (vec![b'a'; 300 * 1024], "application/json"),
        (b"plain words".to_vec(), "text/plain"),
    ];
    for _ in 0..12 {
        let len = rng.random_range(0..2048);
        bodies.push(((0..len).map(|_| rng.random::<u8>()).collect(), "application/json"));
    }
    let long = "k".repeat(1000);
    let auths = [
        None,
        Some(format!("Bearer {token}")),
        Some(format!("Bearer {}", "x".repeat(2000))),
        Some("Basic Zm9vOmJhcg==".into()),
    ];
    let mut sent = 0;
    for (path, _) in shiye_server::routes() {
        let url = format!("{}{}", idp.base, concrete(path));
        for method in [Method::GET, Method::POST, Method::PUT, Method::PATCH] {
            for (body, content_type) in &bodies {
                for auth in &auths {
                    let mut req = idp
                        .http
                        .request(method.clone(), &url)
                        .header("content-type", *content_type)
                        .header("idempotency-key", if sent % 3 == 0 { long.as_str() } else { "fuzz" })
                        .header("if-none-match", "*")
                        .body(body.clone());
                    if let Some(a) = auth {
                        req = req.header("authorization", a);
                    }
                    let resp = req.send().await.unwrap();
                    let status = resp.status().as_u16();
                    assert!(
                        status < 500,
                        "{method} {path} with {content_type} body of {} bytes: {status}",
                        body.len()
                    );
                    sent += 1;
                }
            }
        }
    }
    // Odd query strings on the login page.
    for q in
        ["", "client_id=%FF", "client_id=shiye-app&redirect_uri=javascript:alert(1)", &"a=b&".repeat(2000)]
    {
        let status =
            idp.http.get(format!("{}/oauth/authorize?{q}", idp.base)).send().await.unwrap().status().as_u16();
        assert!((400..500).contains(&status), "authorize?{q}: {status}");
    }
    assert!(sent > 1000, "{sent} requests");
}

/// A NUL anywhere — a path segment, the query, a JSON text, a form field — is 4xx on both
/// databases (PostgreSQL cannot store it in `text`; SQLite could), for every route and method,
/// with and without a person's token.
async fn a_nul_anywhere_is_refused(idp: common::Idp) {
    let token = idp.token(&shiye_server::persons::SEEDS[0]).await;
    let bodies: [(&[u8], &str); 3] = [
        (br#"{"reason": "a\u0000b", "purpose": "benefit_stop", "action": "return"}"#, "application/json"),
        (b"id_number=%00&password=x&csrf=y", "application/x-www-form-urlencoded"),
        (b"{\"reason\": \"a\0b\"}", "application/json"),
    ];
    let mut sent = 0;
    for (path, methods) in shiye_server::routes() {
        let with_nul = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "a%00b" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let targets =
            [format!("{}{with_nul}", idp.base), format!("{}{}?q=%00&nonce=%00", idp.base, concrete(path))];
        for url in targets.iter().filter(|u| u.contains("%00")) {
            for m in methods.iter() {
                for (body, content_type) in &bodies {
                    for auth in [None, Some(token.as_str())] {
                        let mut req = idp
                            .http
                            .request(Method::from_bytes(m.to_uppercase().as_bytes()).unwrap(), url)
                            .header("content-type", *content_type)
                            .header("idempotency-key", "nul")
                            .body(body.to_vec());
                        if let Some(t) = auth {
                            req = req.bearer_auth(t);
                        }
                        let status = req.send().await.unwrap().status().as_u16();
                        assert!((400..500).contains(&status), "{m} {url}: {status}");
                        sent += 1;
                    }
                }
            }
        }
    }
    // The body alone, on a route that takes one.
    for (body, content_type) in &bodies {
        let status = idp
            .http
            .post(format!("{}/api/v1/sms-codes", idp.base))
            .bearer_auth(&token)
            .header("content-type", *content_type)
            .body(body.to_vec())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(status, 400, "{content_type}");
    }
    assert!(sent > 100, "{sent} requests");
}

on_both!(a_nul_anywhere_is_refused);
