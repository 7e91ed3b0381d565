//! A city's volume on PostgreSQL. A database is filled (COPY) with fictitious persons — valid
//! GB 11643 numbers, sealed as the server seals them — each with three decided applications, and
//! one in a thousand with an item waiting for a reviewer; then 20 concurrent clients, each a person
//! of a sample, do what a person and a reviewer do: submit a 求职登记, read `/me`, read their list
//! of applications, read a page of the reviewer's queue. Every call is timed on its own (p50, p99,
//! per operation), side by side at 1,000 persons and at 1,000,000 (the ratio is the figure), and
//! at the city size with one and with two server instances on the database (the time spent taking
//! write locks tells whether writes queue behind each other). PostgreSQL runs with fsync on under
//! `cargo xtask bench`. Prints figures and `bench-row` lines; asserts no time. Under `cargo test`
//! (no `--bench`) it runs a smoke size.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use shiye_server::db::{self, Location};
use shiye_server::seal::{Lookup, Sealer};
use shiye_server::token_store::{store, Grant};
use shiye_server::{secrets, Server};
use sqlx::postgres::{PgPool, PgPoolCopyExt};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

const CLIENTS: usize = 20;
/// Decided applications per person already in the database.
const HISTORY: usize = 3;
/// One person in this many has an item waiting for a reviewer.
const WAITING_EVERY: usize = 1000;
/// Rows per COPY message.
const CHUNK: usize = 10_000;

/// The operations a client does in turn, in the order timed.
const OPERATIONS: [&str; 4] = ["intake", "me", "list", "queue page"];

/// A valid, fictitious 公民身份号码 for person `i` (birth dates over 1950–2004, 1000 a day).
fn id_number(i: usize) -> String {
    let day = shiye_core::date::Date::new(1950, 1, 1).unwrap().plus_days((i / 1000) as i64 % 20_000).unwrap();
    let head = format!("110105{:04}{:02}{:02}{:03}", day.year, day.month, day.day, i % 1000);
    format!("{head}{}", shiye_core::cn::id_number::check_char(&head).unwrap())
}

/// Sends `rows` (COPY text format, one line each) into `table`, a chunk at a time.
async fn copy(pool: &PgPool, table: &str, rows: impl Iterator<Item = String>) {
    let mut copy = pool.copy_in_raw(&format!("COPY {table} FROM STDIN")).await.unwrap();
    let mut buf = String::new();
    let mut n = 0;
    for row in rows {
        buf.push_str(&row);
        buf.push('\n');
        n += 1;
        if n % CHUNK == 0 {
            copy.send(std::mem::take(&mut buf).into_bytes()).await.unwrap();
        }
    }
    if !buf.is_empty() {
        copy.send(buf.into_bytes()).await.unwrap();
    }
    copy.finish().await.unwrap();
}

/// Fills a fresh database with `persons` persons and their history.
async fn populate(url: &str, seal: &Sealer, persons: usize) {
    let pool = PgPool::connect(url).await.unwrap();
    let started = Instant::now();
    copy(
        &pool,
        "persons (subject, name, id_type, id_number, phone, gender, birth_date, password_hash, persona, id_lookup, phone_lookup)",
        (0..persons).map(|i| {
            let (id, phone) = (id_number(i), format!("170{i:08}"));
            let gender = if (id.as_bytes()[16] - b'0') % 2 == 1 { "male" } else { "female" };
            format!(
                "c{i}\t{}\tresident_id_card\t{}\t{}\t{gender}\t{}\tnot-a-hash\tcity\t\\\\x{}\t\\\\x{}",
                seal.seal("测试"),
                seal.seal(&id),
                seal.seal(&phone),
                seal.seal(&format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14])),
                secrets::hex(&seal.lookup(Lookup::IdNumber, &id)),
                secrets::hex(&seal.lookup(Lookup::Phone, &phone)),
            )
        }),
    )
    .await;
    let contribution = serde_json::json!({
        "separation_reason": "dismissed_by_employer", "contribution_months": 40,
        "last_employer": "北京某科技有限公司", "last_contribution_date": "2026-10-31"
    })
    .to_string();
    copy(
        &pool,
        "records (subject, beijing_hukou, registered, contribution_json)",
        (0..persons).map(|i| format!("c{i}\t1\t0\t{contribution}")),
    )
    .await;
    // The answers are never opened here: one sealed copy stands for each.
    let answers = seal.seal(&serde_json::to_string(&shiye_core::forms::samples::job_seeking("80")).unwrap());
    copy(
        &pool,
        "applications (id, subject, bundle, answers_json, submitted_at, submitted_unix, seq)",
        (0..persons * HISTORY).map(|n| {
            let (i, h) = (n / HISTORY, n % HISTORY);
            format!(
                "c{i}-{h}\tc{i}\tjob_seeking\t{answers}\t2026-01-01T00:00:00+08:00\t1767196800\t{}",
                n + 1
            )
        }),
    )
    .await;
    copy(
        &pool,
        "items (case_number, application_id, position, item, status, subject, seq)",
        (0..persons * HISTORY).map(|n| {
            let (i, h) = (n / HISTORY, n % HISTORY);
            let waiting = i % WAITING_EVERY == WAITING_EVERY - 1 && h == HISTORY - 1;
            let status = if waiting { "submitted" } else { "approved" };
            format!("SYC{:09}1\tc{i}-{h}\t0\tjob_seeking\t{status}\tc{i}\t{}", n + 1, n + 1)
        }),
    )
    .await;
    sqlx::query("SELECT setval('application_seq', (SELECT MAX(seq) FROM applications) + 1, false)")
        .execute(&pool)
        .await
        .unwrap();
    // As a database that has been running: statistics and visibility maps up to date, and the bulk
    // load's pages written out, so the timed calls do not share the disk with the load's flush.
    sqlx::query("VACUUM ANALYZE").execute(&pool).await.unwrap();
    sqlx::query("CHECKPOINT").execute(&pool).await.unwrap();
    println!(
        "  {persons} persons, {} applications written in {:.1} s",
        persons * HISTORY,
        started.elapsed().as_secs_f64()
    );
    pool.close().await;
}

