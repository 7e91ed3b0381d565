//! `shiye-server [serve] [--addr HOST:PORT] [--db FILE]`: the reference server for development,
//! tests and demos. `shiye-server seed --db FILE` only seeds. Both list the demo persons with their
//! ID numbers masked; `shiye-server demo-persons` prints the fictitious numbers to log in with, on
//! request only, so no server output or log carries a whole 证件号码.
//! `shiye-server review list|show CASE [--full]|approve CASE|reject CASE REASON|return CASE REASON
//! --db FILE` shows and decides items directly in the database, as a reviewer at the office would.
//! `shiye-server reference show TABLE | publish TABLE FILE [--dry-run] [--operator NAME] --db FILE`
//! shows a published table (or its bundled default) and publishes a new version of it: checked,
//! what changes printed, an audit line naming the operator; every running instance picks it up.

use shiye_server::db::Location;
use shiye_server::persons::{DEMO_PASSWORD, SEEDS};
use shiye_server::Server;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

struct Args {
    command: String,
    /// The words after `review` or `reference`.
    review: Vec<String>,
    addr: SocketAddr,
    db: Location,
    /// The sealing key file; by default beside a SQLite file, required for PostgreSQL.
    key_file: Option<PathBuf>,
    /// Approve items automatically after this many seconds (demos).
    auto_review: Option<i64>,
    id_token_alg: Option<shiye_server::id_token::Alg>,
    /// An identity platform whose access tokens the service API accepts too.
    trust_issuer: Option<String>,
    /// The public issuer every instance shares (required with PostgreSQL).
    issuer: Option<String>,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        command: "serve".into(),
        review: Vec::new(),
        addr: SocketAddr::from(([127, 0, 0, 1], 8710)),
        db: Location::parse("data/shiye-server.sqlite"),
        key_file: None,
        auto_review: None,
        id_token_alg: None,
        trust_issuer: None,
        issuer: std::env::var("SHIYE_ISSUER").ok().filter(|s| !s.is_empty()),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--addr" => {
                let v = it.next().ok_or("--addr needs HOST:PORT")?;
                args.addr = v.parse().map_err(|_| format!("--addr: not a socket address: {v}"))?;
            }
            "--db" => {
                args.db = Location::parse(&it.next().ok_or("--db needs a file path or a postgres:// URL")?)
            }
            "--key-file" => args.key_file = Some(it.next().ok_or("--key-file needs a file path")?.into()),
            "--auto-review" => {
                let v = it.next().ok_or("--auto-review needs seconds")?;
                args.auto_review = Some(v.parse().map_err(|_| format!("--auto-review: not a number: {v}"))?);
            }
            "--id-token-alg" => {
                let v = it.next().ok_or("--id-token-alg needs RS256 or EdDSA")?;
                let alg = shiye_server::id_token::Alg::parse(&v);
                args.id_token_alg = Some(alg.ok_or(format!("--id-token-alg: RS256 or EdDSA, not {v}"))?);
            }
            "--issuer" => args.issuer = Some(it.next().ok_or("--issuer needs the public issuer URL")?),
            "--trust-issuer" => {
                args.trust_issuer = Some(it.next().ok_or("--trust-issuer needs the issuer URL")?)
            }
            "-h" | "--help" => return Err(String::new()),
            _ if args.command == "review" || args.command == "reference" => args.review.push(a),
            "serve" | "seed" | "review" | "reference" | "demo-persons" => args.command = a,
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(args)
}

