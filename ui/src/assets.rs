//! Data files the UI loads from the app's own assets instead of carrying them in its wasm: Beijing's
//! divisions while the shell answers the start, installed before any page that uses them (every
//! form and check of an address does; the login page does not and is shown without waiting), the
//! rest — 户籍地's whole-country table, the pinyin readings, the occupation catalogue, the banks —
//! after the first page is painted. Until a table is installed its lookups find nothing and
//! its codes are checked for their shape only; the shell checks against its own compiled-in copies.

use shiye_core::reference::{banks, divisions, occupations, pinyin, regions};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A fetch of one of the app's files, already sent: the request runs while the page does other
/// work, and `text` waits for its body.
pub struct Pending(Option<JsFuture>);

impl Pending {
    pub fn send(path: &str) -> Pending {
        Pending(web_sys::window().map(|w| JsFuture::from(w.fetch_with_str(path))))
    }

    pub async fn text(self) -> Option<String> {
        let response: web_sys::Response = self.0?.await.ok()?.dyn_into().ok()?;
        if !response.ok() {
            return None;
        }
        JsFuture::from(response.text().ok()?).await.ok()?.as_string()
    }
}

/// What arrives before the table it is checked against is in — the shell's published data before
/// the divisions' file —: held (the latest only) until the table is, then passed straight on.
pub struct UntilInstalled<T>(RefCell<Option<Option<T>>>);

impl<T> Default for UntilInstalled<T> {
    fn default() -> Self {
        UntilInstalled(RefCell::new(Some(None)))
    }
}

impl<T> UntilInstalled<T> {
    /// `value` to use now, or `None` when it is held for later.
    pub fn pass(&self, value: T) -> Option<T> {
        match self.0.borrow_mut().as_mut() {
            Some(waiting) => {
                *waiting = Some(value);
                None
            }
            None => Some(value),
        }
    }

    /// The table is in (or will not be): from now on values pass; the one held, if any.
    pub fn open(&self) -> Option<T> {
        self.0.borrow_mut().take().flatten()
    }
}

/// Installs Beijing's districts and streets from a fetch sent earlier. Returns whether the table
/// is now in use.
pub async fn install_divisions(fetch: Pending) -> bool {
    fetch.text().await.is_some_and(|text| divisions::install_file(&text))
}

/// The divisions' fetch, sent at once.
pub fn fetch_divisions() -> Pending {
    Pending::send(divisions::FILE_NAME)
}

/// A data file's name and how its text is installed.
type Loader = (&'static str, fn(&str) -> bool);

/// Fetches and installs the tables the first page does not need: 户籍地's provinces, cities and
/// counties, the pinyin readings, the occupation catalogue (岗位名称) and the banks with their card
/// prefixes (开户行). A file that does not arrive leaves its table out (its codes are checked for
/// their shape only; the shell checks against its own copy).
pub async fn load_the_rest() {
    let files: [Loader; 4] = [
        (regions::FILE_NAME, regions::install),
        (pinyin::FILE_NAME, pinyin::install),
        (occupations::FILE_NAME, occupations::install),
        (banks::FILE_NAME, banks::install),
    ];
    // All four requests are sent at once, then each is installed as it is read.
    let sent: Vec<_> = files.iter().map(|(name, _)| Pending::send(name)).collect();
    for (fetch, (_, install)) in sent.into_iter().zip(files) {
        if let Some(text) = fetch.text().await {
            install(&text);
        }
    }
    // 岗位名称's index, built now rather than at the person's first keystroke, and its search run
    // once for each letter a query can begin with: the engine compiles the search's code on its
    // first runs (and again, faster, once it is hot), which the first keystrokes would pay.
    if let Some(index) = occupations::index() {
        for letter in 'a'..='z' {
            index.search(letter.encode_utf8(&mut [0; 4]), 10);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UntilInstalled;

    #[test]
    fn what_comes_before_the_table_waits_for_it_and_the_rest_passes() {
        let gate = UntilInstalled::default();
        assert_eq!(gate.pass(1), None, "held");
        assert_eq!(gate.pass(2), None, "the newer replaces it");
        assert_eq!(gate.open(), Some(2));
        assert_eq!(gate.pass(3), Some(3), "passed straight on once open");
        assert_eq!(gate.open(), None);
        assert_eq!(UntilInstalled::<u8>::default().open(), None, "nothing came early");
    }
}
