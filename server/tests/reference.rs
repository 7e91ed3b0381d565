//! The 服务机构 list as the operators publish it: served at `/api/v1/reference` with a new ETag,
//! refused when unusable, used to validate submissions, and shared by another server process on
//! the same database. One test function: the list in use is process-wide, as in the server.

#![allow(clippy::unwrap_used)]

mod common;

use common::Idp;
use serde_json::{json, Value};
use shiye_core::api::DRAFT_SCHEMA_VERSION;
use shiye_core::forms::{samples, Answers};
use shiye_core::reference::agencies;
use shiye_core::reference::agencies::AgencyEntry;
use shiye_core::reference::snapshot::ReferenceData;
use shiye_server::persons::SEEDS;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const STREET: &str = "110105001";

async fn reference(
    idp: &Idp,
    base: &str,
    token: &str,
    etag: Option<&str>,
) -> (u16, String, Option<ReferenceData>) {
    let mut req = idp.http.get(format!("{base}/api/v1/reference")).bearer_auth(token);
    if let Some(e) = etag {
        req = req.header("If-None-Match", e);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let etag = resp.headers()["etag"].to_str().unwrap().to_string();
    (status, etag, if status == 200 { Some(resp.json().await.unwrap()) } else { None })
}

async fn publish(idp: &Idp, base: &str, token: &str, body: &Value) -> (u16, Value) {
    let resp = idp
        .http
        .put(format!("{base}/api/admin/reference/agencies"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap_or(Value::Null))
}

fn claim_with_agency(agency: &str) -> Value {
    let mut answers = samples::benefit_claim("6212260200000000014");
    if let Answers::BenefitClaimJoint { registration, .. } = &mut answers {
        registration.agency = Some(agency.into());
    }
    json!({ "schema_version": DRAFT_SCHEMA_VERSION, "answers": answers })
}

/// The bundled list with 建外街道's office replaced by a new one and the district centre renamed.
fn changed_list() -> Vec<AgencyEntry> {
    let mut list: Vec<AgencyEntry> =
        agencies::bundled().into_iter().filter(|a| a.id != "S110105001").collect();
    for a in &mut list {
        if a.id == "D110105" {
            a.name = "朝阳区公共就业服务中心".into();
        }
    }
    list.push(AgencyEntry {
        id: "N110105001".into(),
        name: "建外街道就业服务站".into(),
        streets: vec![STREET.into()],
    });
    list
}

/// The server binary as a second process on the same SQLite file (and so the same sealing key).
struct OtherInstance(Child, String);

impl Drop for OtherInstance {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn other_instance(idp: &Idp) -> OtherInstance {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_shiye-server"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--db"])
        .arg(&idp.db_path)
        .env("SHIYE_ADMIN_TOKEN", &idp.admin_token)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let other = OtherInstance(child, format!("http://127.0.0.1:{port}"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while idp.http.get(format!("{}/healthz", other.1)).send().await.is_err() {
        assert!(Instant::now() < deadline, "the second instance did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    other
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_agency_list_is_served_checked_and_shared_by_another_instance() {
    let idp = common::start().await;
    let token = idp.token(&SEEDS[0]).await;
    let (status, etag0, data) = reference(&idp, &idp.base, &token, None).await;
    assert_eq!(status, 200);
    assert!(data.unwrap().agencies.iter().any(|a| a.id == "S110105001"), "the bundled snapshot first");

    // Refused, and nothing changes: not the admin, not JSON, unusable lists.
    assert_eq!(publish(&idp, &idp.base, &token, &json!(changed_list())).await.0, 401);
    for unusable in [
        json!([]),
        json!([{"id": "", "name": "无号", "streets": [STREET]}]),
        json!([{"id": "A", "name": "甲", "streets": ["999999999"]}]),
        json!([{"id": "A", "name": "甲", "streets": [STREET]}, {"id": "A", "name": "乙", "streets": [STREET]}]),
    ] {
        let (status, body) = publish(&idp, &idp.base, &idp.admin_token, &unusable).await;
        assert_eq!(status, 422, "{unusable}");
        assert!(body["message"].as_str().unwrap().contains("服务机构不可用"), "{body}");
    }
    assert_eq!(
        publish(&idp, &idp.base, &idp.admin_token, &json!({"not": "a list"})).await.0,
        422,
        "valid JSON, not a list: unusable, with the reason"
    );
    assert_eq!(reference(&idp, &idp.base, &token, Some(&etag0)).await.0, 304, "nothing published");

    // Published: a client holding the old ETag gets the new list, then 304 with the new one.
    assert_eq!(publish(&idp, &idp.base, &idp.admin_token, &json!(changed_list())).await.0, 200);
    let (status, etag1, data) = reference(&idp, &idp.base, &token, Some(&etag0)).await;
    assert_eq!(status, 200);
    assert_ne!(etag1, etag0);
    let data = data.unwrap();
    assert!(data.agencies.iter().any(|a| a.id == "N110105001" && a.name == "建外街道就业服务站"));
    assert!(data.agencies.iter().any(|a| a.id == "D110105" && a.name == "朝阳区公共就业服务中心"));
    assert!(!data.agencies.iter().any(|a| a.id == "S110105001"));
    assert_eq!(reference(&idp, &idp.base, &token, Some(&etag1)).await.0, 304);

    // Submissions are checked against it: the withdrawn office is named as such.
    let (status, body) = idp.submit(&token, "withdrawn-agency", &claim_with_agency("S110105001")).await;
    assert_eq!(status, 422, "{body}");
    let error = &body["errors"][0];
    assert_eq!(error["field"], "service_agency", "{body}");
    assert_eq!(error["message_zh"], "服务机构已调整或撤销，请重新选择");

    // Another server process on the same database answers with the published list, and what it
    // publishes reaches this one.
    let other = other_instance(&idp).await;
    let (status, etag_other, _) = reference(&idp, &other.1, &token, Some(&etag1)).await;
    assert_eq!((status, &etag_other), (304, &etag1), "the same list, the same ETag");
    let mut again = changed_list();
    again.retain(|a| a.id != "N110105001");
    again.push(AgencyEntry {
        id: "M110105001".into(),
        name: "建外街道零工驿站".into(),
        streets: vec![STREET.into()],
    });
    assert_eq!(publish(&idp, &other.1, &idp.admin_token, &json!(again)).await.0, 200);
    let (status, _, data) = reference(&idp, &idp.base, &token, Some(&etag1)).await;
    assert_eq!(status, 200, "this instance sees the other's publication");
    assert!(data.unwrap().agencies.iter().any(|a| a.id == "M110105001"));
    let (status, body) = idp.submit(&token, "new-agency", &claim_with_agency("M110105001")).await;
    assert_eq!(status, 201, "the newly published office is accepted: {body}");

    // Two operators publish at the same moment, one at each instance: each publication is kept in
    // turn, and both instances then answer with the same list (the last one kept).
    let named = |name: &str| {
        let mut list = changed_list();
        list.retain(|a| a.id != "N110105001");
        list.push(AgencyEntry { id: "K110105001".into(), name: name.into(), streets: vec![STREET.into()] });
        json!(list)
    };
    let (here, there) = (named("建外街道服务站甲"), named("建外街道服务站乙"));
    let (a, b) = tokio::join!(
        publish(&idp, &idp.base, &idp.admin_token, &here),
        publish(&idp, &other.1, &idp.admin_token, &there)
    );
    assert_eq!((a.0, b.0), (200, 200));
    let (_, etag_here, list_here) = reference(&idp, &idp.base, &token, None).await;
    let (_, etag_there, list_there) = reference(&idp, &other.1, &token, None).await;
    assert_eq!(etag_here, etag_there, "one list on both instances");
    let office = |l: &Option<ReferenceData>| {
        l.as_ref().unwrap().agencies.iter().find(|a| a.id == "K110105001").map(|a| a.name.clone())
    };
    assert_eq!(office(&list_here), office(&list_there));
    assert!(["建外街道服务站甲", "建外街道服务站乙"].contains(&office(&list_here).unwrap().as_str()));
}
