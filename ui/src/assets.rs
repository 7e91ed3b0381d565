//! Data files the UI loads from the app's own assets instead of carrying them in its wasm.

use shiye_core::reference::{banks, occupations, regions};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

async fn fetch_text(path: &str) -> Option<String> {
    let window = web_sys::window()?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(path)).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}

/// Fetches and installs China's provinces, cities and counties (for 户籍地). Returns whether the
/// table is now in use.
pub async fn load_regions() -> bool {
    match fetch_text(regions::FILE_NAME).await {
        Some(text) => regions::install(&text),
        None => false,
    }
}

/// Fetches and installs the occupation catalogue (for 岗位名称). Returns whether it is now in use.
pub async fn load_occupations() -> bool {
    match fetch_text(occupations::FILE_NAME).await {
        Some(text) => occupations::install(&text),
        None => false,
    }
}

/// Fetches and installs the banks and card prefixes (开户行). Returns whether they are now in use.
pub async fn load_banks() -> bool {
    match fetch_text(banks::FILE_NAME).await {
        Some(text) => banks::install(&text),
        None => false,
    }
}
