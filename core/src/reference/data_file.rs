//! A table bundled as a data file under `core/data/`: compiled in where its feature is on (the
//! shell and the server), else installed once from the file's text (the UI, which fetches it from
//! the app's assets instead of carrying it in its wasm). One mechanism for every such table.

use std::sync::OnceLock;

pub struct DataFile<T: 'static> {
    /// The compiled-in text, where the table's feature is on.
    bundled: Option<&'static str>,
    /// Reads the text; `None` unless it is a usable table.
    parse: fn(&'static str) -> Option<T>,
    table: OnceLock<Option<T>>,
}

impl<T> DataFile<T> {
    pub const fn new(bundled: Option<&'static str>, parse: fn(&'static str) -> Option<T>) -> Self {
        DataFile { bundled, parse, table: OnceLock::new() }
    }

    /// Installs the table from the file's text, kept for the program's life. Returns whether the
    /// text was a table and is now the one in use (once: a compiled-in or installed table stays).
    pub fn install(&self, text: &str) -> bool {
        let text: &'static str = Box::leak(text.to_owned().into_boxed_str());
        match (self.parse)(text) {
            Some(table) => self.table.set(Some(table)).is_ok(),
            None => false,
        }
    }

    /// The table: the compiled-in one (read at first use), else the installed one; `None` before
    /// a file is installed, or when the compiled-in text is not a table.
    pub fn get(&self) -> Option<&T> {
        match self.bundled {
            Some(text) => self.table.get_or_init(|| (self.parse)(text)).as_ref(),
            None => self.table.get()?.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DataFile;

    fn lines(text: &'static str) -> Option<Vec<&'static str>> {
        let v: Vec<_> = text.lines().collect();
        (!v.is_empty() && v.iter().all(|l| !l.contains(' '))).then_some(v)
    }

    #[test]
    fn installed_once_or_compiled_in() {
        let file = DataFile::new(None, lines);
        assert_eq!(file.get(), None, "nothing before the file is installed");
        assert!(!file.install("not a table"), "a text that is not a table is refused");
        assert!(file.install("a\nb"));
        assert!(!file.install("c"), "installed once");
        assert_eq!(file.get().map(Vec::len), Some(2));
        let compiled = DataFile::new(Some("x\ny\nz"), lines);
        assert_eq!(compiled.get().map(Vec::len), Some(3));
        assert!(!compiled.install("a"), "a compiled-in table stays");
    }
}
