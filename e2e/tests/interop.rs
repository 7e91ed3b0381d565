//! Identity against implementations we did not write, both ways.
//!
//! The app's real login against an identity platform we did not write: npm `oidc-provider` (an
//! OpenID Certified provider, installed by `cargo xtask setup`), configured as a real platform
//! would be (e2e/interop/oidc-provider.mjs: its own endpoint paths, RS256/PS256/ES256/EdDSA keys
//! in a mixed key set, claims only from userinfo, refresh tokens only for `offline_access`).
//!
//! The path under test is the app's own `AuthService` desktop login (discovery, loopback redirect,
//! PKCE, ID-token verification, userinfo, tokens in the real OS keyring), the single-flight
//! refresh after the access token lapsed, and 退出登录's revocation; a scripted browser stands in
//! for the person at the provider's pages, submitting its forms as they come.
//!
//! The reference provider against certified relying parties: npm `openid-client`
//! (e2e/interop/openid-client.mjs) logs in with RS256, refreshes, revokes and tries `prompt=none`;
//! PyPI `oic` (pyoidc, e2e/interop/pyoidc.py) logs in with RS256, refreshes and revokes.

#![allow(clippy::unwrap_used)]

mod support;

use shiye::api::ApiClient;
use shiye::auth::AuthService;
use shiye::config::Config;
use shiye::vault::Vault;
use shiye_core::oidc::{CLIENT_ID, LOOPBACK_PATH};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncBufReadExt;

/// Lifetime of the provider's access tokens: short, so the test outlives one.
const ACCESS_TTL_SECS: u64 = 2;

/// The folder `cargo xtask setup` installs the test tools in.
fn tools() -> PathBuf {
    std::env::var_os("SHIYE_TOOLS_DIR").map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
        home.join(".cache").join("shiye-tools")
    })
}

/// An npm package that `cargo xtask setup` installed in the tools folder.
fn npm_package(name: &str) -> PathBuf {
    let dir = tools().join("node_modules").join(name);
    assert!(dir.join("package.json").exists(), "{} is missing: run `cargo xtask setup`", dir.display());
    dir
}

fn interop_script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop").join(name)
}

/// A running `oidc-provider`; stopped when dropped (its stdin closes, and it is killed).
struct Provider {
    issuer: String,
    _child: tokio::process::Child,
}

async fn provider(alg: &str) -> Provider {
    let mut child = tokio::process::Command::new("node")
        .arg(interop_script("oidc-provider.mjs"))
        .args([alg, &ACCESS_TTL_SECS.to_string()])
        .env("OIDC_PROVIDER_DIR", npm_package("oidc-provider"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let issuer = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let line = lines.next_line().await.unwrap().expect("oidc-provider exited before it listened");
            if let Some(i) = line.strip_prefix("issuer ") {
                return i.to_string();
            }
        }
    })
    .await
    .expect("oidc-provider listens within 30 s");
    // Its later notices are read and dropped: a closed pipe would end it at its next line.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Provider { issuer, _child: child }
}

/// The value of attribute `name` in one HTML tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[at..].find('"')? + at;
    Some(tag[at..end].replace("&amp;", "&").replace("&#x2F;", "/").replace("&#47;", "/"))
}

/// The first form of a page: where it posts, and its fields (hidden ones with their values; the
/// person's `login` and a password typed in).
fn form(page: &str, login: &str) -> (String, Vec<(String, String)>) {
    let start = page.find("<form").expect("a page with a form");
    let tag_end = page[start..].find('>').unwrap() + start;
    let action = attribute(&page[start..tag_end], "action").expect("the form says where it posts");
    let end = page[start..].find("</form>").unwrap() + start;
    let mut fields = Vec::new();
    for input in page[start..end].split("<input").skip(1) {
        let tag = &input[..input.find('>').unwrap()];
        let Some(name) = attribute(tag, "name") else { continue };
        let value = match name.as_str() {
            "login" => login.to_string(),
            "password" => "any password".to_string(),
            _ => attribute(tag, "value").unwrap_or_default(),
        };
        fields.push((name, value));
    }
    (action, fields)
}

