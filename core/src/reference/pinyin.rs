//! The toneless pinyin readings of the characters the pickers search (`core/data/pinyin.txt`, one
//! `character<TAB>readings` line each, readings separated by '|', sorted by character), written
//! from crates.io ib-matcher 0.4's data by `core/tests/pinyin_table.rs`: the few characters the
//! searched names use, not a whole-Unicode table. The shell and the server compile the file in
//! (feature `pinyin`); the UI's wasm does not, and installs the same file from the app's assets after
//! its first page, as it does the tables searched. Until then, names match by their characters only.

use super::data_file::DataFile;

/// The file's name among the UI's assets.
pub const FILE_NAME: &str = "pinyin.txt";

#[cfg(feature = "pinyin")]
const BUNDLED: Option<&str> = Some(include_str!("../../data/pinyin.txt"));
#[cfg(not(feature = "pinyin"))]
const BUNDLED: Option<&str> = None;

/// The most bytes of one reading ("zhuang").
pub const LONGEST_READING: usize = 6;

/// Reads the file's lines; `None` unless each is one character and lower-case ASCII readings no
/// longer than `LONGEST_READING`, in character order.
fn parse(text: &'static str) -> Option<Vec<(char, &'static str)>> {
    let mut out: Vec<(char, &'static str)> = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let (c, readings) = line.split_once('\t')?;
        let mut chars = c.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else { return None };
        let well_formed = readings.split('|').all(|r| {
            !r.is_empty() && r.len() <= LONGEST_READING && r.bytes().all(|b| b.is_ascii_lowercase())
        });
        if !well_formed || out.last().is_some_and(|(last, _)| *last >= c) {
            return None;
        }
        out.push((c, readings));
    }
    (!out.is_empty()).then_some(out)
}

static TABLE: DataFile<Vec<(char, &'static str)>> = DataFile::new(BUNDLED, parse);

/// Installs the readings from the file's text (the UI, once it has fetched it). Returns whether
/// the text was a table and is now the one in use. The text is kept for the program's life.
pub fn install(text: &str) -> bool {
    TABLE.install(text)
}

/// Whether the readings are in (names match by their characters only before).
pub fn loaded() -> bool {
    !table().is_empty()
}

fn table() -> &'static [(char, &'static str)] {
    TABLE.get().map(Vec::as_slice).unwrap_or(&[])
}

/// The toneless readings of `c` ("hang|xing" for 行), if the searched names use it.
pub fn readings(c: char) -> Option<&'static str> {
    let t = table();
    t.binary_search_by_key(&c, |(k, _)| *k).ok().map(|i| t[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "pinyin")]
    #[test]
    fn the_bundled_readings() {
        assert!(table().len() > 1000);
        assert_eq!(readings('行').map(|r| r.split('|').any(|r| r == "xing")), Some(true));
        assert_eq!(readings('a'), None);
    }

    #[test]
    fn a_malformed_file_is_refused() {
        assert!(parse("七\tqi\n万\tmo|wan\n").is_some());
        assert!(parse("万\twan\n七\tqi\n").is_none(), "out of order");
        assert!(
            parse("七\tQi\n").is_none() && parse("七\tqi||\n").is_none() && parse("七\tzhuangzh\n").is_none()
        );
        assert!(parse("七八\tqi\n").is_none() && parse("七 qi\n").is_none() && parse("").is_none());
    }
}
