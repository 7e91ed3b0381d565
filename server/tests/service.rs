//! The service API over real HTTP with a real SQLite file: records, idempotent intake, validation
//! and eligibility answers, the review workflow changing state, and one person never seeing
//! another's data.

#![allow(clippy::unwrap_used)]

mod common;

use common::{start, Idp};
use serde_json::{json, Value};
use shiye_core::api::{Application, ItemStatus, Profile, DRAFT_SCHEMA_VERSION};
use shiye_core::forms::edit::Value as FieldValue;
use shiye_core::forms::single_items::{BenefitStop, RegistrationCancel};
use shiye_core::forms::{samples, Answers, FieldId};
use shiye_core::options::*;
use shiye_core::services::{Bundle, ServiceKind};
use shiye_server::persons::SEEDS;
use shiye_server::records::SEEDED_BENEFIT_CARD;

const NEW_BJ: usize = 0;
const NEW_NONBJ: usize = 1;
const REGISTERED: usize = 2;
const RECEIVING: usize = 3;
const INELIGIBLE: usize = 4;

fn claim_answers() -> Answers {
    samples::benefit_claim("6212260200000000014")
}

fn body(answers: &Answers) -> Value {
    json!({ "schema_version": DRAFT_SCHEMA_VERSION, "answers": answers })
}

struct Person<'a> {
    idp: &'a Idp,
    token: String,
}

impl Person<'_> {
    async fn post(&self, key: Option<&str>, body: &Value) -> (u16, Value, bool) {
        let mut req = self
            .idp
            .http
            .post(format!("{}/api/v1/applications", self.idp.base))
            .bearer_auth(&self.token)
            .json(body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        let resp = req.send().await.unwrap();
        let replayed = resp.headers().contains_key("idempotent-replayed");
        (resp.status().as_u16(), resp.json().await.unwrap_or(Value::Null), replayed)
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let resp = self
            .idp
            .http
            .get(format!("{}{path}", self.idp.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.json().await.unwrap_or(Value::Null))
    }

    /// Requests a stop code and reads it from the server's SMS outbox, as the person reads their phone.
    async fn sms_code(&self, subject: &str) -> (u16, String) {
        self.sms_code_for(subject, "benefit_stop").await
    }

    async fn sms_code_for(&self, subject: &str, purpose: &str) -> (u16, String) {
        let resp = self
            .idp
            .http
            .post(format!("{}/api/v1/sms-codes", self.idp.base))
            .bearer_auth(&self.token)
            .json(&json!({ "purpose": purpose }))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let code = self.idp.latest_sms_code(subject).await;
        (status, code)
    }

    async fn me(&self) -> Profile {
        serde_json::from_value(self.get("/api/v1/me").await.1).unwrap()
    }

    async fn applications(&self) -> Vec<Application> {
        serde_json::from_value(self.get("/api/v1/applications").await.1).unwrap()
    }
}

async fn person(idp: &Idp, who: usize) -> Person<'_> {
    Person { idp, token: idp.token(&SEEDS[who]).await }
}

async fn decide(idp: &Idp, case: &str, action: &str, reason: Option<&str>) -> (u16, Value) {
    idp.decide(case, action, reason).await
}