/// Stands in for the person's browser: follows redirects and submits each page's form (login,
/// then consent) with the cookies the provider sets, until the provider sends the browser back to
/// the app's loopback listener, which it then visits.
async fn scripted_browser(start: String, login: &'static str) {
    // A connection per request: the provider closes some after answering, and a pooled one
    // reused in that instant is reset.
    let http = shiye::api::client_builder().pool_max_idle_per_host(0).build().unwrap();
    let mut cookies: BTreeMap<String, String> = BTreeMap::new();
    let mut next = (reqwest::Method::GET, start, Vec::<(String, String)>::new());
    for _ in 0..20 {
        let (method, url, fields) = next.clone();
        let jar = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let mut req = http.request(method.clone(), &url).header("cookie", jar.clone());
        if method == reqwest::Method::POST {
            req = req.form(&fields);
        }
        let resp =
            req.send().await.unwrap_or_else(|e| panic!("{method} {url} with {jar:?} {fields:?}: {e:?}"));
        for c in resp.headers().get_all("set-cookie") {
            let pair = c.to_str().unwrap().split(';').next().unwrap();
            if let Some((k, v)) = pair.split_once('=') {
                cookies.insert(k.trim().to_string(), v.to_string());
            }
        }
        let base = url::Url::parse(&url).unwrap();
        if let Some(location) = resp.headers().get("location") {
            let to = base.join(location.to_str().unwrap()).unwrap();
            if to.path() == LOOPBACK_PATH {
                // Back to the app: the loopback listener answers the browser with a page.
                support::http_client().get(to).send().await.unwrap();
                return;
            }
            next = (reqwest::Method::GET, to.to_string(), Vec::new());
            continue;
        }
        let status = resp.status();
        let page = resp.text().await.unwrap();
        assert!(status.is_success(), "the provider answered {status}: {page}");
        let (action, fields) = form(&page, login);
        next = (reqwest::Method::POST, base.join(&action).unwrap().to_string(), fields);
    }
    panic!("the provider never sent the browser back to the app");
}

async fn userinfo_status(issuer: &str, token: &str) -> u16 {
    support::bearer_status(&format!("{issuer}/me"), token).await
}

