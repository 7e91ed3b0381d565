//! Load on the reference server over real HTTP on loopback: 20 concurrent clients, each submitting
//! one 求职登记 for each of its persons (every one accepted), on SQLite and on PostgreSQL (when
//! `SHIYE_TEST_POSTGRES` names a server) side by side; then the same with every person carrying
//! 10 and then 10,000 prior applications, to show intake does not grow with a person's history.
//! Prints figures; asserts no time. Under `cargo test` (no `--bench`) it runs a small smoke size.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use shiye_server::db::{self, Location};
use shiye_server::persons::Seed;
use shiye_server::seal::Sealer;
use shiye_server::token_store::{store, Grant};
use shiye_server::{secrets, Server};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

const CLIENTS: usize = 20;

struct Size {
    persons: usize,
    histories: [usize; 2],
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Persons `bench-0…`, each with an access token and `prior` decided applications, written
/// straight into the store; returns their tokens.
async fn prepare(
    location: &Location,
    key_file: &Path,
    persons: usize,
    prior: usize,
    tag: &str,
) -> Vec<String> {
    let pool = db::open(location).await.unwrap();
    let seal = Sealer::load_or_create(key_file).unwrap();
    let records = shiye_core::records::Records { beijing_hukou: true, ..Default::default() };
    let mut tokens = Vec::new();
    for i in 0..persons {
        let subject = leak(format!("bench-{tag}-{i}"));
        let seed = Seed {
            subject,
            id_type: shiye_core::person::IdType::ResidentIdCard,
            name: "测试",
            id_head: leak(format!("1101051980{:07}", i)),
            phone: leak(format!("170{:08}", i)),
            persona: "bench",
        };
        shiye_server::persons::insert(&pool, &seal, &seed, "not-a-hash").await.unwrap();
        let mut tx = db::write(&pool).await.unwrap();
        shiye_server::records::save(&mut tx, &seal, subject, &records, None).await.unwrap();
        let token = secrets::new_secret();
        let family = secrets::hash(subject);
        let grant = Grant { subject, client_id: "shiye-app", scope: "openid profile", family: &family };
        store(&mut tx, &token, "access", &grant, 3600).await.unwrap();
        for h in 0..prior {
            let id = format!("{subject}-h{h}");
            sqlx::query(
                "INSERT INTO applications (id, subject, bundle, answers_json, submitted_at, submitted_unix, seq)
                 VALUES ($1, $2, 'job_seeking', '{}', '2026-01-01T00:00:00+08:00', 0, 0)",
            )
            .bind(&id)
            .bind(subject)
            .execute(&mut *tx)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO items (case_number, application_id, position, item, status, subject)
                 VALUES ($1, $1, 0, 'job_seeking', 'approved', $2)",
            )
            .bind(&id)
            .bind(subject)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        tokens.push(token);
    }
    pool.close().await;
    tokens
}

struct Figures {
    requests: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    not_accepted: usize,
}

/// Each of the 20 clients submits for its share of the persons, one after another.
async fn load(base: &str, tokens: &[String]) -> Figures {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let answers = shiye_core::forms::samples::job_seeking("80");
    let body =
        serde_json::json!({ "schema_version": shiye_core::api::DRAFT_SCHEMA_VERSION, "answers": answers });
    let started = Instant::now();
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let mine: Vec<String> = tokens.iter().skip(c).step_by(CLIENTS).cloned().collect();
        let (http, base, body) = (http.clone(), base.to_string(), body.clone());
        clients.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for (i, token) in mine.iter().enumerate() {
                let t = Instant::now();
                let status = http
                    .post(format!("{base}/api/v1/applications"))
                    .bearer_auth(token)
                    .header("Idempotency-Key", format!("load-{c}-{i}"))
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .status();
                out.push((t.elapsed(), status.as_u16()));
            }
            out
        }));
    }
    let mut all = Vec::new();
    for c in clients {
        all.extend(c.await.unwrap());
    }
    let elapsed = started.elapsed();
    let mut latencies: Vec<Duration> = all.iter().map(|(d, _)| *d).collect();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Figures {
        requests: all.len(),
        per_second: all.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        not_accepted: all.iter().filter(|(_, s)| *s != 201).count(),
    }
}

