//! The router and the listening server: which paths exist, the layers every request passes
//! through, and binding, seeding and graceful shutdown.

use crate::state::AppState;
use crate::{db, oidc, persons};
use axum::routing::get;
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted anywhere (an application bundle is a few KB).
const BODY_LIMIT: usize = 256 * 1024;

pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/.well-known/openid-configuration", get(oidc::discovery))
        .route("/oauth/authorize", get(oidc::authorize_page).post(oidc::authorize_submit))
        .route("/oauth/token", axum::routing::post(oidc::token))
        .route("/oauth/userinfo", get(oidc::userinfo))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // Logs method, path and status only: query strings and bodies can carry personal data.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
        }))
        .with_state(state)
}

/// A bound, seeded server that has not started serving yet.
pub struct Server {
    listener: TcpListener,
    state: AppState,
}

impl Server {
    /// Binds `addr` (port 0 picks a free one), opens the database and seeds the demo persons.
    pub async fn bind(addr: SocketAddr, db_path: &Path) -> crate::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let db = db::open(db_path).await?;
        persons::seed(&db).await?;
        let state = AppState { db, issuer: format!("http://{local}").into() };
        Ok(Server { listener, state })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn base_url(&self) -> String {
        self.state.issuer.to_string()
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> crate::Result<()> {
        axum::serve(self.listener, app(self.state)).with_graceful_shutdown(shutdown).await?;
        Ok(())
    }
}
