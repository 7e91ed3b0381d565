//! Draft save latency (seal + sled insert + flush, what `save_draft` waits for) next to a raw
//! write + fsync of the same bytes, with p50/p99 and their ratio.

use criterion::{criterion_group, Criterion};
use shiye::drafts::{Draft, Drafts, DEFAULT_TTL_SECS};
use shiye::seal::Sealer;
use shiye_core::forms::Answers;
use shiye_core::services::Bundle;
use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

fn draft(i: u64) -> Draft {
    let mut answers = Answers::new(Bundle::BenefitClaimJoint);
    if let Answers::BenefitClaimJoint { basic, job_seeking, .. } = &mut answers {
        basic.household_address = format!("朝阳区建国门外大街{i}号院");
        job_seeking.pay_min = format!("{}", 8000 + i % 1000);
    }
    Draft { answers, section: 2, items: None }
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let drafts = Drafts::open(
        &shiye::store::Store::open(&dir.path().join("d")).unwrap_or_else(|e| panic!("{e}")),
        Sealer::new(&[9; 32]),
        DEFAULT_TTL_SECS,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut i = 0;
    c.bench_function("draft/save", |b| {
        b.iter(|| {
            i += 1;
            rt.block_on(drafts.save("p", black_box(&draft(i)), i as i64)).unwrap_or_else(|e| panic!("{e}"))
        })
    });
}

fn percentiles(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let p = |q: f64| v[((v.len() as f64 - 1.0) * q) as usize];
    (p(0.5), p(0.99))
}

fn compare() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let drafts = Drafts::open(
        &shiye::store::Store::open(&dir.path().join("d")).unwrap_or_else(|e| panic!("{e}")),
        Sealer::new(&[9; 32]),
        DEFAULT_TTL_SECS,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let bytes = serde_json::to_vec(&draft(0).answers).unwrap_or_default();
    let (mut save, mut raw) = (Vec::new(), Vec::new());
    for i in 0..500u64 {
        let t = Instant::now();
        rt.block_on(drafts.save("p", &draft(i), i as i64)).unwrap_or_else(|e| panic!("{e}"));
        save.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let mut f = std::fs::File::create(dir.path().join("raw")).unwrap_or_else(|e| panic!("{e}"));
        f.write_all(&bytes).unwrap_or_else(|e| panic!("{e}"));
        f.sync_all().unwrap_or_else(|e| panic!("{e}"));
        raw.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let (s50, s99) = percentiles(save);
    let (r50, r99) = percentiles(raw);
    println!("\ndraft save ({} bytes of answers), 500 saves:", bytes.len());
    println!("  sealed sled save     p50 {s50:.3} ms  p99 {s99:.3} ms");
    println!("  raw write + fsync    p50 {r50:.3} ms  p99 {r99:.3} ms");
    println!("  ratio save/raw       p50 {:.2}x  p99 {:.2}x", s50 / r50, s99 / r99);
    // A row of `cargo xtask bench`'s summary.
    println!(
        "bench-row\tdurable draft save, p50 / p99\t{s50:.3} / {s99:.3} ms\t{r50:.3} / {r99:.3} ms (write + fsync)\t{:.2}× at p99\tp99 ratio ≤ 3",
        s99 / r99
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    criterion::Criterion::default().configure_from_args().final_summary();
    if std::env::args().any(|a| a == "--bench") {
        compare();
    }
}
