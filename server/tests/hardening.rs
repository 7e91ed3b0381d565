//! The hostile cases of an independent tester, against a running server over real HTTP: framing
//! and caching of the login pages, password guessing, telling registered phones apart, personal
//! data echoed in errors, and JSON under other content types.

#![allow(clippy::unwrap_used)]

mod common;

use common::{authorize_params, start};
use shiye_core::oidc::REDIRECT_URI;
use shiye_server::persons::{DEMO_PASSWORD, SEEDS};

#[tokio::test]
async fn login_pages_cannot_be_framed_sniffed_or_cached_nor_personal_answers_cached() {
    let idp = start().await;
    let page = idp.login_page().await;
    assert_eq!(page.status(), 200);
    let wrong = idp.login_as(&SEEDS[0], "wrong-password").await;
    assert_eq!(wrong.status(), 401);
    for resp in [&page, &wrong] {
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("script-src"), "{csp}");
        assert!(csp.contains("default-src 'none'"), "no script runs: {csp}");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["cache-control"], "no-store");
        assert_eq!(h["pragma"], "no-cache");
    }
    let token = idp.token(&SEEDS[0]).await;
    let me = idp.http.get(format!("{}/api/v1/me", idp.base)).bearer_auth(&token).send().await.unwrap();
    let info = idp.userinfo(&token).await;
    for resp in [&me, &info] {
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["cache-control"], "no-store");
        assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn password_guessing_is_throttled_and_the_right_password_waits_too() {
    let idp = start().await;
    let (victim, other) = (&SEEDS[0], &SEEDS[1]);
    for i in 0..5 {
        assert_eq!(idp.login_as(victim, &format!("guess-{i}")).await.status(), 401, "guess {i}");
    }
    let throttled = idp.login_as(victim, "guess-5").await;
    assert_eq!(throttled.status(), 429);
    let wait: i64 = throttled.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "Retry-After {wait}");
    assert!(throttled.text().await.unwrap().contains("尝试次数过多"));
    assert_eq!(idp.login_as(victim, DEMO_PASSWORD).await.status(), 429, "the right password waits too");
    // Another account from the same address is not locked out by the first one's guesses.
    assert_eq!(idp.login_as(other, DEMO_PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn the_sms_login_answers_alike_for_registered_and_unregistered_phones() {
    let idp = start().await;
    let send = |phone: &'static str| {
        let mut form = authorize_params(REDIRECT_URI);
        form.extend([("method", "sms".into()), ("action", "send_code".into()), ("phone", phone.into())]);
        let (http, base) = (idp.http.clone(), idp.base.clone());
        async move {
            let resp = common::post_login(&http, &base, form).await;
            let status = resp.status().as_u16();
            let page = resp.text().await.unwrap().replace(phone, "PHONE");
            // Each page carries its own anti-CSRF token; the rest must be the same.
            let (token, _) = shiye_server::csrf::scripted(&page, "").unwrap();
            (status, page.replace(&token, "TOKEN"))
        }
    };
    let registered = SEEDS[0].phone;
    let unregistered = "13900000000";
    let (first_r, first_u) = (send(registered).await, send(unregistered).await);
    let (again_r, again_u) = (send(registered).await, send(unregistered).await);
    assert_eq!(first_r, first_u, "first request: the same answer");
    assert_eq!(first_r.0, 200);
    // The seconds left count from each phone's own first request, which a second's boundary may
    // separate: the number may differ by one, nothing else.
    let seconds = |page: &str| -> (i64, String) {
        let at = page.find("请").zip(page.find("秒后再试")).expect("a wait in the page");
        let n = page[at.0 + "请".len()..at.1].parse().expect("seconds");
        (n, format!("{}N{}", &page[..at.0 + "请".len()], &page[at.1..]))
    };
    let ((wait_r, page_r), (wait_u, page_u)) = (seconds(&again_r.1), seconds(&again_u.1));
    assert_eq!((again_r.0, page_r), (again_u.0, page_u), "within a minute: the same answer");
    assert_eq!(again_r.0, 429);
    assert!((58..=60).contains(&wait_r) && (wait_r - wait_u).abs() <= 1, "{wait_r} / {wait_u}");
}

#[tokio::test]
async fn bad_values_are_not_echoed_and_json_needs_its_content_type() {
    let idp = start().await;
    let token = idp.token(&SEEDS[0]).await;
    let id_number = SEEDS[0].id_number();
    let post = |path: &str, kind: &'static str, body: String| {
        idp.http
            .post(format!("{}{path}", idp.base))
            .bearer_auth(&token)
            .header("content-type", kind)
            .header("Idempotency-Key", "hardening-1")
            .body(body)
    };
    let echo = post("/api/v1/sms-codes", "application/json", format!(r#"{{"purpose":"{id_number}"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(echo.status(), 400);
    let text = echo.text().await.unwrap();
    assert!(!text.contains(&id_number), "the value is not quoted back: {text}");
    let answers = shiye_core::forms::samples::job_seeking("40");
    let body =
        serde_json::json!({ "schema_version": shiye_core::api::DRAFT_SCHEMA_VERSION, "answers": answers });
    for path in ["/api/v1/applications", "/api/v1/sms-codes"] {
        for kind in ["text/plain", "application/x-www-form-urlencoded"] {
            let resp = post(path, kind, body.to_string()).send().await.unwrap();
            assert_eq!(resp.status(), 415, "{path} under {kind}");
        }
    }
    let ok = post("/api/v1/applications", "application/json; charset=utf-8", body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 201);
}

#[tokio::test]
async fn claims_are_released_by_scope_and_unknown_scopes_are_not_granted() {
    let idp = start().await;
    let person = &SEEDS[0];
    let login = |scope: &'static str| {
        let mut form: Vec<(&str, String)> =
            authorize_params(REDIRECT_URI).into_iter().filter(|(k, _)| *k != "scope").collect();
        form.extend([
            ("scope", scope.to_string()),
            ("id_number", person.id_number()),
            ("password", DEMO_PASSWORD.into()),
        ]);
        let (http, base) = (idp.http.clone(), idp.base.clone());
        async move {
            let resp = common::post_login(&http, &base, form).await;
            let loc = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
            loc.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned()
        }
    };
    let code = login("openid evil admin").await;
    let (status, tokens) = idp.redeem(&code, common::VERIFIER, REDIRECT_URI).await;
    assert_eq!(status, 200);
    assert_eq!(tokens["scope"], "openid", "unknown scopes dropped from the grant");
    let claims: serde_json::Value =
        idp.userinfo(tokens["access_token"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!(claims, serde_json::json!({ "sub": person.subject }), "openid alone: the subject only");
    let code = login("openid profile phone id_card").await;
    let (_, tokens) = idp.redeem(&code, common::VERIFIER, REDIRECT_URI).await;
    let claims: shiye_core::oidc::Claims =
        idp.userinfo(tokens["access_token"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!(claims.id_number, Some(person.id_number()));
    assert_eq!(claims.phone.as_deref(), Some(person.phone));
}

#[tokio::test]
async fn no_personal_number_name_or_message_is_stored_in_plain_text() {
    let idp = start().await;
    // A claim with a bank card, approved (so the card reaches the records), and an SMS "sent".
    let token = idp.token(&SEEDS[0]).await;
    let card = "6212260200000000014";
    let claim = serde_json::json!({
        "schema_version": shiye_core::api::DRAFT_SCHEMA_VERSION,
        "answers": shiye_core::forms::samples::benefit_claim(card),
    });
    let post = |key: &'static str, body: serde_json::Value, token: String| {
        idp.http
            .post(format!("{}/api/v1/applications", idp.base))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let accepted: serde_json::Value = post("c-1", claim, token.clone()).await.unwrap().json().await.unwrap();
    for item in accepted["items"].as_array().unwrap() {
        let case = item["case_number"].as_str().unwrap();
        let resp = idp
            .http
            .post(format!("{}/api/admin/items/{case}/decision", idp.base))
            .bearer_auth(&idp.admin_token)
            .json(&serde_json::json!({"action": "approve"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
    }
    let receiving = idp.token(&SEEDS[3]).await;
    let sms = idp
        .http
        .post(format!("{}/api/v1/sms-codes", idp.base))
        .bearer_auth(&receiving)
        .json(&serde_json::json!({"purpose": "benefit_stop"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sms.status(), 201);
    // Still readable through the API, so the data is there, only sealed.
    assert!(idp.sms_outbox(SEEDS[3].subject).await[0].contains("验证码"));
    let me = idp.get_json("/api/v1/me", Some(&token)).await;
    assert_eq!(me["user"]["id_number"], SEEDS[0].id_number());

    // Every byte the database keeps: the file, its write-ahead log and shared memory.
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut name = idp.db_path.clone().into_os_string();
        name.push(suffix);
        bytes.extend(std::fs::read(&name).unwrap_or_default());
    }
    let found = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(found("p-new-bj"), "the file is the server's database");
    let mut secrets: Vec<String> =
        vec![card.into(), shiye_server::records::SEEDED_BENEFIT_CARD.into(), "验证码".into()];
    for s in SEEDS {
        secrets.extend([s.id_number(), s.phone.to_string(), s.name.to_string(), s.birth_date()]);
    }
    for s in &secrets {
        assert!(!found(s), "{s} is stored in plain text");
    }
}

#[tokio::test]
async fn a_login_posted_from_elsewhere_is_refused() {
    let idp = start().await;
    let mut form = authorize_params(REDIRECT_URI);
    form.push(("id_number", SEEDS[0].id_number()));
    form.push(("password", DEMO_PASSWORD.into()));
    let url = format!("{}/oauth/authorize", idp.base);
    // A cross-site post: the right credentials, but neither the page's token nor its cookie.
    let forged = idp.http.post(&url).form(&form).send().await.unwrap();
    assert_eq!(forged.status(), 403);
    assert!(forged.headers().get("location").is_none(), "no code handed out");
    assert!(forged.text().await.unwrap().contains("重新点击登录"));
    // A token read from another page but without its cookie, or a cookie with another token.
    let page = idp.login_page().await;
    let set_cookie = page.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    let (token, cookie) = shiye_server::csrf::scripted(&page.text().await.unwrap(), &set_cookie).unwrap();
    let mut with_token = form.clone();
    with_token.push(("csrf", token));
    assert_eq!(idp.http.post(&url).form(&with_token).send().await.unwrap().status(), 403);
    let mut other_token = form.clone();
    other_token.push(("csrf", "x".repeat(43)));
    let resp = idp.http.post(&url).header("cookie", &cookie).form(&other_token).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    // The page's own token and cookie: in.
    let resp = idp.http.post(&url).header("cookie", &cookie).form(&with_token).send().await.unwrap();
    assert_eq!(resp.status(), 303);
}

/// A database written before sealing began, holding its persons in plain text: the server seals
/// them at start, and after a stop by SIGINT no file in the database's folder — the file, its
/// write-ahead log, its shared memory — holds a number, a phone or a name as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_plaintext_database_is_sealed_everywhere_after_a_sigint() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("old.sqlite");
    {
        let server = shiye_server::Server::bind(std::net::SocketAddr::from(([127, 0, 0, 1], 0)), &db_path)
            .await
            .unwrap();
        drop(server);
    }
    // As an older server wrote them: every person's fields in the clear, no lookups.
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", db_path.display())).await.unwrap();
    for s in SEEDS {
        sqlx::query("UPDATE persons SET name = ?1, id_number = ?2, phone = ?3, birth_date = ?4, id_lookup = NULL, phone_lookup = NULL WHERE subject = ?5")
            .bind(s.name)
            .bind(s.id_number())
            .bind(s.phone)
            .bind(s.birth_date())
            .bind(s.subject)
            .execute(&db)
            .await
            .unwrap();
    }
    db.close().await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_shiye-server"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db_path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // Read to the end (a closed pipe would fail the server's writes), telling when it listens.
    let (listening, started) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with("listening on") {
                let _ = listening.send(());
            }
        }
    });
    started.recv_timeout(std::time::Duration::from_secs(60)).expect("the server started");
    assert!(std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    assert!(child.wait().unwrap().success(), "a clean stop");
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        bytes.extend(std::fs::read(entry.path()).unwrap_or_default());
    }
    let found = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(found("p-new-bj"), "the folder holds the database");
    for s in SEEDS {
        for secret in [s.id_number(), s.phone.to_string(), s.name.to_string()] {
            assert!(!found(&secret), "{secret} ({}) survives in plain text", s.subject);
        }
    }
}
