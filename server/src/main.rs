//! `shiye-server [serve] [--addr HOST:PORT] [--db FILE]`: the reference server for development,
//! tests and demos. `shiye-server seed --db FILE` only seeds and prints the demo persons.

use shiye_server::persons::{DEMO_PASSWORD, SEEDS};
use shiye_server::Server;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

struct Args {
    command: String,
    addr: SocketAddr,
    db: PathBuf,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        command: "serve".into(),
        addr: SocketAddr::from(([127, 0, 0, 1], 8710)),
        db: PathBuf::from("data/shiye-server.sqlite"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "serve" | "seed" => args.command = a,
            "--addr" => {
                let v = it.next().ok_or("--addr needs HOST:PORT")?;
                args.addr = v.parse().map_err(|_| format!("--addr: not a socket address: {v}"))?;
            }
            "--db" => args.db = it.next().ok_or("--db needs a file path")?.into(),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(args)
}

fn print_persons(base: &str) {
    println!("演示用户（密码均为 {DEMO_PASSWORD}）：");
    for s in SEEDS {
        println!("  {}  证件号码 {}  {}", s.name, s.id_number(), s.persona);
    }
    println!("身份认证平台: {base}/oauth/authorize");
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("{e}");
            }
            eprintln!(
                "usage: shiye-server [serve|seed] [--addr 127.0.0.1:8710] [--db data/shiye-server.sqlite]"
            );
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = args.db.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    let server = match Server::bind(args.addr, &args.db).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    print_persons(&server.base_url());
    if args.command == "seed" {
        return ExitCode::SUCCESS;
    }
    println!("listening on {}", server.base_url());
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match server.run(shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server error: {e}");
            ExitCode::FAILURE
        }
    }
}