/// Per operation, each call's time; and how many answers were 5xx.
struct Figures {
    times: Vec<Vec<Duration>>,
    server_errors: usize,
    lock_waits: (u64, Duration),
}

impl Figures {
    fn at(&self, op: usize, q: f64) -> Duration {
        let mut t = self.times[op].clone();
        t.sort();
        t[((t.len() as f64 * q) as usize).min(t.len() - 1)]
    }
}

/// Each client, for each of its persons in turn: intake, /me, the list, a queue page — against
/// the instances in turn.
async fn load(bases: &[String], tokens: &[String], admin: &str) -> Figures {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let body = serde_json::json!({
        "schema_version": shiye_core::api::DRAFT_SCHEMA_VERSION,
        "answers": shiye_core::forms::samples::job_seeking("80"),
    });
    let locks_before = db::lock_waits();
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let mine: Vec<String> = tokens.iter().skip(c).step_by(CLIENTS).cloned().collect();
        let (http, bases, body, admin) = (http.clone(), bases.to_vec(), body.clone(), admin.to_string());
        clients.push(tokio::spawn(async move {
            let mut out: Vec<(usize, Duration, u16)> = Vec::new();
            for (i, token) in mine.iter().enumerate() {
                let base = &bases[(c + i) % bases.len()];
                let requests = [
                    http.post(format!("{base}/api/v1/applications"))
                        .bearer_auth(token)
                        .header("Idempotency-Key", format!("city-{c}-{i}"))
                        .json(&body),
                    http.get(format!("{base}/api/v1/me")).bearer_auth(token),
                    http.get(format!("{base}/api/v1/applications")).bearer_auth(token),
                    http.get(format!("{base}/api/admin/items?limit=50")).bearer_auth(&admin),
                ];
                for (op, req) in requests.into_iter().enumerate() {
                    let t = Instant::now();
                    let resp = req.send().await.unwrap();
                    let status = resp.status().as_u16();
                    let _ = resp.bytes().await;
                    out.push((op, t.elapsed(), status));
                }
            }
            out
        }));
    }
    let mut times = vec![Vec::new(); OPERATIONS.len()];
    let mut server_errors = 0;
    for c in clients {
        for (op, d, status) in c.await.unwrap() {
            times[op].push(d);
            server_errors += usize::from(status >= 500);
        }
    }
    let after = db::lock_waits();
    Figures {
        times,
        server_errors,
        lock_waits: (after.0 - locks_before.0, after.1.saturating_sub(locks_before.1)),
    }
}

async fn fresh_database(admin: &str) -> String {
    let name = format!("city_{}", secrets::new_id());
    let pool = PgPool::connect(admin).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.unwrap();
    pool.close().await;
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

/// A database of `persons`, then the load through `instances` server instances.
async fn run(
    admin: &str,
    admin_token: &str,
    key_file: &Path,
    persons: usize,
    sample: usize,
    instances: usize,
    url: Option<&str>,
) -> (Figures, String) {
    let url = match url {
        Some(u) => u.to_string(),
        None => {
            let url = fresh_database(admin).await;
            // The schema first (the server's migrations), then the rows.
            db::open(&Location::Postgres(url.clone())).await.unwrap().close().await;
            populate(&url, &Sealer::load_or_create(key_file).unwrap(), persons).await;
            url
        }
    };
    let pool = PgPool::connect(&url).await.unwrap();
    // A sample spread over the table (by a hash of the subject), of persons with nothing waiting
    // — so a second run on the same database takes others — and their access tokens.
    let subjects: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM persons WHERE subject LIKE 'c%' AND subject NOT IN (SELECT subject FROM items WHERE status = 'submitted') ORDER BY md5(subject) LIMIT $1",
    )
    .bind(sample as i64)
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    let pool = db::open(&Location::Postgres(url.clone())).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let mut tokens = Vec::new();
    for s in &subjects {
        let token = secrets::new_secret();
        let family = secrets::hash(s);
        let grant = Grant { subject: s, client_id: "shiye-app", scope: "openid profile", family: &family };
        store(&mut conn, &token, "access", &grant, 3600).await.unwrap();
        tokens.push(token);
    }
    drop(conn);
    pool.close().await;
    let mut bases: Vec<String> = Vec::new();
    let mut stops = Vec::new();
    let mut tasks = Vec::new();
    for _ in 0..instances {
        let mut server = Server::bind_with(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            Location::Postgres(url.clone()),
            key_file,
        )
        .await
        .unwrap();
        if let Some(first) = bases.first() {
            server.set_issuer(first).unwrap();
        }
        bases.push(server.local_url());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        stops.push(stop);
        tasks.push(tokio::spawn(server.run(async {
            let _ = stopped.await;
        })));
    }
    let figures = load(&bases, &tokens, admin_token).await;
    for s in stops {
        let _ = s.send(());
    }
    for t in tasks {
        let _ = t.await;
    }
    (figures, url)
}

