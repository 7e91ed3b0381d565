//! A table the server published, put in use in this process over the bundled snapshot: one slot
//! per table, read often and written at a publish (or when the device's held copy is installed).

use std::sync::{Arc, RwLock};

pub struct Served<T>(RwLock<Option<Arc<T>>>);

impl<T> Served<T> {
    pub const fn new() -> Self {
        Served(RwLock::new(None))
    }

    /// The published table in use, if one was installed.
    pub fn get(&self) -> Option<Arc<T>> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Puts a table in use (`None`: back to the bundled snapshot).
    pub fn set(&self, table: Option<T>) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = table.map(Arc::new);
    }

    /// Puts a published table in use if `check` passes; otherwise the one in use stays, and why
    /// is returned.
    pub fn install(&self, table: T, check: impl FnOnce(&T) -> Result<(), String>) -> Result<(), String> {
        check(&table)?;
        self.set(Some(table));
        Ok(())
    }

    /// The table in use: the published one once installed, else `bundled()`.
    pub fn or_bundled(&self, bundled: impl FnOnce() -> T) -> T
    where
        T: Clone,
    {
        self.get().map(|t| T::clone(&t)).unwrap_or_else(bundled)
    }
}

impl<T> Default for Served<T> {
    fn default() -> Self {
        Self::new()
    }
}
