//! Every table a policy office owns, published without a release: the benefit rule the server
//! applies on approval, the notices, the option lists (a withdrawn option refused by name), the
//! division table with a new street and a 服务机构 list naming it (an inconsistent pair refused
//! with the street named), a dry run that changes nothing, the operator's command line, and
//! hostile publishes answered with 4xx. One test function: the tables in use are process-wide, as
//! in the server.

#![allow(clippy::unwrap_used)]

mod common;

use common::Idp;
use serde_json::{json, Value};
use shiye_core::api::DRAFT_SCHEMA_VERSION;
use shiye_core::benefit;
use shiye_core::forms::{samples, Answers};
use shiye_core::options::NamedEntry;
use shiye_core::reference::agencies::{self, AgencyEntry};
use shiye_core::reference::divisions;
use shiye_core::reference::snapshot::{ReferenceData, Table};
use shiye_server::persons::SEEDS;
use std::process::Command;

const NEW_STREET: &str = "110105100";

async fn publish(idp: &Idp, table: &str, query: &str, body: &Value) -> (u16, Value) {
    let resp = idp
        .http
        .put(format!("{}/api/admin/reference/{table}{query}", idp.base))
        .bearer_auth(&idp.admin_token)
        .json(body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap_or(Value::Null))
}

async fn data(idp: &Idp, token: &str) -> ReferenceData {
    let resp =
        idp.http.get(format!("{}/api/v1/reference", idp.base)).bearer_auth(token).send().await.unwrap();
    let text = resp.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn version(d: &ReferenceData, t: Table) -> i64 {
    d.tables.iter().find(|i| i.table == t).unwrap().version
}

fn claim(street: &str, agency: &str) -> Value {
    let mut answers = samples::benefit_claim("6212260200000000014");
    if let Answers::BenefitClaimJoint { basic, registration, .. } = &mut answers {
        basic.household_street = Some(street.into());
        registration.agency = Some(agency.into());
    }
    json!({ "schema_version": DRAFT_SCHEMA_VERSION, "answers": answers })
}

fn cli(db: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shiye-server"))
        .arg("reference")
        .args(args)
        .args(["--db", db])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// On SQLite, then on PostgreSQL (when the run has one), one after the other: the tables in use
/// are process-wide.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_published_table_is_checked_served_and_used_without_a_release() {
    let idp = common::start().await;
    let db = idp.db_path.to_str().unwrap().to_string();
    published_tables(&idp, &db).await;
    if let Some((url, mut instances)) = common::postgres_instances(1).await {
        published_tables(&instances.remove(0), &url).await;
    }
}

async fn published_tables(idp: &Idp, db: &str) {
    let token = idp.token(&SEEDS[0]).await;
    let bundled = data(idp, &token).await;
    assert!(bundled.tables.iter().all(|t| t.version == 0 && !t.source.is_empty()), "bundled, with sources");

    // Hostile or broken publishes: 4xx, nothing changes.
    assert_eq!(publish(idp, "no_such_table", "", &json!([])).await.0, 404);
    let (status, body) = publish(idp, "benefit_rules", "", &json!({"periods": 3})).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains("失业保险金待遇规则不可用"), "{body}");
    let resp = idp
        .http
        .put(format!("{}/api/admin/reference/notices", idp.base))
        .bearer_auth(&idp.admin_token)
        .header("content-type", "application/json")
        .body("[{")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = idp
        .http
        .put(format!("{}/api/admin/reference/notices", idp.base))
        .bearer_auth(&token)
        .json(&json!([]))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401, "a person cannot publish");
    let mut too_long = benefit::bundled();
    too_long[0].periods.last_mut().unwrap().value = 30;
    let (status, body) = publish(idp, "benefit_rules", "", &json!(too_long)).await;
    assert!(status == 422 && body["message"].as_str().unwrap().contains("领取期限"), "{body}");

    // A new benefit rule, dry run first: what changes is said, nothing is published.
    // (The version in force from 2026-01-01 on, the bundled one kept as its history.)
    let mut rule = benefit::bundled();
    let mut v2 = rule[0].clone();
    v2.version = 2;
    v2.name = "北京市失业保险金领取期限和标准（调整）".into();
    v2.effective_from = shiye_core::date::Date { year: 2026, month: 1, day: 1 };
    v2.periods.iter_mut().find(|b| b.from_months == 36).unwrap().value = 10;
    rule.push(v2);
    let (status, dry) = publish(idp, "benefit_rules", "?dry_run=true&operator=王科员", &json!(rule)).await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["changes"], json!(["新增 v2 北京市失业保险金领取期限和标准（调整）"]), "{dry}");
    assert_eq!(version(&data(idp, &token).await, Table::BenefitRules), 0, "a dry run publishes nothing");
    let (status, done) = publish(idp, "benefit_rules", "?operator=王科员", &json!(rule)).await;
    assert_eq!((status, done["version"].as_i64()), (200, Some(1)), "{done}");
    let now = data(idp, &token).await;
    assert_eq!(now.benefit_rules[1].name, "北京市失业保险金领取期限和标准（调整）");
    let info = now.tables.iter().find(|t| t.table == Table::BenefitRules).unwrap();
    assert!(info.source.contains("王科员") && info.source.contains("第1版"), "{info:?}");

    // The server applies the published rule on approval: 40 months of contributions → 10 months.
    let (status, app) = idp.submit(&token, "claim-1", &claim("110105001", "S110105001")).await;
    assert_eq!(status, 201, "{app}");
    for item in app["items"].as_array().unwrap() {
        assert_eq!(idp.decide(item["case_number"].as_str().unwrap(), "approve", None).await.0, 200);
    }
    let me = idp.get_json("/api/v1/me", Some(&token)).await;
    assert_eq!(me["records"]["benefit"]["months_entitled"], 10, "{me}");

    // A new street: in the published division table, served by the rule's own office at once, and
    // named by a published 服务机构 list.
    let mut table = divisions::bundled();
    let chaoyang = table.iter_mut().find(|d| d.code == "110105").unwrap();
    chaoyang.streets.push(NamedEntry { code: NEW_STREET.into(), name: "朝阳新城街道".into() });
    let (status, body) = publish(idp, "divisions", "", &json!(table)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["changes"].to_string().contains(NEW_STREET), "{body}");
    let mut list = agencies::derived(&table);
    list.push(AgencyEntry {
        id: "X1".into(),
        name: "朝阳新城就业服务站".into(),
        streets: vec![NEW_STREET.into()],
    });
    assert_eq!(publish(idp, "agencies", "", &json!(list)).await.0, 200);
    let other = idp.token(&SEEDS[1]).await;
    let (status, body) = idp.submit(&other, "new-street", &claim(NEW_STREET, "X1")).await;
    assert_eq!(status, 201, "the new street and its office are accepted: {body}");

    // Inconsistent pairs are refused, the street named: an office on a street the divisions lack,
    // and a division table that would orphan a published office.
    let mut orphan = list.clone();
    orphan.push(AgencyEntry {
        id: "X2".into(),
        name: "无此街道服务站".into(),
        streets: vec!["110105199".into()],
    });
    let (status, body) = publish(idp, "agencies", "", &json!(orphan)).await;
    assert!(status == 422 && body["message"].as_str().unwrap().contains("110105199"), "{body}");
    let (status, body) = publish(idp, "divisions", "", &json!(divisions::bundled())).await;
    assert!(status == 422 && body["message"].as_str().unwrap().contains(NEW_STREET), "{body}");

    // An option withdrawn: a submission that chose it is refused, the field and the option named.
    let mut options = bundled.options.clone();
    options.get_mut("unemployed_person_type").unwrap().retain(|e| e.code != "enterprise_terminated");
    assert_eq!(publish(idp, "options", "", &json!(options)).await.0, 200);
    let third = idp.token(&SEEDS[2]).await;
    let (status, body) = idp.submit(&third, "withdrawn-option", &claim("110105001", "S110105001")).await;
    assert_eq!(status, 422, "{body}");
    let e = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "withdrawn")
        .cloned()
        .unwrap_or_default();
    assert_eq!(e["field"], "unemployed_person_type", "{body}");
    assert!(e["message_zh"].as_str().unwrap().contains("企业解除人员"), "{body}");
    let mut unknown = options.clone();
    unknown
        .get_mut("cancel_reason")
        .unwrap()
        .push(NamedEntry { code: "lottery".into(), name: "中彩票".into() });
    let (status, body) = publish(idp, "options", "", &json!(unknown)).await;
    assert!(status == 422 && body["message"].as_str().unwrap().contains("lottery"), "{body}");

    // The operator's command line: a dry run of a new 承诺书 shows what changes, a publish audits
    // the operator, and `show` prints the table in use.
    let mut texts = shiye_core::notices::bundled();
    let mut v2 = texts[1].clone();
    v2.version = 2;
    v2.paragraphs.push("六、本人知晓提供虚假材料的后果。".into());
    texts.push(v2);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notices.json");
    std::fs::write(&file, serde_json::to_string(&texts).unwrap()).unwrap();
    let file = file.to_str().unwrap();
    let (ok, out, err) = cli(db, &["publish", "notices", file, "--dry-run", "--operator", "李科长"]);
    assert!(ok && out.contains("新增 commitment v2") && out.contains("试运行"), "{out}{err}");
    assert_eq!(version(&data(idp, &token).await, Table::Notices), 0);
    let (ok, out, err) = cli(db, &["publish", "notices", file, "--operator", "李科长"]);
    assert!(ok && out.contains("已发布"), "{out}{err}");
    let now = data(idp, &token).await;
    assert_eq!(version(&now, Table::Notices), 1, "the running server sees the command line's publish");
    assert!(now
        .notices
        .iter()
        .any(|t| t.version == 2 && t.paragraphs.iter().any(|p| p.contains("虚假材料"))));
    let (ok, out, err) = cli(db, &["show", "benefit_rules"]);
    assert!(ok && out.contains("（调整）") && err.contains("王科员"), "{out}{err}");
    let (ok, _, err) = cli(db, &["publish", "agencies", file]);
    assert!(!ok && err.contains("服务机构不可用"), "a notices file is no agency list: {err}");
}
