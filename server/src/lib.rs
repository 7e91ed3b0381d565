//! shiye-server: the reference remote API and identity provider that defines the contract the
//! app syncs to (DESIGN.md §4). A library (`app(state) -> Router`) so tests drive it over real
//! HTTP on loopback; `main.rs` is a thin CLI over it.

pub mod db;
pub mod error;
pub mod html;
pub mod login_page;
pub mod oidc;
pub mod persons;
pub mod secrets;
pub mod server;
pub mod state;

pub use error::{Error, Result};
pub use server::{app, Server};
pub use state::AppState;
