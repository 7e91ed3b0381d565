//! Running commands: each step is echoed before it runs, and a failure names the command.

use std::process::{Command, Stdio};

pub type Result<T = ()> = std::result::Result<T, String>;

/// A command with the tool-aware `PATH` and the repository as working directory.
pub fn cmd(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(crate::paths::root()).env("PATH", crate::paths::path_with_tools());
    c
}

fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `c` with inherited output; fails unless it exits 0.
pub fn run(c: &mut Command) -> Result {
    eprintln!("\n▶ {}", describe(c));
    let status = c.status().map_err(|e| format!("cannot start `{}`: {e}", describe(c)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(c)))
    }
}

/// Runs `c`, echoing its output while keeping a copy; returns (success, combined output).
pub fn run_capture(c: &mut Command) -> Result<(bool, String)> {
    use std::io::{BufRead, BufReader};
    eprintln!("\n▶ {}", describe(c));
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(c)))?;
    let stderr = child.stderr.take();
    let err_thread = std::thread::spawn(move || {
        let mut kept = String::new();
        if let Some(s) = stderr {
            for line in BufReader::new(s).lines().map_while(std::result::Result::ok) {
                eprintln!("{line}");
                kept.push_str(&line);
                kept.push('\n');
            }
        }
        kept
    });
    let mut out = String::new();
    if let Some(s) = child.stdout.take() {
        for line in BufReader::new(s).lines().map_while(std::result::Result::ok) {
            println!("{line}");
            out.push_str(&line);
            out.push('\n');
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    out.push_str(&err_thread.join().unwrap_or_default());
    Ok((status.success(), out))
}

/// The trimmed standard output of a command, or `None` if it cannot run or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = cmd(program, args).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
