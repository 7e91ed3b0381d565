//! Helpers for the unit tests of the stores.

/// Opens a sled-backed store again right after the previous handle was dropped: sled's
/// flusher thread lets go of the file lock a moment later.
pub fn reopen<T>(open: impl Fn() -> crate::Result<T>) -> T {
    for _ in 0..100 {
        match open() {
            Ok(store) => return store,
            Err(crate::Error::Storage(_)) => std::thread::sleep(std::time::Duration::from_millis(20)),
            Err(e) => panic!("store does not open: {e}"),
        }
    }
    panic!("store still locked after 2 s")
}
