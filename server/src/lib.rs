//! shiye-server: the reference remote API and identity provider that defines the contract the
//! app syncs to (DESIGN.md §4). A library (`app(state) -> Router`) so tests drive it over real
//! HTTP on loopback; `main.rs` is a thin CLI over it.

pub mod applications;
pub mod audit;
pub mod auth;
pub mod case_file;
pub mod csrf;
pub mod db;
pub mod error;
pub mod external;
pub mod headers;
pub mod html;
pub mod id_token;
pub mod idempotency;
pub mod json;
pub mod login;
pub mod me;
pub mod nul;
pub mod oidc;
pub mod openapi;
pub mod persons;
pub mod records;
pub mod reference;
pub mod review;
pub mod seal;
pub mod secrets;
pub mod server;
pub mod sms;
pub mod state;
pub mod throttle;
pub mod token_store;
pub mod withdrawal;

pub use error::{Error, Result};
pub use server::{app, routes, Server};
pub use state::AppState;
