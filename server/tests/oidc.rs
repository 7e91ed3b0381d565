//! The identity provider over real HTTP on loopback with a real SQLite file: the authorization
//! code flow with PKCE, and the ways it must refuse.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure report

mod common;

use common::{authorize_params, start, VERIFIER};
use shiye_core::oidc::REDIRECT_URI;
use shiye_server::persons::{DEMO_PASSWORD, SEEDS};

#[tokio::test]
async fn code_flow_with_pkce_yields_the_persons_userinfo() {
    let idp = start().await;
    let page = idp.login_page().await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("证件号码"));
    let code = idp.code_for(&SEEDS[0]).await;
    let (status, body) = idp.redeem(&code, VERIFIER, REDIRECT_URI).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    let info: shiye_core::oidc::Claims =
        idp.userinfo(body["access_token"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!(info.name.as_deref(), Some(SEEDS[0].name), "profile releases the name");
    assert_eq!(info.id_number, None, "the ID number only with the id_card scope");
    assert_eq!(idp.userinfo("not-a-token").await.status(), 401);
}

#[tokio::test]
async fn wrong_verifier_wrong_redirect_and_reused_code_are_refused() {
    let idp = start().await;
    let code = idp.code_for(&SEEDS[0]).await;
    let (status, body) = idp.redeem(&code, &"x".repeat(43), REDIRECT_URI).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    // A failed attempt burns the code.
    assert_eq!(idp.redeem(&code, VERIFIER, REDIRECT_URI).await.0, 400);

    let code = idp.code_for(&SEEDS[0]).await;
    assert_eq!(idp.redeem(&code, VERIFIER, "http://127.0.0.1/elsewhere").await.0, 400);

    // Replaying a redeemed code fails and revokes the tokens it gave.
    let code = idp.code_for(&SEEDS[0]).await;
    let (status, body) = idp.redeem(&code, VERIFIER, REDIRECT_URI).await;
    assert_eq!(status, 200);
    let access = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(idp.userinfo(&access).await.status(), 200);
    assert_eq!(idp.redeem(&code, VERIFIER, REDIRECT_URI).await.0, 400);
    assert_eq!(idp.userinfo(&access).await.status(), 401);
}

#[tokio::test]
async fn bad_password_keeps_the_id_number_and_bad_redirect_is_never_followed() {
    let idp = start().await;
    let resp = idp.login_as(&SEEDS[0], "wrong").await;
    assert_eq!(resp.status(), 401);
    let page = resp.text().await.unwrap();
    assert!(page.contains("证件号码或密码不正确"));
    assert!(page.contains(&SEEDS[0].id_number()), "the typed ID number is kept");

    let resp = idp
        .http
        .get(format!("{}/oauth/authorize", idp.base))
        .query(&authorize_params("http://evil.example/cb"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
}

/// The `code` parameter of a redirect.
fn code_in(location: &str) -> String {
    let url = url::Url::parse(location).unwrap();
    url.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned()).unwrap()
}

/// A login answered to `redirect`, as the browser would be sent: the 303's Location.
async fn login_redirect(idp: &common::Idp, redirect: &str) -> reqwest::Response {
    let mut form = authorize_params(redirect);
    form.push(("id_number", SEEDS[0].id_number()));
    form.push(("password", shiye_server::persons::DEMO_PASSWORD.into()));
    common::post_login(&idp.http, &idp.base, form).await
}

#[tokio::test]
async fn the_apps_loopback_redirect_on_any_port_and_its_private_scheme_are_accepted_exactly() {
    let idp = start().await;
    for redirect in [
        shiye_core::oidc::loopback_redirect(49152),
        shiye_core::oidc::loopback_redirect(8),
        "http://[::1]:61000/shiye/oauth/callback".to_string(),
        shiye_core::oidc::MOBILE_REDIRECT_URI.to_string(),
    ] {
        let page = idp.http.get(format!("{}/oauth/authorize", idp.base)).query(&authorize_params(&redirect));
        assert_eq!(page.send().await.unwrap().status(), 200, "{redirect}");
        let resp = login_redirect(&idp, &redirect).await;
        assert_eq!(resp.status(), 303, "{redirect}");
        let location = resp.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with(&format!("{redirect}?")), "{location}");
        let code = code_in(&location);
        // The code is bound to the redirect it was issued for, port included.
        let other = shiye_core::oidc::loopback_redirect(49153);
        assert_eq!(idp.redeem(&code, VERIFIER, &other).await.0, 400, "{redirect}");
        let again = login_redirect(&idp, &redirect).await;
        let code = code_in(again.headers()["location"].to_str().unwrap());
        assert_eq!(idp.redeem(&code, VERIFIER, &redirect).await.0, 200, "{redirect}");
    }
    for refused in [
        "http://localhost:49152/shiye/oauth/callback",
        "https://127.0.0.1:49152/shiye/oauth/callback",
        "http://127.0.0.1:49152/shiye/oauth/other",
        "http://127.0.0.1.evil.example:49152/shiye/oauth/callback",
        "cn.gov.beijing.shiye.evil:/oauth/callback",
    ] {
        let page = idp.http.get(format!("{}/oauth/authorize", idp.base)).query(&authorize_params(refused));
        let resp = page.send().await.unwrap();
        assert_eq!(resp.status(), 400, "{refused}");
        assert!(resp.headers().get("location").is_none());
    }
    // Discovery names them.
    let meta = idp.get_json("/.well-known/openid-configuration", None).await;
    assert!(meta["shiye_app_redirect_uris"].to_string().contains("127.0.0.1:{port}"));
}

async fn refresh(idp: &common::Idp, token: &str) -> (u16, serde_json::Value) {
    let resp = idp
        .http
        .post(format!("{}/oauth/token", idp.base))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", token),
            ("client_id", shiye_core::oidc::CLIENT_ID),
        ])
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_revokes_the_family() {
    let idp = start().await;
    let code = idp.code_for(&SEEDS[0]).await;
    let (_, first) = idp.redeem(&code, VERIFIER, REDIRECT_URI).await;
    let r1 = first["refresh_token"].as_str().unwrap().to_string();
    let (status, second) = refresh(&idp, &r1).await;
    assert_eq!(status, 200);
    let r2 = second["refresh_token"].as_str().unwrap().to_string();
    let a2 = second["access_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2, "rotated");
    assert_eq!(idp.userinfo(&a2).await.status(), 200);
    // The spent r1 shows up again: everything of the grant dies, r2 and a2 included.
    let (status, body) = refresh(&idp, &r1).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    assert_eq!(idp.userinfo(&a2).await.status(), 401);
    assert_eq!(refresh(&idp, &r2).await.0, 400);
}

#[tokio::test]
async fn revocation_ends_the_grant() {
    let idp = start().await;
    let token = idp.token(&SEEDS[0]).await;
    assert_eq!(idp.userinfo(&token).await.status(), 200);
    let resp = idp
        .http
        .post(format!("{}/oauth/revoke", idp.base))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(idp.userinfo(&token).await.status(), 401);
    let unknown =
        idp.http.post(format!("{}/oauth/revoke", idp.base)).form(&[("token", "nope")]).send().await.unwrap();
    assert_eq!(unknown.status(), 200, "unknown tokens are not told apart");
}

/// Logs in on `idp` and checks the ID token against the published key its `kid` names, signed
/// with `alg`; a changed claim breaks the signature.
async fn id_token_verifies(idp: &common::Idp, alg: &str) {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    let mut form = authorize_params(REDIRECT_URI);
    form.push(("nonce", "n-0123456789".into()));
    form.push(("id_number", SEEDS[0].id_number()));
    form.push(("password", DEMO_PASSWORD.into()));
    let resp = common::post_login(&idp.http, &idp.base, form).await;
    let loc = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
    let code = loc.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let (status, body) = idp.redeem(&code, VERIFIER, REDIRECT_URI).await;
    assert_eq!(status, 200);
    let token = body["id_token"].as_str().unwrap();

    let jwks = idp.get_json("/oauth/jwks", None).await;
    let algs: Vec<&str> =
        jwks["keys"].as_array().unwrap().iter().map(|k| k["alg"].as_str().unwrap()).collect();
    assert_eq!(algs.len(), 2, "one key of each algorithm is published: {algs:?}");
    let discovery = idp.get_json("/.well-known/openid-configuration", None).await;
    assert_eq!(discovery["id_token_signing_alg_values_supported"], serde_json::json!([alg]));
    let parts: Vec<&str> = token.split('.').collect();
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(header["alg"], alg);
    let jwk = jwks["keys"].as_array().unwrap().iter().find(|k| k["kid"] == header["kid"]).unwrap();
    assert_eq!(jwk["alg"], alg);
    let field = |name: &str| URL_SAFE_NO_PAD.decode(jwk[name].as_str().unwrap()).unwrap();
    let sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    let verifies = |input: &str| match alg {
        "RS256" => ring::signature::RsaPublicKeyComponents { n: field("n"), e: field("e") }
            .verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &sig)
            .is_ok(),
        _ => ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, field("x"))
            .verify(input.as_bytes(), &sig)
            .is_ok(),
    };
    assert!(verifies(&format!("{}.{}", parts[0], parts[1])));
    let mut forged = claims.clone();
    forged["sub"] = "p-receiving".into();
    assert!(!verifies(&format!("{}.{}", parts[0], URL_SAFE_NO_PAD.encode(forged.to_string()))), "forged");

    assert_eq!(claims["iss"], idp.base.as_str());
    assert_eq!(claims["aud"], shiye_core::oidc::CLIENT_ID);
    assert_eq!(claims["sub"], SEEDS[0].subject);
    assert_eq!(claims["nonce"], "n-0123456789");
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
}