#[tokio::test]
async fn me_shows_records_with_the_card_masked() {
    let idp = start().await;
    let p = person(&idp, RECEIVING).await;
    let (status, raw) = p.get("/api/v1/me").await;
    assert_eq!(status, 200);
    assert!(!raw.to_string().contains(SEEDED_BENEFIT_CARD), "the full card number must not leave the server");
    let me: Profile = serde_json::from_value(raw).unwrap();
    assert_eq!(me.user.name, SEEDS[RECEIVING].name);
    let b = me.records.benefit.unwrap();
    assert_eq!(
        (b.months_entitled, b.months_received, b.card_masked.as_str()),
        (24, 5, "6212***********0006")
    );
    assert_eq!(idp.http.get(format!("{}/api/v1/me", idp.base)).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn idempotency_key_cases() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let b = body(&claim_answers());
    assert_eq!(p.post(None, &b).await.0, 400, "a missing key is refused");
    let (status, first, replayed) = p.post(Some("k-1"), &b).await;
    assert_eq!((status, replayed), (201, false), "{first}");
    let (status, again, replayed) = p.post(Some("k-1"), &b).await;
    assert_eq!((status, replayed), (201, true));
    assert_eq!(again, first, "a replay returns the stored first answer");
    assert_eq!(p.applications().await.len(), 1, "counted once");
    let mut other = b.clone();
    other["answers"]["job_seeking"]["pay_min"] = json!("16000");
    assert_eq!(p.post(Some("k-1"), &other).await.0, 422, "same key, different body");

    // A key whose first request is still being processed.
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", idp.db_path.display())).await.unwrap();
    sqlx::query("INSERT INTO idempotency (subject, key, request_hash, created_at) VALUES ('p-new-bj', 'k-busy', ?, ?)")
        .bind(<sha2::Sha256 as sha2::Digest>::digest(serde_json::to_vec(&b).unwrap()).to_vec())
        .bind(shiye_server::db::now())
        .execute(&db)
        .await
        .unwrap();
    let (status, answer, _) = p.post(Some("k-busy"), &b).await;
    assert_eq!(status, 409);
    assert_eq!(answer["error"], "idempotency_key_in_flight");
    // A claim left behind by a server that stopped mid-request is taken over after a minute.
    sqlx::query("UPDATE idempotency SET created_at = created_at - 61 WHERE key = 'k-busy'")
        .execute(&db)
        .await
        .unwrap();
    let (status, answer, _) = p.post(Some("k-busy"), &b).await;
    assert_eq!(
        (status, answer["reason"].as_str()),
        (409, Some("claim_already_open")),
        "processed, not stuck"
    );
}

#[tokio::test]
async fn validation_and_malformed_bodies_are_4xx() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let (status, answer, _) = p.post(Some("v-1"), &body(&Answers::new(Bundle::BenefitClaimJoint))).await;
    assert_eq!(status, 422);
    let first = &answer["errors"][0];
    assert_eq!(
        (first["field"].as_str(), first["code"].as_str()),
        (Some("household_province"), Some("required"))
    );
    assert_eq!(first["message_zh"], "户籍地行政区划（省/自治区/直辖市）为必填项");
    for bad in [
        json!({}),
        json!({"schema_version": 1}),
        json!({"schema_version": 1, "answers": {"bundle": "nope"}}),
        json!([1, 2]),
    ] {
        assert_eq!(p.post(Some(&format!("m-{bad}")), &bad).await.0, 400, "{bad}");
    }
    let mut extra = body(&claim_answers());
    extra["answers"]["claim"]["sneaky"] = json!(true);
    assert_eq!(p.post(Some("m-extra"), &extra).await.0, 400, "unknown fields are rejected");
    let (status, answer, _) =
        p.post(Some("m-ver"), &json!({"schema_version": 999, "answers": claim_answers()})).await;
    assert_eq!((status, answer["error"].as_str()), (422, Some("unsupported_schema_version")));
}

#[tokio::test]
async fn every_item_refuses_a_person_whose_state_forbids_it() {
    let idp = start().await;
    let new_bj = person(&idp, NEW_BJ).await;
    let cancel =
        Answers::RegistrationCancel { cancel: RegistrationCancel { reason: Some(CancelReason::Employed) } };
    let stop = Answers::BenefitStop {
        stop: BenefitStop {
            reason: Some(StopReason::Reemployed),
            remarks: String::new(),
            sms_code: "123456".into(),
        },
    };
    let bank = samples::bank_change("6217000010000000001", "6217000010000000001");
    let mut change = Answers::new(Bundle::RegistrationChange);
    if let Answers::RegistrationChange { change } = &mut change {
        change.address.household_district = Some("110105".into());
        change.address.household_street = Some("110105001".into());
        change.hukou_nature = Some(HukouNature::BeijingUrban);
    }
    let cases = [
        (&new_bj, cancel.clone(), "not_registered"),
        (&new_bj, change, "not_registered"),
        (&new_bj, stop, "not_receiving_benefit"),
        (&new_bj, bank, "not_receiving_benefit"),
    ];
    for (i, (p, answers, reason)) in cases.into_iter().enumerate() {
        let (status, answer, _) = p.post(Some(&format!("c-{i}")), &body(&answers)).await;
        assert_eq!((status, answer["reason"].as_str()), (409, Some(reason)), "case {i}: {answer}");
    }
    let ineligible = person(&idp, INELIGIBLE).await;
    let (status, answer, _) = ineligible.post(Some("c-x"), &body(&claim_answers())).await;
    assert_eq!((status, answer["reason"].as_str()), (409, Some("contribution_too_short")));
    assert_eq!(answer["message_zh"], "累计缴纳失业保险费不满12个月，不符合申领条件");
    let registered = person(&idp, REGISTERED).await;
    let joint = match claim_answers() {
        Answers::BenefitClaimJoint { basic, job_seeking, registration, .. } => {
            Answers::RegistrationJoint { basic, job_seeking, registration }
        }
        _ => unreachable!(),
    };
    assert_eq!(registered.post(Some("c-r"), &body(&joint)).await.1["reason"], "already_registered");
    // A second open claim.
    assert_eq!(new_bj.post(Some("c-claim-1"), &body(&claim_answers())).await.0, 201);
    assert_eq!(
        new_bj.post(Some("c-claim-2"), &body(&claim_answers())).await.1["reason"],
        "claim_already_open"
    );
}

