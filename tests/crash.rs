//! Durability under SIGKILL: a child process saves drafts and queues submissions and reports each
//! one as its call returns; it is killed with SIGKILL at a random point, 100 times over the same
//! store. Every draft save and every submission that was reported must be there afterwards.

#![allow(clippy::unwrap_used)]

use rand::Rng;
use shiye::drafts::{Draft, Drafts, Loaded, DEFAULT_TTL_SECS};
use shiye::outbox::Outbox;
use shiye::seal::Sealer;
use shiye_core::api::{ApplicationSubmission, DRAFT_SCHEMA_VERSION};
use shiye_core::forms::Answers;
use shiye_core::services::Bundle;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const KEY: [u8; 32] = [42; 32];
const CHILD_ENV: &str = "SHIYE_CRASH_CHILD_DIR";

fn stop_draft(counter: u64) -> Draft {
    let mut answers = Answers::new(Bundle::BenefitStop);
    if let Answers::BenefitStop { stop } = &mut answers {
        stop.remarks = counter.to_string();
    }
    Draft { answers, section: 1 }
}

fn counter_of(d: &Draft) -> u64 {
    match &d.answers {
        Answers::BenefitStop { stop } => stop.remarks.parse().unwrap(),
        _ => panic!("unexpected draft"),
    }
}

fn open(dir: &Path) -> (Drafts, Outbox) {
    (
        Drafts::open(&dir.join("drafts"), Sealer::new(&KEY), DEFAULT_TTL_SECS).unwrap(),
        Outbox::open(&dir.join("outbox"), Sealer::new(&KEY)).unwrap(),
    )
}

/// The child's work: not a test of its own (ignored in normal runs), started by the test below.
#[tokio::test]
#[ignore = "run as a child process by killed_writers_lose_nothing_that_was_reported"]
async fn crash_child_writer() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else { return };
    let (drafts, outbox) = open(Path::new(&dir));
    let start: u64 = std::env::var("SHIYE_CRASH_START").unwrap().parse().unwrap();
    let mut out = std::io::stdout().lock();
    for counter in start.. {
        drafts.save("p", &stop_draft(counter), counter as i64).await.unwrap();
        writeln!(out, "draft {counter}").unwrap();
        out.flush().unwrap();
        let sub = ApplicationSubmission {
            schema_version: DRAFT_SCHEMA_VERSION,
            answers: stop_draft(counter).answers,
        };
        let id = outbox.enqueue("p", sub, counter as i64).await.unwrap();
        writeln!(out, "queued {id}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn killed_writers_lose_nothing_that_was_reported() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut rng = rand::thread_rng();
    let mut reported_ids = Vec::new();
    let mut next = 0u64;
    for round in 0..100 {
        let mut child = Command::new(&exe)
            .args(["--ignored", "--exact", "crash_child_writer", "--nocapture", "--test-threads", "1"])
            .env(CHILD_ENV, dir.path())
            .env("SHIYE_CRASH_START", next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let kill_after = rng.gen_range(1..40);
        let mut last_draft = None;
        let mut seen = 0;
        while seen < kill_after {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(c) = line.strip_prefix("draft ") {
                last_draft = Some(c.parse::<u64>().unwrap());
                seen += 1;
            } else if let Some(id) = line.strip_prefix("queued ") {
                reported_ids.push(id.to_string());
                seen += 1;
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let (drafts, outbox) = open(dir.path());
        if let Some(reported) = last_draft {
            let Some(Loaded::Current { draft, .. }) = drafts.load("p", Bundle::BenefitStop).unwrap() else {
                panic!("round {round}: the draft is gone");
            };
            // The kill may land after a later save finished but before it was reported.
            assert!(
                counter_of(&draft) >= reported,
                "round {round}: draft {} < reported {reported}",
                counter_of(&draft)
            );
            next = counter_of(&draft) + 1;
        }
        let stored: std::collections::HashSet<String> =
            outbox.all().unwrap().iter().map(|e| e.id.to_string()).collect();
        for id in &reported_ids {
            assert!(stored.contains(id), "round {round}: queued submission {id} was lost");
        }
    }
    assert!(reported_ids.len() >= 50, "only {} submissions were reported", reported_ids.len());
}