async fn run(location: Location, key_file: &Path, persons: usize, prior: usize, tag: &str) -> Figures {
    let tokens = prepare(&location, key_file, persons, prior, tag).await;
    let server = Server::bind_with(SocketAddr::from(([127, 0, 0, 1], 0)), location, key_file).await.unwrap();
    let base = server.base_url();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));
    let figures = load(&base, &tokens).await;
    let _ = stop.send(());
    let _ = task.await;
    figures
}

async fn postgres_database() -> Option<Location> {
    let admin = std::env::var("SHIYE_TEST_POSTGRES").ok()?;
    let name = format!("bench_{}", secrets::new_id());
    let pool = sqlx::PgPool::connect(&admin).await.ok()?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.ok()?;
    let (base, _) = admin.rsplit_once('/')?;
    Some(Location::Postgres(format!("{base}/{name}")))
}

fn row(label: &str, f: &Figures) {
    println!(
        "| {label} | {} | {:.0} | {:.1} | {:.1} | {} |",
        f.requests,
        f.per_second,
        f.p50.as_secs_f64() * 1000.0,
        f.p99.as_secs_f64() * 1000.0,
        f.not_accepted
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let size = if full {
        Size { persons: 400, histories: [10, 10_000] }
    } else {
        Size { persons: CLIENTS, histories: [1, 10] }
    };
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("bench.key");
    println!("\nserver load: {CLIENTS} concurrent clients, one accepted 求职登记 per person\n");
    println!("| store, prior applications per person | requests | per second | p50 ms | p99 ms | not 201 |");
    println!("| --- | --- | --- | --- | --- | --- |");
    // Each store's durability is part of its figure: SQLite runs synchronous = FULL (the server's
    // setting); PostgreSQL as its server was started (fsync on under `cargo xtask bench`).
    let mut stores =
        vec![("SQLite (synchronous FULL)".to_string(), Location::Sqlite(dir.path().join("fresh.sqlite")))];
    match postgres_database().await {
        Some(pg) => {
            let fsync = match &pg {
                Location::Postgres(url) => {
                    let pool = sqlx::PgPool::connect(url).await.unwrap();
                    let on: String = sqlx::query_scalar("SHOW fsync").fetch_one(&pool).await.unwrap();
                    pool.close().await;
                    on
                }
                Location::Sqlite(_) => unreachable!(),
            };
            stores.push((format!("PostgreSQL (fsync {fsync})"), pg))
        }
        None => {
            println!("(PostgreSQL left out: SHIYE_TEST_POSTGRES is not set; `cargo xtask bench` sets it)")
        }
    }
    for (name, location) in &stores {
        let f = run(location.clone(), &key, size.persons, 0, "fresh").await;
        row(&format!("{name}, 0"), &f);
        // A row of `cargo xtask bench`'s summary (the issue sets no goal for intake).
        println!(
            "bench-row\tserver intake, {CLIENTS} concurrent clients, {name}\t{:.0}/s, p99 {:.1} ms\t—\t—\t—",
            f.per_second,
            f.p99.as_secs_f64() * 1000.0
        );
    }
    // The history comparison: one person per client, each with a long history, on SQLite.
    let persons = CLIENTS;
    let mut history = Vec::new();
    for prior in size.histories {
        let location = Location::Sqlite(dir.path().join(format!("history-{prior}.sqlite")));
        let f = run(location, &key, persons, prior, "history").await;
        row(&format!("SQLite, {prior}"), &f);
        history.push(f.p50);
    }
    let ratio = history[1].as_secs_f64() / history[0].as_secs_f64().max(1e-9);
    println!(
        "\np50 with {} prior applications / with {}: {ratio:.2}× (goal: about 1×, intake independent of history)",
        size.histories[1], size.histories[0]
    );
}
