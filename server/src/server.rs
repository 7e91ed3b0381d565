//! The router and the listening server: which paths exist, the layers every request passes
//! through, and binding, seeding and graceful shutdown.

use crate::db::Location;
use crate::seal::Sealer;
use crate::state::AppState;
use crate::{
    applications, case_file, db, headers, id_token, login, me, oidc, openapi, persons, records, reference,
    review, secrets, sms, withdrawal,
};
use axum::routing::{get, post, put, MethodRouter};
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Largest request body accepted anywhere (an application bundle is a few KB).
const BODY_LIMIT: usize = 256 * 1024;

type Handler = MethodRouter<AppState>;

/// Every route: its path, the methods it answers, and its handlers. The OpenAPI document is
/// checked against this list, and the list against the router, by the tests.
fn table() -> Vec<(&'static str, &'static [&'static str], Handler)> {
    vec![
        ("/healthz", &["get"], get(|| async { "ok" })),
        ("/.well-known/openid-configuration", &["get"], get(oidc::discovery)),
        ("/oauth/authorize", &["get", "post"], get(login::authorize_page).post(login::authorize_submit)),
        ("/oauth/token", &["post"], post(oidc::token)),
        ("/oauth/userinfo", &["get", "post"], get(oidc::userinfo).post(oidc::userinfo)),
        ("/oauth/revoke", &["post"], post(oidc::revoke)),
        ("/oauth/jwks", &["get"], get(id_token::jwks)),
        ("/api/openapi.json", &["get"], get(openapi::document)),
        ("/api/v1/me", &["get"], get(me::me)),
        ("/api/v1/applications", &["get", "post"], get(applications::list).post(applications::submit)),
        ("/api/v1/applications/{id}", &["get"], get(applications::get_one)),
        ("/api/v1/applications/{id}/record", &["get"], get(applications::record)),
        ("/api/v1/items/{case_number}/withdrawal", &["post"], post(withdrawal::withdraw)),
        ("/api/v1/sms-codes", &["post"], post(sms::request)),
        ("/api/v1/reference", &["get"], get(reference::reference)),
        ("/api/admin/items", &["get"], get(review::list_pending)),
        ("/api/admin/items/{case_number}", &["get"], get(case_file::show)),
        ("/api/admin/items/{case_number}/decision", &["post"], post(review::post_decision)),
        ("/api/admin/sms-outbox/{subject}", &["get"], get(sms::outbox)),
        ("/api/admin/reference/{table}", &["put"], put(reference::put_table)),
    ]
}

/// (path, methods) of every route.
pub fn routes() -> Vec<(&'static str, &'static [&'static str])> {
    table().into_iter().map(|(path, methods, _)| (path, methods)).collect()
}

pub fn app(state: AppState) -> Router {
    table()
        .into_iter()
        .fold(Router::new(), |router, (path, _, handler)| router.route(path, handler))
        .layer(axum::middleware::from_fn(headers::protect))
        .layer(axum::middleware::from_fn(crate::nul::refuse))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // Logs method, path, status and request id only: query strings and bodies can carry
        // personal data. The id is answered in `x-request-id` so a user's report can be traced.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// A bound, seeded server that has not started serving yet.
pub struct Server {
    listener: TcpListener,
    local: SocketAddr,
    state: AppState,
    admin_token_generated: bool,
}

impl Server {
    /// Binds `addr` (port 0 picks a free one), opens the database and seeds the demo persons.
    /// The sealing key is the file beside a SQLite database; PostgreSQL needs [`Server::bind_with`].
    pub async fn bind(addr: SocketAddr, db: impl Into<Location>) -> crate::Result<Self> {
        let location = db.into();
        let key_file = location
            .default_key_file()
            .ok_or_else(|| crate::Error::Config("PostgreSQL needs a sealing key file (--key-file)".into()))?;
        Self::bind_with(addr, location, &key_file).await
    }

    /// As [`Server::bind`], with the sealing key read from (or made in) `key_file`. Every
    /// instance on one PostgreSQL database must be given the same key.
    pub async fn bind_with(addr: SocketAddr, location: Location, key_file: &Path) -> crate::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let seal = Sealer::load_or_create(key_file)?;
        let db = db::open(&location).await?;
        let sealed = crate::seal::upgrade(&db, &seal).await?;
        if sealed > 0 {
            tracing::info!(sealed, "personal data stored before sealing is now sealed");
        }
        persons::seed(&db, &seal).await?;
        records::seed(&db, &seal).await?;
        let signers = id_token::signers(&db, &seal).await?;
        // The review API's token: given by the operator, or made up (and then printed at start).
        let given = std::env::var("SHIYE_ADMIN_TOKEN").ok().filter(|t| !t.is_empty());
        let admin_token_generated = given.is_none();
        let admin_token = given.unwrap_or_else(secrets::new_secret);
        let throttle_db = db.clone();
        let state = AppState {
            db,
            issuer: format!("http://{local}").into(),
            admin_token: admin_token.into(),
            seal: seal.into(),
            throttle: crate::throttle::Throttle::new(throttle_db),
            id_token_alg: id_token::Alg::Rs256,
            signers,
            external: None,
        };
        Ok(Server { listener, local, state, admin_token_generated })
    }

    /// The public issuer identifier (and base of every absolute URL the server hands out) instead
    /// of this instance's own address: every instance behind one load balancer is given the same,
    /// so that an ID token's `iss` and the discovery document do not depend on which instance
    /// answered. https, or http on loopback; no query or fragment; a trailing `/` is dropped.
    pub fn set_issuer(&mut self, issuer: &str) -> crate::Result<()> {
        let bad = |why: &str| crate::Error::Config(format!("--issuer {issuer}: {why}"));
        let url = url::Url::parse(issuer).map_err(|_| bad("not a URL"))?;
        let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        if !(url.scheme() == "https" || (url.scheme() == "http" && loopback)) {
            return Err(bad("must be https (http only on loopback)"));
        }
        if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
            return Err(bad("no query, fragment or user"));
        }
        self.state.issuer = issuer.trim_end_matches('/').into();
        Ok(())
    }

    /// Signs ID tokens with `alg` instead of RS256.
    pub fn sign_id_tokens_with(&mut self, alg: id_token::Alg) {
        self.state.id_token_alg = alg;
    }

    /// Accepts, at the service API, access tokens of `issuer` (checked by introspection) as well.
    pub fn trust_issuer(&mut self, issuer: crate::external::TrustedIssuer) -> crate::Result<()> {
        self.state.external = Some(crate::external::External::new(issuer)?);
        Ok(())
    }

    /// Approves items automatically once they have waited `after_secs` (demos only).
    pub fn auto_review(&self, after_secs: i64) {
        tokio::spawn(crate::review::auto_review(self.state.db.clone(), self.state.seal.clone(), after_secs));
    }

    pub fn admin_token(&self) -> String {
        self.state.admin_token.to_string()
    }

    /// Whether the admin token was made up at start (the operator gave none): only then is it
    /// printed, since an operator's own secret must not end up in a console log.
    pub fn admin_token_generated(&self) -> bool {
        self.admin_token_generated
    }

    /// The public base URL: the issuer.
    pub fn base_url(&self) -> String {
        self.state.issuer.to_string()
    }

    /// This instance's own address (the issuer unless one was set).
    pub fn local_url(&self) -> String {
        format!("http://{}", self.local)
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> crate::Result<()> {
        self.run_with(|router| router, shutdown).await
    }

    /// As [`Server::run`], serving the router as `wrap` makes it (an embedding program's own
    /// layer around every route, e.g. the tests' check of each answer against the contract).
    pub async fn run_with(
        self,
        wrap: impl FnOnce(Router) -> Router,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> crate::Result<()> {
        let db = self.state.db.clone();
        // The peer address feeds the throttling of password guesses per client.
        let service = wrap(app(self.state)).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await?;
        // A clean stop leaves SQLite's data in its file alone.
        db::checkpoint(&db).await?;
        db.close().await;
        Ok(())
    }
}
