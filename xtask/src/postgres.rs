//! A throwaway PostgreSQL server for the test run, from Debian's `postgresql` package: `initdb` in
//! a temporary folder, `pg_ctl start` on a free loopback port, trust authentication, and `pg_ctl
//! stop` (and the folder removed) when dropped. PostgreSQL refuses to run as root, so under root
//! its commands run as the package's `postgres` user.

use crate::proc::{cmd, output, run, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TempPostgres {
    dir: PathBuf,
    bin: PathBuf,
    as_root: bool,
    port: u16,
}

/// The newest installed server's `bin` folder, e.g. `/usr/lib/postgresql/15/bin`.
fn bin_dir() -> Result<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| {
            "PostgreSQL is not installed (Debian package postgresql; `cargo xtask setup`)".to_string()
        })?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| "no initdb under /usr/lib/postgresql".into())
}

fn free_port() -> Result<u16> {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(probe.local_addr().map_err(|e| e.to_string())?.port())
}

impl TempPostgres {
    /// For the tests: durability is not under test, fsync is off.
    pub fn start() -> Result<TempPostgres> {
        Self::start_with(false)
    }

    /// For the benchmarks: fsync and synchronous commit on, as a deployment runs (and as the
    /// SQLite figures are taken), so that the two are compared alike.
    pub fn start_durable() -> Result<TempPostgres> {
        Self::start_with(true)
    }

    fn start_with(durable: bool) -> Result<TempPostgres> {
        let bin = bin_dir()?;
        let as_root = output("id", &["-u"]).as_deref() == Some("0");
        // Under /tmp, not the target folder: the `postgres` user must be able to reach it.
        let dir = std::env::temp_dir().join(format!("shiye-test-postgres-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let pg = TempPostgres { dir, bin, as_root, port: free_port()? };
        if as_root {
            run(&mut cmd("chown", &["postgres:postgres", &pg.dir.to_string_lossy()]))?;
        }
        let data = pg.dir.join("data");
        run(&mut pg.tool(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "-N",
            ],
        ))?;
        // The benchmarks' server is set up as a small deployment would be: durable, and with a
        // quarter of a small machine's memory for its buffers.
        let (sync, buffers) = if durable { ("on", "2GB") } else { ("off", "128MB") };
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync={sync} -c synchronous_commit={sync} -c max_connections=200 -c max_wal_size=4GB -c shared_buffers={buffers}",
            pg.port,
            pg.dir.display()
        );
        run(&mut pg.tool(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-o",
                &options,
                "-l",
                &pg.dir.join("log").to_string_lossy(),
                "-w",
                "start",
            ],
        ))?;
        Ok(pg)
    }

    /// The superuser's URL on the maintenance database; tests create their own databases.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn tool(&self, name: &str, args: &[&str]) -> Command {
        let program = self.bin.join(name);
        let program = program.to_string_lossy();
        if self.as_root {
            let mut all = vec!["-u", "postgres", "--", &program];
            all.extend_from_slice(args);
            let mut c = cmd("runuser", &all);
            c.current_dir(&self.dir);
            c
        } else {
            cmd(&program, args)
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = run(&mut self.tool("pg_ctl", &["-D", &data.to_string_lossy(), "-m", "fast", "-w", "stop"]));
        let _ = std::fs::remove_dir_all(Path::new(&self.dir));
    }
}
