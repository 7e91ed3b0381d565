//! What every handler shares: the database and the public address the server is reached at.

use crate::db::Pool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Pool,
    /// The issuer identifier and base of every absolute URL the server hands out, e.g.
    /// `http://127.0.0.1:8710` (no trailing slash).
    pub issuer: Arc<str>,
    /// Bearer token of the review (admin) API.
    pub admin_token: Arc<str>,
    /// Seals personal data at rest and makes the keyed lookup hashes.
    pub seal: Arc<crate::seal::Sealer>,
    /// Failed logins and SMS code requests, for throttling.
    pub throttle: crate::throttle::Throttle,
    /// What ID tokens are signed with (RS256 unless the operator chose EdDSA).
    pub id_token_alg: crate::id_token::Alg,
    /// The ID-token signing keys, read (or made) once at start: a login does not read and parse
    /// them again. Every instance's keys are in the JWKS, which reads the database.
    pub signers: crate::id_token::Signers,
    /// An identity platform whose access tokens the service API accepts besides its own.
    pub external: Option<crate::external::External>,
}