#[tokio::test]
async fn review_decisions_change_the_persons_state() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let (status, answer, _) = p.post(Some("r-1"), &body(&claim_answers())).await;
    assert_eq!(status, 201);
    let app: Application = serde_json::from_value(answer).unwrap();
    let case = |item: ServiceKind| app.items.iter().find(|i| i.item == item).unwrap().case_number.clone();
    assert_eq!(app.items.len(), 3);
    assert!(app.items.iter().all(|i| i.status == ItemStatus::Submitted && i.expected_decision.is_some()));

    let wrong =
        idp.http.get(format!("{}/api/admin/items", idp.base)).bearer_auth("nope").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        decide(&idp, &case(ServiceKind::JobSeeking), "reject", None).await.0,
        400,
        "a reason is required"
    );

    assert_eq!(
        decide(&idp, &case(ServiceKind::Registration), "start_review", None).await.1["status"],
        "in_review"
    );
    assert_eq!(decide(&idp, &case(ServiceKind::Registration), "approve", None).await.0, 200);
    assert!(p.me().await.records.registered);
    assert_eq!(decide(&idp, &case(ServiceKind::Registration), "approve", None).await.0, 409, "decided once");

    let (status, item) = decide(&idp, &case(ServiceKind::BenefitClaim), "approve", None).await;
    assert_eq!((status, item["status"].as_str()), (200, Some("approved")));
    let benefit = p.me().await.records.benefit.unwrap();
    assert_eq!(
        (benefit.months_entitled, benefit.months_received),
        (9, 0),
        "40 months of contributions: 9 months (the bundled rule: 3 to 4 years)"
    );
    assert_eq!(benefit.card_masked, "6212***********0014");

    let (_, item) =
        decide(&idp, &case(ServiceKind::JobSeeking), "return", Some("请补充期望薪酬的依据")).await;
    assert_eq!(
        (item["status"].as_str(), item["reason"].as_str()),
        (Some("returned"), Some("请补充期望薪酬的依据"))
    );
    let (_, mine) = p.get(&format!("/api/v1/applications/{}", app.id)).await;
    assert_eq!(mine["items"][2]["status"], "returned");

    // Now receiving: stop the benefit (with the code sent to the phone) and see it end.
    let (status, code) = p.sms_code("p-new-bj").await;
    assert_eq!((status, code.len()), (201, 6), "{code}");
    let (status, answer, _) = p.post(Some("r-2"), &stop_with(&code)).await;
    assert_eq!(status, 201, "{answer}");
    let stop_case = answer["items"][0]["case_number"].as_str().unwrap().to_string();
    decide(&idp, &stop_case, "approve", None).await;
    assert!(p.me().await.records.benefit.is_none());
}

#[tokio::test]
async fn a_person_cannot_read_anothers_applications() {
    let idp = start().await;
    let a = person(&idp, NEW_BJ).await;
    let b = person(&idp, NEW_NONBJ).await;
    let (_, answer, _) = a.post(Some("same-key"), &body(&claim_answers())).await;
    let id = answer["id"].as_str().unwrap().to_string();
    assert_eq!(b.get(&format!("/api/v1/applications/{id}")).await.0, 404);
    assert!(b.applications().await.is_empty());
    // Keys are per person: B's use of the same key is B's own first request.
    let (status, _, replayed) = b.post(Some("same-key"), &body(&claim_answers())).await;
    assert_eq!((status, replayed), (201, false));
    assert_eq!(a.applications().await.len(), 1);
}

fn stop_with(code: &str) -> Value {
    body(&Answers::BenefitStop {
        stop: BenefitStop {
            reason: Some(StopReason::Reemployed),
            remarks: String::new(),
            sms_code: code.into(),
        },
    })
}