/// The demo persons, with their 证件号码 masked unless `whole` (the `demo-persons` command).
fn print_persons(whole: bool) {
    println!("演示用户（密码均为 {DEMO_PASSWORD}）：");
    for s in SEEDS {
        let id = if whole { s.id_number() } else { shiye_core::cn::id_number::mask(&s.id_number()) };
        println!("  {}  证件号码 {}  {}", s.name, id, s.persona);
    }
    if !whole {
        println!("登录所用的完整证件号码（虚构的演示数据）：shiye-server demo-persons");
    }
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
                "usage: shiye-server [serve|seed|demo-persons] [--addr 127.0.0.1:8710] [--db data/shiye-server.sqlite | --db postgres://… --key-file FILE] [--issuer URL] [--id-token-alg RS256|EdDSA] [--trust-issuer URL] [--auto-review SECS]"
            );
            return ExitCode::from(2);
        }
    };
    if args.command == "demo-persons" {
        print_persons(true);
        return ExitCode::SUCCESS;
    }
    if let Location::Sqlite(path) = &args.db {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Err(e) = std::fs::create_dir_all(dir) {
                eprintln!("cannot create {}: {e}", dir.display());
                return ExitCode::FAILURE;
            }
        }
    }
    if args.command == "reference" {
        return reference(&args).await;
    }
    let Some(key_file) = args.key_file.clone().or_else(|| args.db.default_key_file()) else {
        eprintln!("a PostgreSQL database needs --key-file FILE (the same file for every instance)");
        return ExitCode::from(2);
    };
    if args.command == "review" {
        return review(&args, &key_file).await;
    }
    if matches!(args.db, Location::Postgres(_)) && args.issuer.is_none() && args.command == "serve" {
        eprintln!("with PostgreSQL (several instances behind one address) every instance needs the same public issuer: --issuer https://… (or SHIYE_ISSUER)");
        return ExitCode::from(2);
    }
    let mut server = match Server::bind_with(args.addr, args.db.clone(), &key_file).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(issuer) = &args.issuer {
        if let Err(e) = server.set_issuer(issuer) {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    print_persons(false);
    println!("身份认证平台: {}/oauth/authorize", server.base_url());
    if args.command == "seed" {
        return ExitCode::SUCCESS;
    }
    if server.admin_token_generated() {
        println!("审核接口令牌（SHIYE_ADMIN_TOKEN）: {}", server.admin_token());
    } else {
        println!("审核接口令牌：使用环境变量 SHIYE_ADMIN_TOKEN 中的值");
    }
    if let Some(issuer) = args.trust_issuer {
        // The service's own client at the platform, for introspection: from the environment only.
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        let trusted = shiye_server::external::TrustedIssuer {
            issuer,
            client_id: var("SHIYE_TRUSTED_CLIENT_ID"),
            client_secret: var("SHIYE_TRUSTED_CLIENT_SECRET"),
        };
        if trusted.client_id.is_empty() {
            eprintln!("--trust-issuer needs SHIYE_TRUSTED_CLIENT_ID and SHIYE_TRUSTED_CLIENT_SECRET");
            return ExitCode::from(2);
        }
        if let Err(e) = server.trust_issuer(trusted) {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    if let Some(alg) = args.id_token_alg {
        server.sign_id_tokens_with(alg);
    }
    if let Some(secs) = args.auto_review {
        println!("自动审核：事项提交{secs}秒后自动通过（演示用）");
        server.auto_review(secs);
    }
    // The stop signals are taken before the server says it listens: a stop asked for at once is
    // a clean stop too (SIGINT from a terminal, SIGTERM from a service manager).
    let shutdown = stop_signal();
    println!("listening on {}", server.local_url());
    match server.run(shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn review(args: &Args, key_file: &std::path::Path) -> ExitCode {
    use shiye_server::review::{self, Action, Decision};
    let opened = async {
        Ok::<_, shiye_server::Error>((
            shiye_server::db::open(&args.db).await?,
            shiye_server::seal::Sealer::load_or_create(key_file)?,
        ))
    };
    let (db, seal) = match opened.await {
        Ok(v) => v,
        Err(e) => {
            eprintln!("cannot open the database: {e}");
            return ExitCode::FAILURE;
        }
    };
    let words: Vec<&str> = args.review.iter().map(String::as_str).collect();
    let decision = |action, reason: Option<&&str>| Decision { action, reason: reason.map(|r| r.to_string()) };
    let (case, d) = match words.as_slice() {
        ["list"] => {
            let mut conn = match db.acquire().await {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            match review::pending(&mut conn).await {
                Ok(items) => {
                    for i in items {
                        println!(
                            "{}  {}  {}",
                            i.state.case_number,
                            i.state.item.label_zh(),
                            i.state.status.label_zh()
                        );
                    }
                    return ExitCode::SUCCESS;
                }
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        ["show", case, rest @ ..] => return show(&db, &seal, case, rest == ["--full"]).await,
        ["start", case] => (case, decision(Action::StartReview, None)),
        ["approve", case] => (case, decision(Action::Approve, None)),
        ["reject", case, reason @ ..] if !reason.is_empty() => {
            (case, decision(Action::Reject, reason.first()))
        }
        ["return", case, reason @ ..] if !reason.is_empty() => {
            (case, decision(Action::Return, reason.first()))
        }
        _ => {
            eprintln!("usage: shiye-server review list|show CASE [--full]|start CASE|approve CASE|reject CASE REASON|return CASE REASON");
            return ExitCode::from(2);
        }
    };
    match review::decide(&db, &seal, case, &d, "cli").await {
        Ok(state) => {
            println!("{}  {}  {}", state.case_number, state.item.label_zh(), state.status.label_zh());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// `reference show TABLE` and `reference publish TABLE FILE [--dry-run] [--operator NAME]`.
async fn reference(args: &Args) -> ExitCode {
    use shiye_core::reference::snapshot::Table;
    use shiye_server::reference;
    let usage = || {
        let tables: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        eprintln!(
            "usage: shiye-server reference show TABLE | publish TABLE FILE [--dry-run] [--operator NAME] --db …\n  TABLE: {}",
            tables.join(" | ")
        );
        ExitCode::from(2)
    };
    let words: Vec<&str> = args.review.iter().map(String::as_str).collect();
    let flag = |name: &str| words.contains(&name);
    let operator = words
        .iter()
        .position(|w| *w == "--operator")
        .and_then(|i| words.get(i + 1))
        .map(|s| s.to_string())
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "operator".into());
    let positional: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| !w.starts_with("--") && (*i == 0 || words[i - 1] != "--operator"))
        .map(|(_, w)| *w)
        .collect();
    let (verb, table, file) = match positional.as_slice() {
        ["show", t] => ("show", *t, None),
        ["publish", t, f] => ("publish", *t, Some(*f)),
        _ => return usage(),
    };
    let Some(table) = Table::parse(table) else { return usage() };
    let db = match shiye_server::db::open(&args.db).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("cannot open the database: {e}");
            return ExitCode::FAILURE;
        }
    };
    if verb == "show" {
        return match reference::show(&db, table).await {
            Ok((version, source, body)) => {
                eprintln!("{}：第{version}版（0为内置默认数据）  来源：{source}", table.label_zh());
                println!("{body}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    let path = file.unwrap_or_default();
    let body = match std::fs::read_to_string(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match reference::publish(&db, table, &body, &operator, flag("--dry-run")).await {
        Ok(p) => {
            for line in &p.changes {
                println!("  {line}");
            }
            if p.changes.is_empty() {
                println!("  （与现行数据相同）");
            }
            let done = if p.dry_run { "试运行，未发布" } else { "已发布" };
            println!(
                "{}第{}版：{}处变化，{done}（操作人：{operator}）",
                table.label_zh(),
                p.version,
                p.changes.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

/// `review show CASE [--full]`: the case file a reviewer decides on (a full view is audited).
async fn show(
    db: &shiye_server::db::Pool,
    seal: &shiye_server::seal::Sealer,
    case: &str,
    full: bool,
) -> ExitCode {
    match shiye_server::case_file::load(db, seal, case, full, "cli").await {
        Ok(f) => {
            println!(
                "办件编号 {}  {}  {}",
                f.state.case_number,
                f.state.item.label_zh(),
                f.state.status.label_zh()
            );
            println!("申请 {}  提交时间 {}  申请人 {}", f.application_id, f.submitted_at, f.subject);
            let r = &f.records;
            println!(
                "记录：{}户籍  {}  缴费{}个月  {}",
                if r.beijing_hukou { "本市" } else { "非本市" },
                if r.registered { "已失业登记" } else { "未失业登记" },
                r.contribution.as_ref().map_or(0, |c| c.contribution_months),
                if r.benefit.is_some() { "正在领取失业保险金" } else { "未领取失业保险金" },
            );
            println!(
                "申请内容{}：",
                if full {
                    "（完整，已记入审计）"
                } else {
                    "（卡号已隐去，--full 查看完整内容）"
                }
            );
            println!("{}", serde_json::to_string_pretty(&f.answers).unwrap_or_default());
            println!("经过：");
            for h in f.history {
                println!("  {}  {}  {}  {}", h.at, h.actor, h.action, h.detail);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Completes at the first SIGINT or SIGTERM (Ctrl+C elsewhere); the handlers are in place when
/// this returns.
#[cfg(unix)]
fn stop_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{signal, SignalKind};
    let interrupt = signal(SignalKind::interrupt());
    let terminate = signal(SignalKind::terminate());
    async move {
        match (interrupt, terminate) {
            (Ok(mut i), Ok(mut t)) => {
                tokio::select! {
                    _ = i.recv() => {}
                    _ = t.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

#[cfg(not(unix))]
fn stop_signal() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