fn print(label: &str, f: &Figures) {
    for (op, name) in OPERATIONS.iter().enumerate() {
        println!(
            "| {label} | {name} | {} | {:.1} | {:.1} |",
            f.times[op].len(),
            f.at(op, 0.50).as_secs_f64() * 1000.0,
            f.at(op, 0.99).as_secs_f64() * 1000.0
        );
    }
    println!(
        "  {label}: {} × 5xx; write locks taken {} times, {:.1} ms in all ({:.2} ms each)",
        f.server_errors,
        f.lock_waits.0,
        f.lock_waits.1.as_secs_f64() * 1000.0,
        f.lock_waits.1.as_secs_f64() * 1000.0 / f.lock_waits.0.max(1) as f64
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let Ok(admin) = std::env::var("SHIYE_TEST_POSTGRES") else {
        println!("city bench left out: SHIYE_TEST_POSTGRES is not set (`cargo xtask bench` sets it)");
        return;
    };
    let (small, city, sample) = if full { (1_000, 1_000_000, 400) } else { (1_000, 3_000, 40) };
    let fsync: String = {
        let pool = PgPool::connect(&admin).await.unwrap();
        let on: String = sqlx::query_scalar("SHOW fsync").fetch_one(&pool).await.unwrap();
        pool.close().await;
        format!("fsync {on}")
    };
    // Every instance's admin token: one, given, as a deployment does (the queue is read from each).
    let admin_token = secrets::new_secret();
    std::env::set_var("SHIYE_ADMIN_TOKEN", &admin_token);
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("city.key");
    println!("\ncity volume on PostgreSQL ({fsync}), {CLIENTS} concurrent clients, {sample} persons each doing all four\n");
    println!("| persons, instances | operation | calls | p50 ms | p99 ms |");
    println!("| --- | --- | --- | --- | --- |");
    let (base_figures, _) = run(&admin, &admin_token, &key, small, sample, 1, None).await;
    print(&format!("{small}, 1"), &base_figures);
    let (city_figures, url) = run(&admin, &admin_token, &key, city, sample, 1, None).await;
    print(&format!("{city}, 1"), &city_figures);
    let (two, _) = run(&admin, &admin_token, &key, city, sample, 2, Some(&url)).await;
    print(&format!("{city}, 2"), &two);
    for (op, name) in OPERATIONS.iter().enumerate() {
        let ratio =
            city_figures.at(op, 0.50).as_secs_f64() / base_figures.at(op, 0.50).as_secs_f64().max(1e-9);
        println!(
            "bench-row\t{name} at {city} persons (p50, p99), {fsync}\t{:.1} ms, {:.1} ms\t{:.1} ms, {:.1} ms at {small}\t{ratio:.2}×\t{}",
            city_figures.at(op, 0.50).as_secs_f64() * 1000.0,
            city_figures.at(op, 0.99).as_secs_f64() * 1000.0,
            base_figures.at(op, 0.50).as_secs_f64() * 1000.0,
            base_figures.at(op, 0.99).as_secs_f64() * 1000.0,
            if op == 0 { "≤ 1.5× at 1,000" } else { "—" }
        );
    }
    let each = |f: &Figures| f.lock_waits.1.as_secs_f64() * 1000.0 / f.lock_waits.0.max(1) as f64;
    println!(
        "bench-row\twrite-lock wait per transaction at {city} persons, 1 → 2 instances\t{:.2} ms → {:.2} ms\t—\t{:.2}×\tno growth",
        each(&city_figures),
        each(&two),
        each(&two) / each(&city_figures).max(1e-9)
    );
    println!(
        "bench-row\t5xx answers in the city runs\t{}\t—\t—\t0",
        city_figures.server_errors + two.server_errors + base_figures.server_errors
    );
}