async fn refresh_status(issuer: &str, refresh_token: &str) -> u16 {
    support::http_client()
        .post(format!("{issuer}/token"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", CLIENT_ID)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn app_against(issuer: &str) -> (AuthService, Vault) {
    let vault = Vault::with_service(format!("cn.gov.beijing.shiye.interop-{}", uuid::Uuid::now_v7()));
    let auth =
        AuthService::new(ApiClient::new(Config::with_api_base(issuer).unwrap()).unwrap(), vault.clone());
    (auth, vault)
}

/// Login, a refresh after the access token lapsed, and a logout after which the provider refuses
/// both tokens, with ID tokens signed by `alg`.
async fn whole_session(alg: &str) {
    let op = provider(alg).await;
    let (auth, vault) = app_against(&op.issuer);
    let session = auth
        .login_with_browser(Duration::from_secs(60), |url| {
            // The app found the provider's own authorization endpoint through discovery.
            assert!(url.as_str().starts_with(&format!("{}/auth?", op.issuer)), "{url}");
            tokio::spawn(scripted_browser(url.to_string(), "zhangsan"));
            Ok(())
        })
        .await
        .unwrap_or_else(|e| panic!("{alg}: the app's login failed: {e}"));
    assert_eq!((session.subject.as_str(), session.name.as_str()), ("zhangsan", "张三"), "{alg}");
    let first = vault.tokens().unwrap();
    let first_refresh = first.refresh_token.clone().expect("offline_access asked for, a refresh token given");

    // The access token lapses at the provider; the app's next call refreshes it.
    tokio::time::sleep(Duration::from_secs(ACCESS_TTL_SECS + 1)).await;
    assert_eq!(userinfo_status(&op.issuer, &first.access_token).await, 401, "{alg}: lapsed at the provider");
    let fresh = auth.access_token().await.unwrap_or_else(|e| panic!("{alg}: refresh failed: {e}"));
    assert_ne!(fresh, first.access_token);
    assert_eq!(userinfo_status(&op.issuer, &fresh).await, 200, "{alg}: the refreshed token works");
    assert_eq!(auth.current_session().await.unwrap().subject, "zhangsan");
    let kept = vault.tokens().unwrap();
    let refresh = kept.refresh_token.clone().unwrap();
    assert_ne!(refresh, first_refresh, "{alg}: the rotated refresh token is kept");
    assert_eq!(userinfo_status(&op.issuer, &kept.access_token).await, 200);

    // 退出登录: the provider refuses both tokens afterwards, and the keyring holds none.
    auth.logout().await.unwrap();
    assert!(matches!(vault.tokens(), Err(shiye::Error::NotLoggedIn)));
    assert_eq!(userinfo_status(&op.issuer, &kept.access_token).await, 401, "{alg}: access token revoked");
    assert_eq!(refresh_status(&op.issuer, &refresh).await, 400, "{alg}: refresh token revoked");
    // (Only now: presenting a rotated refresh token makes the provider end the whole grant, which
    // would have hidden whether the logout revoked anything.)
    assert_eq!(refresh_status(&op.issuer, &first_refresh).await, 400, "{alg}: rotated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_refresh_and_logout_with_rs256() {
    whole_session("RS256").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_refresh_and_logout_with_eddsa() {
    whole_session("EdDSA").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_refresh_and_logout_with_es256_and_ps256() {
    whole_session("ES256").await;
    whole_session("PS256").await;
}

/// A provider that is not the configured issuer, or no provider at all at that address, is
/// reported as what it is, never as a network failure, and nothing is kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_that_is_not_the_configured_one_is_refused_as_such() {
    let op = provider("RS256").await;
    // The same provider under another name: its discovery document names another issuer.
    let other_name = op.issuer.replace("127.0.0.1", "localhost");
    let dir = tempfile::tempdir().unwrap();
    let (service, _server) =
        support::serve_at(std::net::SocketAddr::from(([127, 0, 0, 1], 0)), &dir.path().join("s.sqlite"))
            .await;
    // A server that answers, but is not an identity provider at this path.
    let not_a_provider = format!("{service}/no-such-issuer");
    for issuer in [other_name, not_a_provider] {
        let (auth, vault) = app_against(&issuer);
        let err = auth
            .login_with_browser(Duration::from_secs(5), |_| panic!("no page is opened"))
            .await
            .unwrap_err();
        assert!(matches!(err, shiye::Error::Provider(_)), "{issuer}: {err}");
        let shown = shiye_core::CommandError::from(&err);
        assert_ne!(shown.kind, shiye_core::ErrorKind::Network, "{issuer}: {}", shown.message);
        assert!(matches!(vault.tokens(), Err(shiye::Error::NotLoggedIn)));
    }
}

/// Runs a certified relying party's script against a fresh reference server; it prints "ok".
async fn certified_client(program: &str, script: &str, env: (&str, PathBuf)) {
    let dir = tempfile::tempdir().unwrap();
    let (base, _server) =
        support::serve_at(std::net::SocketAddr::from(([127, 0, 0, 1], 0)), &dir.path().join("s.sqlite"))
            .await;
    let person = &shiye_server::persons::SEEDS[0];
    let out = tokio::process::Command::new(program)
        .arg(interop_script(script))
        .arg(&base)
        .env(env.0, env.1)
        .env("ID_NUMBER", person.id_number())
        .env("PASSWORD", shiye_server::persons::DEMO_PASSWORD)
        .output()
        .await
        .expect("the client runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && stdout.trim() == "ok", "{script} failed:\n{stdout}\n{stderr}");
}

/// npm `openid-client` (an OpenID Certified relying party) against the reference provider: login
/// with its own ID-token checks (RS256), userinfo, refresh rotation, revocation, `prompt=none`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_completes_login_refresh_and_revocation_with_the_reference_provider() {
    certified_client("node", "openid-client.mjs", ("OPENID_CLIENT_DIR", npm_package("openid-client"))).await;
}

/// PyPI `oic` (pyoidc, an OpenID Certified relying party) against the reference provider: login
/// with its ID-token verification (RS256 from the JWKS), userinfo, refresh, revocation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyoidc_completes_login_refresh_and_revocation_with_the_reference_provider() {
    let python = tools().join("python");
    assert!(python.join("oic").exists(), "{} has no pyoidc: run `cargo xtask setup`", python.display());
    certified_client("python3", "pyoidc.py", ("PYTHONPATH", python)).await;
}

/// The service API trusts an identity platform it does not run: the app logs in at
/// `oidc-provider`, and the reference server, told to trust that issuer, accepts the platform's
/// access token at `/api/v1/me` (checked by RFC 7662 introspection with the service's own client)
/// and answers with the person it holds under the platform's subject; a token the platform does
/// not vouch for, or one revoked at logout, is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_api_serves_a_person_logged_in_at_an_external_platform() {
    let op = provider("RS256").await;
    let dir = tempfile::tempdir().unwrap();
    let mut server = shiye_server::Server::bind(
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        &dir.path().join("s.sqlite"),
    )
    .await
    .unwrap();
    server
        .trust_issuer(shiye_server::external::TrustedIssuer {
            issuer: op.issuer.clone(),
            client_id: "shiye-service".into(),
            client_secret: "interop-introspection-secret".into(),
        })
        .unwrap();
    let service = server.base_url();
    tokio::spawn(server.run(std::future::pending()));

    let person = &shiye_server::persons::SEEDS[0];
    let vault = Vault::with_service(format!("cn.gov.beijing.shiye.interop-{}", uuid::Uuid::now_v7()));
    let mut config = Config::with_api_base(&service).unwrap();
    config.issuer = op.issuer.clone();
    let auth = AuthService::new(ApiClient::new(config).unwrap(), vault.clone());
    auth.login_with_browser(Duration::from_secs(60), |url| {
        tokio::spawn(scripted_browser(url.to_string(), person.subject));
        Ok(())
    })
    .await
    .unwrap();
    let token = auth.access_token().await.unwrap();
    let profile = auth.api().profile(&token).await.unwrap();
    assert_eq!(profile.user.name, person.name, "the service's own record of the person");
    assert_eq!(profile.user.sub, person.subject);

    let me = |t: String| {
        let url = format!("{service}/api/v1/me");
        async move { support::http_client().get(url).bearer_auth(t).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(me("not-a-token-of-anyone".into()).await, 401);
    auth.logout().await.unwrap();
    assert_eq!(me(token).await, 401, "revoked at the platform, refused by the service");
}