#[tokio::test]
async fn sms_codes_expire_work_once_are_rate_limited_and_resist_guessing() {
    let idp = start().await;
    let p = person(&idp, RECEIVING).await;
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", idp.db_path.display())).await.unwrap();
    let rewind = |secs: i64| {
        let db = db.clone();
        async move {
            sqlx::query("UPDATE sms_codes SET created_at = created_at - ?1, expires_at = expires_at - ?1")
                .bind(secs)
                .execute(&db)
                .await
                .unwrap();
        }
    };

    let (status, code) = p.sms_code("p-receiving").await;
    assert_eq!((status, code.len()), (201, 6));
    // A second request within the minute is refused with the wait.
    let resp = idp
        .http
        .post(format!("{}/api/v1/sms-codes", idp.base))
        .bearer_auth(&p.token)
        .json(&json!({"purpose": "benefit_stop"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert!(resp.headers()["retry-after"].to_str().unwrap().parse::<u32>().unwrap() <= 60);

    // Expired after five minutes.
    rewind(301).await;
    let (status, answer, _) = p.post(Some("s-1"), &stop_with(&code)).await;
    assert_eq!(status, 422);
    assert_eq!(answer["errors"][0]["message_zh"], "短信验证码已失效或未获取，请重新获取");

    // Five wrong guesses burn a code, even for the right one after them.
    let (_, code) = p.sms_code("p-receiving").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for i in 0..5 {
        assert_eq!(p.post(Some(&format!("s-w{i}")), &stop_with(wrong)).await.0, 422);
    }
    let (_, answer, _) = p.post(Some("s-2"), &stop_with(&code)).await;
    assert_eq!(answer["errors"][0]["message_zh"], "短信验证码错误次数过多，请重新获取");

    // A good code works once.
    rewind(61).await;
    let (_, code) = p.sms_code("p-receiving").await;
    let (status, accepted, _) = p.post(Some("s-3"), &stop_with(&code)).await;
    assert_eq!(status, 201);
    // Returned by the reviewer, so that a new 停发 is open again; its old code is spent.
    let case = accepted["items"][0]["case_number"].as_str().unwrap();
    assert_eq!(decide(&idp, case, "return", Some("请重新申请")).await.0, 200);
    let (status, answer, _) = p.post(Some("s-4"), &stop_with(&code)).await;
    assert_eq!(status, 422, "a spent code does not work twice");
    assert_eq!(answer["errors"][0]["field"], "sms_code");
}

#[tokio::test]
async fn a_second_item_of_a_kind_waits_for_the_first_decision() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let b = body(&samples::job_seeking("80"));
    let (status, first, _) = p.post(Some("first"), &b).await;
    assert_eq!(status, 201);
    // Another submission of the same items, with its own key: refused while the first waits.
    let (status, answer, _) = p.post(Some("second"), &b).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["reason"], "item_pending");
    assert_eq!(answer["message_zh"], "您已有一项同类事项正在审核，请等待审核结果后再申请");
    // Under review it still waits; once every item is decided, the kind is open again.
    for item in first["items"].as_array().unwrap() {
        let case = item["case_number"].as_str().unwrap();
        assert_eq!(decide(&idp, case, "start_review", None).await.0, 200);
    }
    assert_eq!(p.post(Some("third"), &b).await.0, 409);
    for item in first["items"].as_array().unwrap() {
        let case = item["case_number"].as_str().unwrap();
        assert_eq!(decide(&idp, case, "return", Some("材料不全")).await.0, 200);
    }
    let (status, answer, _) = p.post(Some("fourth"), &b).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(p.applications().await.len(), 2, "the refused ones were never stored");
}

#[tokio::test]
async fn reference_data_revalidates_with_its_etag() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let url = format!("{}/api/v1/reference", idp.base);
    let first = idp.http.get(&url).bearer_auth(&p.token).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let data: shiye_core::reference::snapshot::ReferenceData = first.json().await.unwrap();
    assert!(data.agencies.iter().any(|a| a.id == "S110105001"));
    let again = idp.http.get(&url).bearer_auth(&p.token).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    let stale =
        idp.http.get(&url).bearer_auth(&p.token).header("If-None-Match", "\"old\"").send().await.unwrap();
    assert_eq!(stale.status(), 200);
    assert_eq!(idp.http.get(&url).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn demo_auto_review_approves_waiting_items() {
    let idp = common::start_with(Some(0)).await;
    let p = person(&idp, NEW_BJ).await;
    let (status, _, _) = p.post(Some("auto-1"), &body(&claim_answers())).await;
    assert_eq!(status, 201);
    // The reviewer task looks once a second; give it a bounded while.
    for _ in 0..100 {
        let apps = p.applications().await;
        if apps[0].items.iter().all(|i| i.status == ItemStatus::Approved) {
            assert!(p.me().await.records.benefit.is_some(), "the approval changed the records");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("items were not approved automatically");
}

#[tokio::test]
async fn answers_carry_a_request_id() {
    let idp = start().await;
    let resp = idp.http.get(format!("{}/healthz", idp.base)).send().await.unwrap();
    assert_eq!(resp.headers()["x-request-id"].to_str().unwrap().len(), 36);
}

#[tokio::test]
async fn approved_bank_change_and_cancellation_change_the_records() {
    let idp = start().await;
    let p = person(&idp, RECEIVING).await;
    let mut bank = samples::bank_change("6217000010000000001", "6217 0000 1000 0000 001");
    // Without a code the server sent, and with the 停发 code, the change is refused at 短信验证码.
    let (status, answer, _) = p.post(Some("b-0"), &body(&bank)).await;
    assert_eq!((status, answer["errors"][0]["field"].as_str()), (422, Some("sms_code")), "{answer}");
    let (_, stop_code) = p.sms_code("p-receiving").await;
    assert!(bank.set(FieldId::SmsCode, FieldValue::Text(stop_code)));
    let (status, answer, _) = p.post(Some("b-0b"), &body(&bank)).await;
    assert_eq!((status, answer["errors"][0]["field"].as_str()), (422, Some("sms_code")), "{answer}");
    // The message names what the code confirms.
    // Another purpose's code may be asked for within the minute.
    let (status, code) = p.sms_code_for("p-receiving", "bank_account_change").await;
    assert_eq!(status, 201);
    assert!(idp.sms_outbox("p-receiving").await[0].contains("银行账号变更"));
    assert!(bank.set(FieldId::SmsCode, FieldValue::Text(code)));
    let (status, answer, _) = p.post(Some("b-1"), &body(&bank)).await;
    assert_eq!(status, 201, "{answer}");
    let case = answer["items"][0]["case_number"].as_str().unwrap().to_string();
    assert_eq!(decide(&idp, &case, "approve", None).await.0, 200);
    let b = p.me().await.records.benefit.unwrap();
    assert_eq!((b.bank_code.as_str(), b.card_masked.as_str()), ("CCB", "6217***********0001"));
    // The same card again is no change at all (said before the code is spent).
    let (status, answer, _) = p.post(Some("b-2"), &body(&bank)).await;
    assert_eq!((status, answer["errors"][0]["code"].as_str()), (422, Some("same_as_before")));

    let cancel =
        Answers::RegistrationCancel { cancel: RegistrationCancel { reason: Some(CancelReason::Employed) } };
    let (_, answer, _) = p.post(Some("b-3"), &body(&cancel)).await;
    let case = answer["items"][0]["case_number"].as_str().unwrap().to_string();
    decide(&idp, &case, "approve", None).await;
    assert!(!p.me().await.records.registered);
}

#[tokio::test]
async fn keys_are_kept_for_thirty_days() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let b = body(&claim_answers());
    assert_eq!(p.post(Some("old"), &b).await.0, 201);
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", idp.db_path.display())).await.unwrap();
    let age = |days: i64| {
        let db = db.clone();
        async move {
            sqlx::query("UPDATE idempotency SET created_at = ? WHERE key = 'old'")
                .bind(shiye_server::db::now() - days * 86_400)
                .execute(&db)
                .await
                .unwrap();
        }
    };
    age(29).await;
    assert!(p.post(Some("old"), &b).await.2, "replayed after 29 days");
    age(31).await;
    let (status, answer, replayed) = p.post(Some("old"), &b).await;
    assert!(!replayed, "forgotten after 31 days");
    assert_eq!((status, answer["reason"].as_str()), (409, Some("claim_already_open")));
}

#[tokio::test]
async fn the_review_cli_lists_and_decides() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let (_, answer, _) = p.post(Some("cli-1"), &body(&claim_answers())).await;
    let case = answer["items"][1]["case_number"].as_str().unwrap().to_string();
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_shiye-server"))
            .arg("review")
            .args(args)
            .arg("--db")
            .arg(&idp.db_path)
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (ok, listing) = cli(&["list"]);
    assert!(ok && listing.contains(&case), "{listing}");
    let (ok, line) = cli(&["return", &case, "缺少离职证明"]);
    assert!(ok && line.contains("退回补正"), "{line}");
    let (ok, _) = cli(&["approve", &case]);
    assert!(!ok, "a returned item cannot be approved again");
    let (_, mine) = p.get(&format!("/api/v1/applications/{}", answer["id"].as_str().unwrap())).await;
    assert_eq!(
        (mine["items"][1]["status"].as_str(), mine["items"][1]["reason"].as_str()),
        (Some("returned"), Some("缺少离职证明"))
    );
}

/// 退回补正: the person corrects the answers and submits again; the returned claim does not block
/// the new one, and the first stays in the history with the reviewer's reason.
#[tokio::test]
async fn a_returned_claim_can_be_corrected_and_submitted_again() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let (status, first, _) = p.post(Some("first"), &body(&claim_answers())).await;
    assert_eq!(status, 201, "{first}");
    let (again, _, _) = p.post(Some("while-open"), &body(&claim_answers())).await;
    assert_eq!(again, 409, "a claim under review blocks another");
    for item in first["items"].as_array().unwrap() {
        let case = item["case_number"].as_str().unwrap();
        assert_eq!(decide(&idp, case, "return", Some("银行卡号与开户行不符")).await.0, 200);
    }
    let (status, second, _) = p.post(Some("second"), &body(&claim_answers())).await;
    assert_eq!(status, 201, "{second}");
    let (_, old) = p.get(&format!("/api/v1/applications/{}", first["id"].as_str().unwrap())).await;
    assert_eq!(old["items"][0]["status"], "returned");
    assert_eq!(old["items"][0]["reason"], "银行卡号与开户行不符");
}

#[tokio::test]
async fn a_reviewer_sees_the_answers_records_and_history_with_cards_masked_unless_asked() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let (status, accepted, _) = p.post(Some("cf-1"), &body(&claim_answers())).await;
    assert_eq!(status, 201);
    let case = accepted["items"][0]["case_number"].as_str().unwrap().to_string();
    let get = |query: &'static str, token: Option<String>| {
        let mut req = idp.http.get(format!("{}/api/admin/items/{case}{query}", idp.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let admin = Some(idp.admin_token.clone());
    assert_eq!(get("", None).await.unwrap().status(), 401);
    let file: Value = get("", admin.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(file["case_number"], case.as_str());
    assert_eq!(file["subject"], "p-new-bj");
    assert_eq!(file["records"]["contribution"]["contribution_months"], 40);
    let text = file["answers"].to_string();
    assert!(!text.contains("6212260200000000014") && text.contains("6212***********0014"), "{text}");
    assert_eq!(file["history"][0]["action"], "submitted");
    assert_eq!(file["full"], false);
    // The whole number on request, and the request is on the record.
    let full: Value = get("?full=true", admin.clone()).await.unwrap().json().await.unwrap();
    assert!(full["answers"].to_string().contains("6212260200000000014"));
    let again: Value = get("", admin.clone()).await.unwrap().json().await.unwrap();
    assert!(again["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["action"] == "revealed" && h["actor"] == "reviewer"));
    let missing =
        idp.http.get(format!("{}/api/admin/items/SY000", idp.base)).bearer_auth(&idp.admin_token).send();
    assert_eq!(missing.await.unwrap().status(), 404);
}

#[tokio::test]
async fn the_registration_as_it_stands_is_in_the_records_and_a_change_must_change_it() {
    let idp = start().await;
    let p = person(&idp, REGISTERED).await;
    let me = p.get("/api/v1/me").await.1;
    let current = me["records"]["registration"].clone();
    assert_eq!(current["address"]["household_district"], "110108", "{me}");
    assert_eq!(current["hukou_nature"], "beijing_urban");
    // Sent back unchanged: refused with the reason.
    let unchanged = json!({ "bundle": "registration_change", "change": current });
    let (status, answer, _) = p
        .post(
            Some("c-0"),
            &json!({ "schema_version": shiye_core::api::DRAFT_SCHEMA_VERSION, "answers": unchanged }),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["errors"][0]["code"], "same_as_before");
    // One field changed, approved: the records follow.
    let mut changed = current.clone();
    changed["professional_title"] = json!("intermediate");
    let body = json!({ "schema_version": shiye_core::api::DRAFT_SCHEMA_VERSION, "answers": { "bundle": "registration_change", "change": changed } });
    let (status, answer, _) = p.post(Some("c-1"), &body).await;
    assert_eq!(status, 201, "{answer}");
    let case = answer["items"][0]["case_number"].as_str().unwrap();
    assert_eq!(decide(&idp, case, "approve", None).await.0, 200);
    let me = p.get("/api/v1/me").await.1;
    assert_eq!(me["records"]["registration"]["professional_title"], "intermediate");
}

#[tokio::test]
async fn a_returned_item_of_a_joint_claim_is_sent_again_alone() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let b = body(&claim_answers());
    let (status, first, _) = p.post(Some("j-1"), &b).await;
    assert_eq!(status, 201);
    // The reviewer returns the registration, approves 求职登记, leaves the claim pending.
    for item in first["items"].as_array().unwrap() {
        let case = item["case_number"].as_str().unwrap();
        match item["item"].as_str().unwrap() {
            "registration" => assert_eq!(decide(&idp, case, "return", Some("请核对服务机构")).await.0, 200),
            "job_seeking" => assert_eq!(decide(&idp, case, "approve", None).await.0, 200),
            _ => {}
        }
    }
    // The whole bundle again: refused, the claim is still waiting.
    let (status, answer, _) = p.post(Some("j-2"), &b).await;
    assert_eq!((status, answer["reason"].as_str()), (409, Some("claim_already_open")), "{answer}");
    // Only the returned item: accepted as one new item.
    let mut again = b.clone();
    again["items"] = json!(["registration"]);
    let (status, answer, _) = p.post(Some("j-3"), &again).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["items"].as_array().unwrap().len(), 1);
    assert_eq!(answer["items"][0]["item"], "registration");
    // Returned a second time: the server's record says which bundle it was sent in, so the
    // correction sends the registration alone again, never the approved 求职登记.
    let again_case = answer["items"][0]["case_number"].as_str().unwrap().to_string();
    assert_eq!(decide(&idp, &again_case, "return", Some("服务机构仍不正确")).await.0, 200);
    let (_, record) = p.get(&format!("/api/v1/applications/{}", answer["id"].as_str().unwrap())).await;
    let record: Application = serde_json::from_value(record).unwrap();
    assert_eq!(record.bundle, Some(Bundle::BenefitClaimJoint));
    assert_eq!(
        record.resubmission(),
        Some((Bundle::BenefitClaimJoint, Some(vec![ServiceKind::Registration])))
    );
    // Items that are not the bundle's are refused.
    let mut wrong = b.clone();
    wrong["items"] = json!(["benefit_stop"]);
    assert_eq!(p.post(Some("j-4"), &wrong).await.0, 422);
}

/// Approving a claim for a person already registered keeps one registration, whole (户口性质 stays;
/// the claim's joint bundle carries a registration item whatever the records say), and a 13-digit
/// 存折 account is stored by the passbook rule and masked, not emptied by the card rule.
#[tokio::test]
async fn approving_a_claim_keeps_the_registration_whole_and_a_passbook_account() {
    let idp = start().await;
    let p = person(&idp, REGISTERED).await;
    let before = p.me().await.records.registration.unwrap();
    assert_eq!(before.hukou_nature, Some(HukouNature::BeijingUrban));
    let mut answers = claim_answers();
    if let Answers::BenefitClaimJoint { claim, .. } = &mut answers {
        claim.account.card_type = Some(BankCardType::Passbook);
        claim.account.card_number = "0200 1234 56789".into();
        claim.account.luhn_confirmed = false;
    }
    let (status, accepted, _) = p.post(Some("pb-1"), &body(&answers)).await;
    assert_eq!(status, 201, "{accepted}");
    for item in accepted["items"].as_array().unwrap() {
        assert_eq!(decide(&idp, item["case_number"].as_str().unwrap(), "approve", None).await.0, 200);
    }
    let records = p.me().await.records;
    assert!(records.registered);
    let after = records.registration.unwrap();
    assert_eq!(after.hukou_nature, before.hukou_nature, "户口性质 kept");
    assert_eq!(Some(&after.address), answers.address(), "the address just given");
    assert_eq!(records.benefit.unwrap().card_masked, "0200*****6789");
}

/// The texts a person accepted, and when, travel with the application and stand in its case file.
#[tokio::test]
async fn the_case_file_shows_which_notice_and_commitment_the_person_accepted() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let consent = json!({
        "user_notice_version": 3, "user_notice_accepted_at": 1_790_000_000i64,
        "commitment_version": 2, "commitment_accepted_at": 1_790_000_060i64
    });
    let mut with = body(&shiye_core::forms::samples::job_seeking("30"));
    with["consent"] = consent.clone();
    let (status, accepted, _) = p.post(Some("consent-1"), &with).await;
    assert_eq!(status, 201, "{accepted}");
    let case = accepted["items"][0]["case_number"].as_str().unwrap();
    let file = |case: String| {
        let req = idp.http.get(format!("{}/api/admin/items/{case}", idp.base)).bearer_auth(&idp.admin_token);
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    assert_eq!(file(case.to_string()).await["consent"], consent);
    // A malformed consent is refused like any malformed body.
    let mut bad = body(&claim_answers());
    bad["consent"] = json!({"user_notice_version": "three"});
    assert_eq!(p.post(Some("consent-2"), &bad).await.0, 400);
}

/// 撤回: a person withdraws an item still waiting (its slot frees: a new one of that kind is
/// accepted); not someone else's, not one a reviewer took up, not twice.
#[tokio::test]
async fn a_waiting_item_can_be_withdrawn_and_then_applied_for_again() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let answers = body(&shiye_core::forms::samples::job_seeking("30"));
    let (status, first, _) = p.post(Some("w-1"), &answers).await;
    assert_eq!(status, 201);
    let case = first["items"][0]["case_number"].as_str().unwrap().to_string();
    assert_eq!(p.post(Some("w-2"), &answers).await.1["reason"], "item_pending");
    let withdraw = |who: &Person<'_>, case: &str| {
        let req =
            idp.http.post(format!("{}/api/v1/items/{case}/withdrawal", idp.base)).bearer_auth(&who.token);
        async move {
            let resp = req.send().await.unwrap();
            (resp.status().as_u16(), resp.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let other = person(&idp, NEW_NONBJ).await;
    assert_eq!(withdraw(&other, &case).await.0, 404, "another person's item is not theirs to withdraw");
    let (status, item) = withdraw(&p, &case).await;
    assert_eq!((status, item["status"].as_str()), (200, Some("withdrawn")), "{item}");
    assert_eq!(withdraw(&p, &case).await.0, 409, "once");
    let (status, again, _) = p.post(Some("w-3"), &answers).await;
    assert_eq!(status, 201, "the slot is free again: {again}");
    // Taken up by a reviewer: too late to withdraw.
    let taken = again["items"][0]["case_number"].as_str().unwrap().to_string();
    assert_eq!(decide(&idp, &taken, "start_review", None).await.0, 200);
    let (status, refused) = withdraw(&p, &taken).await;
    assert_eq!((status, refused["error"].as_str()), (409, Some("not_withdrawable")));
    // The withdrawal is on the record of the case.
    let file = idp.get_json(&format!("/api/admin/items/{case}"), Some(&idp.admin_token)).await;
    assert_eq!(file["status"], "withdrawn");
    assert!(file["history"].as_array().unwrap().iter().any(|h| h["action"] == "withdrawn"), "{file}");
}

/// The server's record of an application: the person's own, with the answers as submitted and the
/// consent given; another person's is not found.
#[tokio::test]
async fn a_person_reads_the_record_of_their_own_application_only() {
    let idp = start().await;
    let p = person(&idp, NEW_BJ).await;
    let answers = shiye_core::forms::samples::job_seeking("30");
    let mut sent = body(&answers);
    sent["consent"] = json!({
        "user_notice_version": 1, "user_notice_accepted_at": 1_790_000_000i64,
        "commitment_version": 1, "commitment_accepted_at": 1_790_000_001i64
    });
    let (status, accepted, _) = p.post(Some("rec-1"), &sent).await;
    assert_eq!(status, 201);
    let id = accepted["id"].as_str().unwrap();
    let (status, record) = p.get(&format!("/api/v1/applications/{id}/record")).await;
    assert_eq!(status, 200, "{record}");
    let record: shiye_core::api::ApplicationRecord = serde_json::from_value(record).unwrap();
    assert_eq!((record.answers, record.application.id.as_str()), (answers, id));
    assert_eq!(record.consent.map(|c| c.commitment_accepted_at), Some(1_790_000_001));
    let other = person(&idp, NEW_NONBJ).await;
    assert_eq!(other.get(&format!("/api/v1/applications/{id}/record")).await.0, 404);
}

/// The reviewer's queue comes in pages, oldest first, each naming the next in a `Link` header,
/// until every waiting item has been seen once; a bad page is 400.
#[tokio::test]
async fn the_reviewers_queue_comes_in_pages() {
    let idp = start().await;
    let mut sent = Vec::new();
    for who in [NEW_BJ, NEW_NONBJ, REGISTERED, INELIGIBLE] {
        let p = person(&idp, who).await;
        let (status, answer, _) = p.post(Some("q"), &body(&samples::job_seeking("80"))).await;
        assert_eq!(status, 201, "{answer}");
        sent.push(answer["items"][0]["case_number"].as_str().unwrap().to_string());
    }
    let mut url = format!("{}/api/admin/items?limit=3", idp.base);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let resp = idp.http.get(&url).bearer_auth(&idp.admin_token).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let next = resp.headers().get("link").map(|l| l.to_str().unwrap().to_string());
        let items: Vec<Value> = resp.json().await.unwrap();
        seen.extend(items.iter().map(|i| i["case_number"].as_str().unwrap().to_string()));
        pages += 1;
        let Some(link) = next else { break };
        assert!(link.ends_with("rel=\"next\""), "{link}");
        let target = link.trim_start_matches('<').split('>').next().unwrap();
        url = target.to_string();
    }
    assert_eq!((pages, seen), (2, sent), "3 then 1, oldest first, each once");
    for bad in ["limit=0", "limit=201", "after=-1", "limit=x"] {
        let resp = idp
            .http
            .get(format!("{}/api/admin/items?{bad}", idp.base))
            .bearer_auth(&idp.admin_token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{bad}");
    }
}