#[tokio::test]
async fn id_tokens_are_signed_rs256_by_default_or_eddsa_with_a_published_key() {
    id_token_verifies(&start().await, "RS256").await;
    id_token_verifies(&common::start_signing_with(shiye_server::id_token::Alg::EdDsa).await, "EdDSA").await;
}

/// The signing keys are sealed at rest: the database file holds neither the RSA key's DER nor the
/// Ed25519 seed.
#[tokio::test]
async fn signing_keys_are_sealed_at_rest() {
    let idp = start().await;
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", idp.db_path.display())).await.unwrap();
    let rows: Vec<(String, Vec<u8>)> =
        sqlx::query_as("SELECT alg, secret FROM signing_keys").fetch_all(&db).await.unwrap();
    assert_eq!(rows.len(), 2);
    for (alg, secret) in rows {
        let text = String::from_utf8(secret).unwrap_or_default();
        assert!(shiye_server::seal::Sealer::is_sealed(&text), "{alg} key stored in the clear");
    }
}

#[tokio::test]
async fn phone_and_sms_code_login() {
    let idp = start().await;
    let person = &SEEDS[0];
    let post = |extra: Vec<(&'static str, String)>| {
        let mut form = authorize_params(REDIRECT_URI);
        form.push(("method", "sms".into()));
        form.extend(extra);
        let (http, base) = (idp.http.clone(), idp.base.clone());
        async move { common::post_login(&http, &base, form).await }
    };
    // Each page carries its own anti-CSRF token.
    let untokened = |page: String| {
        let (token, _) = shiye_server::csrf::scripted(&page, "").unwrap();
        page.replace(&token, "TOKEN")
    };
    // An unknown number gets the same answer as a known one, and no message.
    let unknown = post(vec![("phone", "139 0000 0000".into()), ("action", "send_code".into())]).await;
    assert_eq!(unknown.status(), 200);
    let unknown_page = untokened(unknown.text().await.unwrap());
    let resp = post(vec![("phone", person.phone.into()), ("action", "send_code".into())]).await;
    assert_eq!(resp.status(), 200);
    let page = untokened(resp.text().await.unwrap());
    assert!(page.contains("如该手机号已在平台登记，验证码已发送"));
    assert_eq!(page.replace(person.phone, "PHONE"), unknown_page.replace("139 0000 0000", "PHONE"));
    assert_eq!(idp.sms_outbox(person.subject).await.len(), 1);
    let code = idp.latest_sms_code(person.subject).await;

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let resp =
        post(vec![("phone", person.phone.into()), ("action", "login".into()), ("sms_code", wrong.into())])
            .await;
    assert_eq!(resp.status(), 401);
    assert!(resp.text().await.unwrap().contains("手机号或短信验证码不正确"));

    let resp =
        post(vec![("phone", person.phone.into()), ("action", "login".into()), ("sms_code", code.clone())])
            .await;
    assert_eq!(resp.status(), 303);
    let loc = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
    let auth_code = loc.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let (status, body) = idp.redeem(&auth_code, VERIFIER, REDIRECT_URI).await;
    assert_eq!(status, 200);
    let info: shiye_core::oidc::Claims =
        idp.userinfo(body["access_token"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!(info.sub, person.subject);
    // The code was spent.
    let again =
        post(vec![("phone", person.phone.into()), ("action", "login".into()), ("sms_code", code)]).await;
    assert_eq!(again.status(), 401);
}

/// The query of a redirect as a map.
fn query_of(resp: &reqwest::Response) -> std::collections::HashMap<String, String> {
    let loc = resp.headers()["location"].to_str().unwrap();
    assert!(loc.starts_with(REDIRECT_URI), "{loc}");
    url::Url::parse(loc).unwrap().query_pairs().into_owned().collect()
}

/// Where certified clients look (OpenID Connect Core, Discovery, RFC 6749 §4.1.2.1, RFC 7009):
/// `prompt=none` answered `login_required` at the client, faults found after the redirect URI was
/// verified sent back to it with `state`, userinfo by POST under the standard claim names, the
/// ID token's claims released by scope, and a revocation that names another client refused.
#[tokio::test]
async fn answers_as_the_standards_say_where_certified_clients_look() {
    let idp = start().await;
    let authorize = format!("{}/oauth/authorize", idp.base);
    let ask = |change: &'static [(&'static str, &'static str)]| {
        let mut params = authorize_params(REDIRECT_URI);
        for (k, v) in change {
            params.retain(|(name, _)| name != k);
            if !v.is_empty() {
                params.push((k, v.to_string()));
            }
        }
        idp.http.get(&authorize).query(&params).send()
    };
    for (change, error) in [
        (&[("prompt", "none")][..], "login_required"),
        (&[("response_type", "token")][..], "unsupported_response_type"),
        (&[("code_challenge", "")][..], "invalid_request"),
        (&[("scope", "profile")][..], "invalid_scope"),
    ] {
        let resp = ask(change).await.unwrap();
        assert_eq!(resp.status(), 303, "{change:?}");
        let q = query_of(&resp);
        assert_eq!((q["error"].as_str(), q["state"].as_str()), (error, "st-1"), "{change:?}");
        assert!(!q.contains_key("code"));
    }
    // The authorization request by POST gets the login page, as by GET.
    let by_post = idp.http.post(&authorize).form(&authorize_params(REDIRECT_URI)).send().await.unwrap();
    assert_eq!(by_post.status(), 200);
    assert!(by_post.text().await.unwrap().contains("证件号码"));
    let discovery = idp.get_json("/.well-known/openid-configuration", None).await;
    assert_eq!(discovery["revocation_endpoint_auth_methods_supported"], serde_json::json!(["none"]));
    assert!(discovery["prompt_values_supported"].as_array().unwrap().contains(&"none".into()));

    let (_, tokens) = idp.redeem(&idp.code_for(&SEEDS[0]).await, VERIFIER, REDIRECT_URI).await;
    let access = tokens["access_token"].as_str().unwrap();
    let by_post =
        idp.http.post(format!("{}/oauth/userinfo", idp.base)).bearer_auth(access).send().await.unwrap();
    assert_eq!(by_post.status(), 200);
    let claims: serde_json::Value = by_post.json().await.unwrap();
    assert!(claims.get("birthdate").is_some() && claims.get("birth_date").is_none(), "{claims}");

    // With `openid` alone, the ID token names nobody.
    let mut form = authorize_params(REDIRECT_URI);
    form.retain(|(k, _)| *k != "scope");
    form.extend([
        ("scope", "openid".into()),
        ("id_number", SEEDS[0].id_number()),
        ("password", DEMO_PASSWORD.into()),
    ]);
    let code = query_of(&common::post_login(&idp.http, &idp.base, form).await)["code"].clone();
    let (_, only_sub) = idp.redeem(&code, VERIFIER, REDIRECT_URI).await;
    let payload = only_sub["id_token"].as_str().unwrap().split('.').nth(1).unwrap().to_string();
    use base64::Engine;
    let payload: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap())
            .unwrap();
    assert_eq!((payload.get("name"), payload["sub"].as_str()), (None, Some(SEEDS[0].subject)));

    // Revocation naming a client that is not the token's is refused, and the token lives on.
    let revoke = |client: &'static str| {
        let form = [("token", access), ("token_type_hint", "access_token"), ("client_id", client)];
        idp.http.post(format!("{}/oauth/revoke", idp.base)).form(&form).send()
    };
    let refused = revoke("someone-else").await.unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(refused.json::<serde_json::Value>().await.unwrap()["error"], "invalid_client");
    assert_eq!(idp.userinfo(access).await.status(), 200);
    assert_eq!(revoke(shiye_core::oidc::CLIENT_ID).await.unwrap().status(), 200);
    assert_eq!(idp.userinfo(access).await.status(), 401);
}
