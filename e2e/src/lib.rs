//! Nothing to link: the crate's tests are in `tests/` (see Cargo.toml).
