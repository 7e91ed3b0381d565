//! shiye-core: the project's vocabulary. Pure domain code with no I/O, compiled for wasm32 (the UI)
//! and natively (the app shell and the reference server), so that a rule or a wire type is written
//! once and means the same thing everywhere.

pub mod api;
pub mod benefit;
pub mod cn;
pub mod code;
pub mod date;
pub mod display;
pub mod error;
pub mod forms;
pub mod ipc;
pub mod notices;
pub mod oidc;
pub mod options;
pub mod person;
pub mod policy;
pub mod records;
pub mod reference;
pub mod registration;
pub mod served;
pub mod services;
mod tagged;

#[cfg(test)]
mod fixtures;

pub use error::{CommandError, ErrorKind};
