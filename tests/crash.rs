//! Durability under SIGKILL: a child process saves drafts and submits them (queue the submission
//! and drop its draft) and reports each step as its call returns; it is killed with SIGKILL at a
//! random point, 100 times over the same store, half the time just as a submission starts. Every
//! draft save and every submission that was reported must be there afterwards, and no submission
//! may ever be left both as a draft and as a queued entry (the person would submit it twice).

#![allow(clippy::unwrap_used)]

use rand::RngExt;
use shiye::drafts::{Draft, Drafts, Loaded, DEFAULT_TTL_SECS};
use shiye::outbox::Outbox;
use shiye::seal::Sealer;
use shiye::store::Store;
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
    Draft { answers, section: 1, items: None }
}

fn counter_of(answers: &Answers) -> u64 {
    match answers {
        Answers::BenefitStop { stop } => stop.remarks.parse().unwrap(),
        _ => panic!("unexpected draft"),
    }
}

fn open(dir: &Path) -> (Drafts, Outbox) {
    let store = Store::open(dir).unwrap();
    (
        Drafts::open(&store, Sealer::new(&KEY), DEFAULT_TTL_SECS).unwrap(),
        Outbox::open(&store, Sealer::new(&KEY)).unwrap(),
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
            items: None,
            consent: None,
        };
        writeln!(out, "submitting {counter}").unwrap();
        out.flush().unwrap();
        let id = outbox.enqueue("p", sub, counter as i64, &drafts).await.unwrap();
        writeln!(out, "queued {id}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn killed_writers_lose_nothing_that_was_reported() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut rng = rand::rng();
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
        let kill_after = rng.random_range(1..40);
        // Half the rounds end at the worst moment: as soon as a submission starts.
        let at_submit = rng.random_bool(0.5);
        let mut last_draft = None;
        let mut seen = 0;
        while seen < kill_after {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(c) = line.strip_prefix("draft ") {
                last_draft = Some(c.parse::<u64>().unwrap());
                seen += 1;
            } else if let Some(id) = line.strip_prefix("queued ") {
                reported_ids.push(id.to_string());
                last_draft = None;
                seen += 1;
            } else if line.starts_with("submitting ") && at_submit && seen + 5 >= kill_after {
                break;
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let (drafts, outbox) = open(dir.path());
        let draft = match drafts.load("p", Bundle::BenefitStop).unwrap() {
            Some(Loaded::Current { draft, .. }) => Some(counter_of(&draft.answers)),
            Some(Loaded::Outdated { .. }) => panic!("round {round}: unexpected draft version"),
            None => None,
        };
        let entries = outbox.all().unwrap();
        let queued: std::collections::HashSet<u64> =
            entries.iter().map(|e| counter_of(&e.submission.answers)).collect();
        if let Some(d) = draft {
            assert!(!queued.contains(&d), "round {round}: submission {d} is both a draft and queued");
        }
        // A reported draft not yet reported queued is still there, as the draft or as the queued
        // entry (the kill may land after its submission finished but before it was reported).
        if let Some(reported) = last_draft {
            let kept = draft.is_some_and(|d| d >= reported) || queued.contains(&reported);
            assert!(kept, "round {round}: draft {reported} is gone (draft now {draft:?})");
        }
        let stored: std::collections::HashSet<String> = entries.iter().map(|e| e.id.to_string()).collect();
        for id in &reported_ids {
            assert!(stored.contains(id), "round {round}: queued submission {id} was lost");
        }
        next = draft.into_iter().chain(queued.iter().copied()).max().map_or(next, |m| m + 1);
    }
    assert!(reported_ids.len() >= 50, "only {} submissions were reported", reported_ids.len());
}
