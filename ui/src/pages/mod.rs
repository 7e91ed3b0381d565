//! One module per screen.

pub mod applications;
pub mod drafts;
pub mod login;
pub mod notice;
pub mod receipt;
pub mod result;
pub mod services;
pub mod wizard;
