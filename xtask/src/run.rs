//! `cargo xtask run`: the reference server on 127.0.0.1 with seeded demo persons, and the app
//! pointed at it. Closing the app (or Ctrl-C) stops both.

use crate::artifacts::{build_native, build_ui, debug_bin};
use crate::paths;
use crate::proc::Result;
use crate::setup::{setup, Scope};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

const SERVER_ADDR: &str = "127.0.0.1:8710";

pub fn run() -> Result {
    setup(Scope::BuildAndTest)?;
    build_ui()?;
    build_native()?;
    let data = paths::root().join("data");
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    let db = data.join("shiye-server.sqlite");
    let mut server = Command::new(debug_bin("shiye-server"))
        .args(["serve", "--addr", SERVER_ADDR, "--db"])
        .arg(&db)
        .spawn()
        .map_err(|e| format!("cannot start shiye-server: {e}"))?;
    let addr: SocketAddr = SERVER_ADDR.parse().map_err(|e| format!("{e}"))?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if Instant::now() > deadline || server.try_wait().ok().flatten().is_some() {
            let _ = server.kill();
            return Err(format!("shiye-server did not start on {SERVER_ADDR} (is the port taken?)"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("▶ starting the app against http://{SERVER_ADDR}");
    let app =
        Command::new(debug_bin("shiye")).env("SHIYE_API_BASE", format!("http://{SERVER_ADDR}")).status();
    let _ = server.kill();
    let _ = server.wait();
    match app {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("the app exited with {s}")),
        Err(e) => Err(format!("cannot start the app: {e}")),
    }
}
