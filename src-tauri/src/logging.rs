//! The operators' log: tauri-plugin-log writing to the app's log folder, rotated (5 files of
//! 1 MB), at info level. Lines are written to carry no personal data (subjects, counts and error
//! kinds only); as a second guard every line passes `redact`, which masks any run of eleven or
//! more digits (ID, phone and card numbers) before it is written.

use tauri::plugin::TauriPlugin;
use tauri::Runtime;
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

/// The line the UI's first screen writes (`ui_ready`): `cargo xtask bench` times a start to it.
pub const UI_READY: &str = "ui: first screen ready";

/// The line written when Tauri's setup is done and the window's page can load: `cargo xtask
/// bench` splits a start there (the shell's own start, then the page's).
pub const SET_UP: &str = "shell set up, the page loads";

/// Longest digit run left as it is: eleven and more is a phone, an ID or a card number.
const LONGEST_KEPT_DIGITS: usize = 10;

pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir { file_name: None }))
        .target(Target::new(TargetKind::Stderr))
        .level(log::LevelFilter::Info)
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .format(|out, message, record| {
            out.finish(format_args!(
                "{} {} {}",
                record.level(),
                record.target(),
                redact(&message.to_string())
            ))
        })
        .build()
}

/// Masks every run of more than ten digits (an `X` check character included) with `*`.
pub fn redact(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().filter(char::is_ascii_digit).count() > LONGEST_KEPT_DIGITS {
            out.extend(run.chars().map(|_| '*'));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in line.chars() {
        if c.is_ascii_digit() || (matches!(c, 'X' | 'x') && !run.is_empty()) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn long_digit_runs_are_masked_short_ones_kept() {
        assert_eq!(redact("id 11010519491231002X ok"), "id ****************** ok");
        assert_eq!(
            redact("phone 13800138000, card 6222020200112233445"),
            "phone ***********, card *******************"
        );
        assert_eq!(redact("HTTP 503 after 2 tries, 1234567890"), "HTTP 503 after 2 tries, 1234567890");
    }
}
