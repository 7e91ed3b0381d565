//! Every item end to end, as a person does it: log in, read and acknowledge the texts, pick the
//! item, fill the wizard, check, submit, see "等待审核", and see the reviewer's decision arrive.
//! Also: a field error shown and fixed, a draft resumed after a restart, an offline submission
//! sent on its own once the server is back, and 长辈模式 at phone width. axe-core checks each
//! distinct screen; screenshots land in target/screenshots/.

use crate::harness::{luhn_card, Harness, WAIT};
use fantoccini::Locator;
use shiye_server::persons::{Seed, SEEDS};
use std::time::{Duration, Instant};

fn seed(subject: &str) -> &'static Seed {
    SEEDS.iter().find(|s| s.subject == subject).expect("seeded person")
}

/// Picks a job title through the search box; returns its code.
async fn pick_job(h: &Harness, query: &str) -> String {
    h.fill("job_title", query).await;
    let Ok(option) =
        h.client.wait().at_most(WAIT).for_element(Locator::Css("#f-job_title-list .option")).await
    else {
        h.failure_screenshot().await;
        panic!("no search results for {query}");
    };
    let code = option.attr("data-code").await.expect("attr").expect("a code");
    option.click().await.expect("pick");
    code
}

/// `who` logs in and acknowledges the texts; then the server stops and the header says 离线.
async fn signed_in_then_offline(h: &mut Harness, who: &Seed) {
    h.login(who).await;
    h.accept_notices().await;
    h.stop_server().await;
    h.wait_text("connectivity", "离线").await;
}

/// Waits until 我的办件 lists `n` items with `status`.
async fn wait_statuses(h: &Harness, status: &str, n: usize) {
    let deadline = Instant::now() + WAIT;
    loop {
        let cells = h.client.find_all(Locator::Css("#applications td.status")).await.unwrap_or_default();
        let mut count = 0;
        for c in &cells {
            if c.text().await.unwrap_or_default() == status {
                count += 1;
            }
        }
        if count >= n {
            return;
        }
        assert!(Instant::now() < deadline, "我的办件 never showed {n} × {status} (saw {count})");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

async fn basic_address(h: &Harness, district: &str, street: &str) {
    h.wait_text("section-heading", "基本信息").await;
    h.beijing_household(district).await;
    h.choose("household_street", street).await;
    h.next().await;
}

/// 求职登记申请信息: the work district, a job found by `query`, 就业形式 and 薪酬类型, the lowest
/// pay, then 下一步.
pub(crate) async fn job_seeking(
    h: &Harness,
    district: &str,
    query: &str,
    form: &str,
    pay_type: &str,
    pay_min: &str,
) {
    h.wait_text("section-heading", "求职登记").await;
    h.choose("work_district", district).await;
    pick_job(h, query).await;
    h.choose("employment_form", form).await;
    h.choose("pay_type", pay_type).await;
    h.fill("pay_min", pay_min).await;
    h.next().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claim_bundle_with_all_four_sections_is_submitted_once_and_approved() {
    let h = Harness::start().await;
    let who = seed("p-new-bj");
    h.login(who).await;
    h.wait_text("notice-heading", "用户通知").await;
    h.axe("用户通知").await;
    h.screenshot("10-notice.png").await;
    h.accept_notices().await;

    // The service page: an item the records forbid is disabled with its reason.
    h.wait_text("svc-registration_cancel-reason", "您当前没有有效的失业登记").await;
    assert!(!h.wait_id("svc-registration_cancel").await.is_enabled().await.expect("enabled?"));
    h.axe("办理事项").await;
    h.screenshot("11-services.png").await;
    // 失业保险金申领 ticks 失业登记 and 求职登记; 取消 in the dialog stays on the page.
    h.tick("svc-benefit_claim").await;
    h.wait_checked("svc-registration").await;
    h.wait_checked("svc-job_seeking").await;
    h.click("services-confirm").await;
    h.wait_text("dialog-message", "失业保险金申领").await;
    h.axe("确认对话框").await;
    h.screenshot("12-confirm-dialog.png").await;
    h.click("dialog-cancel").await;
    h.wait_gone("#dialog-ok", "取消 closes the dialog").await;
    assert!(h.client.find(Locator::Id("wizard-heading")).await.is_err(), "取消 does not enter");
    h.click("services-confirm").await;
    h.click("dialog-ok").await;

    // 基本信息: 下一步 with nothing chosen shows the error summary, which takes focus.
    h.wait_text("section-heading", "基本信息").await;
    h.wait_text("f-name", who.name).await;
    h.next().await;
    h.wait_text("error-summary", "户籍地行政区划（省/自治区/直辖市）为必填项").await;
    h.wait_script(
        "return document.activeElement.id;",
        vec![],
        |id| id == "error-summary",
        "the error summary takes focus",
    )
    .await;
    h.wait_text("e-household_province", "为必填项").await;
    h.axe("字段错误").await;
    h.screenshot("13-field-error.png").await;
    // 常住地 appears only when it differs from 户籍地.
    assert!(h.client.find(Locator::Id("f-residence_district")).await.is_err());
    h.tick("f-residence_differs").await;
    h.wait_id("f-residence_district").await;
    h.tick("f-residence_differs").await;
    h.beijing_household("110105").await;
    h.choose("household_street", "110105001").await;
    h.wait_gone("#e-household_province", "the error is gone once fixed").await;
    h.next().await;

    // 求职登记: 薪酬类型 follows 就业形式; 岗位名称 found by pinyin initials.
    h.wait_text("section-heading", "求职登记").await;
    h.choose("work_district", "110108").await;
    let job = pick_job(&h, "rjgc").await;
    assert!(!job.is_empty());
    h.choose("employment_form", "part_time").await;
    h.wait_gone("#f-pay_type option[value='monthly']", "no monthly pay for part-time work").await;
    h.choose("employment_form", "full_time").await;
    h.choose("pay_type", "monthly").await;
    h.fill("pay_min", "15000").await;
    h.screenshot("14-wizard-job-seeking.png").await;
    h.axe("求职登记").await;
    h.next().await;

    // 失业登记: 特殊身份 is offered to a Beijing 户籍; agencies follow the street.
    h.wait_text("section-heading", "失业登记").await;
    h.wait_id("f-special_identity").await;
    h.choose("unemployed_person_type", "enterprise_terminated").await;
    h.choose("service_agency", "S110105001").await;
    h.next().await;

    // 失业保险金申领: the record with its dispute note and the entitlement preview.
    h.wait_text("section-heading", "失业保险金申领").await;
    h.wait_text("dispute-note", "如申请人对以下信息有异议").await;
    h.wait_text("entitlement", "个月").await;
    h.wait_text("f-last_employer", "北京星河软件有限公司").await;
    h.choose("bank_card_type", "debit_card").await;
    // 开户行 found by pinyin: the list narrows to the matches, best first.
    h.fill("bank-filter", "gongshang").await;
    h.wait_script(
        "const o = [...document.querySelectorAll('#f-bank option')]; return [o.length, o[1] ? o[1].value : ''];",
        vec![],
        |o| o[0].as_u64().is_some_and(|n| n <= 31) && o[1] == "ICBC",
        "the bank list narrows to the matches of gongshang, 中国工商银行 first",
    )
    .await;
    h.choose("bank", "ICBC").await;
    let card = luhn_card("621226020000001234");
    h.fill("bank_card_number", &card).await;
    h.tick("f-record_confirmed").await;
    h.screenshot("15-wizard-claim.png").await;
    h.axe("失业保险金申领").await;
    h.next().await;

    // 信息确认: 修改 goes back to the section and returns here.
    h.wait_id("check-heading").await;
    h.wait_text("check-f-bank_card_number", &card).await;
    h.click("edit-1").await;
    h.wait_text("section-heading", "求职登记").await;
    h.fill("pay_min", "16000").await;
    h.next().await;
    h.wait_text("check-f-pay_min", "16000").await;
    h.axe("信息确认").await;
    h.screenshot("16-check-answers.png").await;
    // Two clicks on 提交 in the same instant queue one submission.
    h.client
        .execute("const b = document.getElementById('submit'); b.click(); b.click();", vec![])
        .await
        .expect("double click");
    h.wait_id("result-heading").await;
    h.wait_text("result-status", "等待审核").await;
    let cases = h.client.find_all(Locator::Css("#main .case-number")).await.expect("case numbers");
    assert_eq!(cases.len(), 3, "one 办件编号 per item");
    h.axe("提交结果").await;
    h.screenshot("17-result.png").await;
    assert_eq!(h.pending_items(who.subject).await.len(), 3, "exactly one application of three items");

    // The reviewer approves; 我的办件 shows it without the person doing anything.
    h.click("nav-applications").await;
    wait_statuses(&h, "等待审核", 3).await;
    assert_eq!(h.decide_all(who.subject, "approve", None).await, 3);
    wait_statuses(&h, "已通过", 3).await;
    h.wait_text("last-sync", "最近同步").await;
    h.axe("我的办件").await;
    h.screenshot("18-applications.png").await;
    h.assert_no_plaintext(&[who.id_number(), who.phone.to_string(), card]);
    h.finish().await;
}

/// A person whose 户籍 is in Hebei claims benefit: their real 户籍地 (河北省 石家庄市 长安区, no 街道:
/// the table has Beijing's only) and a Beijing 常住地, whose 街道 picks the serving agencies —
/// asked at once, with the reason, never behind a box to tick; the reviewer's case file shows both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hebei_household_claims_benefit_with_a_beijing_residence() {
    let h = Harness::start().await;
    let who = seed("p-new-nonbj");
    h.login(who).await;
    h.accept_notices().await;
    h.open("benefit_claim").await;
    h.wait_text("section-heading", "基本信息").await;
    h.choose("household_province", "13").await;
    h.choose("household_city", "1301").await;
    h.choose("household_district", "130102").await;
    assert!(h.client.find(Locator::Id("f-household_street")).await.is_err(), "no 街道 outside Beijing");
    h.fill("household_address", "建设北大街1号").await;
    assert!(h.client.find(Locator::Id("f-residence_differs")).await.is_err(), "no box to find first");
    h.wait_text("f-residence_district-hint", "服务机构按常住地确定").await;
    h.choose("residence_district", "110101").await;
    h.choose("residence_street", "110101001").await;
    h.fill("residence_address", "东华门大街2号").await;
    h.axe("基本信息（外埠户籍）").await;
    h.screenshot("19-hebei-household.png").await;
    h.next().await;
    job_seeking(&h, "110101", "快递", "part_time", "hourly", "40").await;
    h.wait_text("section-heading", "失业登记").await;
    assert!(h.client.find(Locator::Id("f-special_identity")).await.is_err(), "特殊身份 is for 本市户籍 only");
    h.choose("unemployed_person_type", "other").await;
    h.choose("service_agency", "D110101").await;
    h.next().await;
    h.wait_text("section-heading", "失业保险金申领").await;
    h.choose("bank_card_type", "debit_card").await;
    h.choose("bank", "ICBC").await;
    h.fill("bank_card_number", &luhn_card("621226020000005678")).await;
    h.tick("f-record_confirmed").await;
    h.next().await;
    h.wait_id("check-heading").await;
    h.wait_text("check-f-household_province", "河北省").await;
    h.wait_text("check-f-household_city", "石家庄市").await;
    h.wait_text("check-f-household_district", "长安区").await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;
    let items = h.pending_items(who.subject).await;
    assert_eq!(items.len(), 3);
    let file = h.case_file(&items[0].0).await;
    let basic = &file["answers"]["basic"];
    assert_eq!(basic["household_province"], "13", "{file}");
    assert_eq!(basic["household_district"], "130102");
    assert!(basic["household_street"].is_null());
    assert_eq!(basic["residence_street"], "110101001");
    // The reviewer returns the registration and approves the rest.
    for (case, item) in items {
        let (action, reason) = if item == "registration" {
            ("return", Some("请重新选择服务机构"))
        } else {
            ("approve", None)
        };
        h.decide(&case, action, reason).await;
    }
    // The refresher sees the decisions: an OS notification is asked for and 我的办件 gets a badge,
    // which goes once the person looks.
    h.wait_text("applications-badge", "3").await;
    let logged =
        h.log_files().iter().map(|f| std::fs::read_to_string(f).unwrap_or_default()).collect::<String>();
    assert!(logged.contains("status change notif"), "the notification was asked for");
    h.screenshot("26-status-badge.png").await;
    h.click("to-applications").await;
    wait_statuses(&h, "已通过", 2).await;
    wait_statuses(&h, "退回补正", 1).await;
    h.wait_gone("#applications-badge", "the badge goes once the person has looked").await;

    // Only the returned registration goes again, from the answers sent.
    let correct =
        h.client.find(Locator::XPath("//button[text()='修改并重新提交']")).await.expect("a way to correct");
    correct.click().await.expect("correct");
    h.click("draft-resume").await;
    h.wait_text("resubmit-note", "失业登记").await;
    h.wait_value("f-household_district", "130102").await;
    for _ in 0..4 {
        h.next().await;
    }
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;
    let cases = h.client.find_all(Locator::Css("#main .case-number")).await.expect("case numbers");
    assert_eq!(cases.len(), 1, "one item sent again");
    let pending = h.pending_items(who.subject).await;
    assert_eq!(pending.iter().map(|(_, i)| i.as_str()).collect::<Vec<_>>(), ["registration"]);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registered_person_job_seeking_change_and_cancel_with_a_returned_item_resubmitted() {
    let h = Harness::start().await;
    let who = seed("p-registered");
    h.login(who).await;
    h.accept_notices().await;

    // 求职登记 alone.
    h.open("job_seeking").await;
    basic_address(&h, "110108", "110108001").await;
    job_seeking(&h, "110108", "印刷", "temporary", "one_off", "3000").await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;

    // 失业登记信息变更.
    h.click("to-services").await;
    h.open("registration_change").await;
    h.wait_text("f-name", who.name).await;
    // It opens with the registration as it stands; unchanged it cannot be sent.
    h.wait_value("f-household_district", "110108").await;
    h.wait_value("f-household_street", "110108001").await;
    h.wait_value("f-hukou_nature", "beijing_urban").await;
    h.next().await;
    h.wait_text("error-summary", "未作任何变更").await;
    // One changed field, shown 原 → 新 on the check page.
    h.choose("professional_title", "intermediate").await;
    h.next().await;
    h.wait_text("check-f-professional_title", "— → 中级").await;
    h.axe("变更 信息确认（原 → 新）").await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;

    // 失业登记注销.
    h.click("to-services").await;
    h.open("registration_cancel").await;
    h.wait_text("section-heading", "基本信息").await;
    h.next().await;
    h.choose("cancel_reason", "employed").await;
    h.next().await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;

    // The reviewer: 求职登记 approved, 变更 returned for correction, 注销 not accepted.
    for (case, item) in h.pending_items(who.subject).await {
        let (action, reason) = match item.as_str() {
            "job_seeking" => ("approve", None),
            "registration_change" => ("return", Some("请补充职业资格证书信息")),
            _ => ("reject", Some("您已于近期重新就业，请由用人单位办理")),
        };
        h.decide(&case, action, reason).await;
    }
    h.click("nav-applications").await;
    wait_statuses(&h, "退回补正", 1).await;
    wait_statuses(&h, "不予受理", 1).await;
    h.wait_text("applications", "请补充职业资格证书信息").await;
    h.wait_text("applications", "您已于近期重新就业").await;
    wait_statuses(&h, "已通过", 1).await;
    h.screenshot("19-returned.png").await;
    h.axe("我的办件（退回补正、不予受理）").await;

    // Correct and resubmit the returned item.
    let correct =
        h.client.find(Locator::XPath("//button[text()='修改并重新提交']")).await.expect("a way to correct");
    correct.click().await.expect("correct");
    // The answers sent before come back as a draft to correct, not a blank form.
    h.click("draft-resume").await;
    h.wait_text("wizard-heading", "失业登记信息变更").await;
    h.wait_value("f-hukou_nature", "beijing_urban").await;
    h.wait_value("f-household_street", "110108001").await;
    h.fill("qualification_name", "印刷操作员").await;
    h.pick_date("certificate_date", "2020-05-01").await;
    h.choose("skill_level", "level4").await;
    h.next().await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receiving_person_changes_bank_account_and_stops_with_an_sms_code() {
    let h = Harness::start().await;
    let who = seed("p-receiving");
    h.login(who).await;
    h.accept_notices().await;
    // 停发 says before the person starts that it is done online (its SMS code lapses).
    h.wait_text("svc-benefit_stop-reason", "需联网办理").await;

    // 银行账号变更: the old card masked, the confirmation checked.
    h.open("bank_account_change").await;
    h.next().await;
    h.wait_text("f-old_card_number", "*").await;
    h.choose("new_bank_card_type", "debit_card").await;
    // The card number comes first here: its prefix suggests 开户行, which the person checks.
    let card = luhn_card("621700000000000123");
    h.fill("new_card_number", &card).await;
    h.wait_text("f-new_bank-suggested", "已根据卡号推荐开户行").await;
    h.wait_value("f-new_bank", "CCB").await;
    h.fill("confirm_card_number", &luhn_card("621700000000000999")).await;
    h.next().await;
    h.wait_text("error-summary", "确认银行卡号与现开户行卡号不一致").await;
    h.fill("confirm_card_number", &card).await;
    // Where the benefit is paid changes only with the code sent to the registered phone.
    h.next().await;
    h.wait_text("error-summary", "短信验证码为必填项").await;
    h.click("sms-send").await;
    h.wait_text("sms-status", "验证码已发送至").await;
    let message = h.latest_sms(who.subject).await;
    assert!(message.contains("失业保险金银行账号变更"), "{message}");
    let code = h.latest_sms_code(who.subject).await;
    h.fill("sms_code", &code).await;
    h.next().await;
    h.axe("银行账号变更 信息确认").await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;

    // 停发: the SMS code button counts down; the code comes from the server's test API.
    h.click("to-services").await;
    h.open("benefit_stop").await;
    h.next().await;
    h.wait_text("f-months_received", "5个月").await;
    h.choose("stop_reason", "reemployed").await;
    h.click("sms-send").await;
    h.wait_text("sms-status", "验证码已发送至").await;
    h.wait_text("sms-send", "秒后可重新获取").await;
    assert!(!h.wait_id("sms-send").await.is_enabled().await.expect("enabled?"));
    let code = h.latest_sms_code(who.subject).await;
    assert_eq!(code.len(), 6);
    h.fill("sms_code", &code).await;
    h.screenshot("20-benefit-stop.png").await;
    h.axe("失业保险金停发").await;
    h.next().await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;

    assert_eq!(h.decide_all(who.subject, "approve", None).await, 2);
    h.click("to-applications").await;
    wait_statuses(&h, "已通过", 2).await;
    h.assert_no_plaintext(&[who.id_number(), who.phone.to_string(), card]);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_resumed_after_the_app_restarts_mid_wizard() {
    let mut h = Harness::start().await;
    let who = seed("p-new-bj");
    h.login(who).await;
    h.accept_notices().await;
    h.open("job_seeking").await;
    h.beijing_household("110105").await;
    h.choose("household_street", "110105001").await;
    h.fill("household_address", "建国门外大街1号").await;
    h.saved().await;

    h.restart_app().await;
    // Logged in from the keyring, the texts remembered: straight to the service page.
    h.wait_id("services-heading").await;
    h.click("nav-drafts").await;
    h.wait_text("drafts", "求职登记").await;
    h.wait_text("drafts", "到期清除").await;
    h.axe("草稿箱").await;
    h.screenshot("21-drafts.png").await;
    h.click("nav-services").await;
    h.open("job_seeking").await;
    h.wait_id("draft-resume").await;
    h.axe("继续填写").await;
    h.screenshot("22-resume.png").await;
    h.click("draft-resume").await;
    h.wait_value("f-household_street", "110105001").await;
    h.wait_value("f-household_address", "建国门外大街1号").await;
    h.assert_no_plaintext(&[who.id_number(), who.phone.to_string(), "建国门外大街1号".into()]);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_starts_offline_and_a_submission_made_then_is_sent_when_the_server_is_back() {
    let mut h = Harness::start().await;
    let who = seed("p-registered");
    signed_in_then_offline(&mut h, who).await;
    h.wait_id("offline-banner").await;

    // Started without the server, the app offers to continue as the person from its cache.
    h.restart_app().await;
    h.wait_text("continue-offline", who.name).await;
    h.axe("离线登录").await;
    h.screenshot("24-offline-start.png").await;
    h.click("continue-offline").await;
    h.wait_text("connectivity", "离线").await;
    h.open("registration_cancel").await;
    h.next().await;
    h.choose("cancel_reason", "pension").await;
    h.next().await;
    h.submit().await;
    h.wait_text("result-status", "已保存，联网后自动提交").await;
    h.wait_text("pending", "1").await;
    h.screenshot("23-offline-result.png").await;
    h.axe("离线提交").await;

    h.restart_server().await;
    h.wait_text("result-status", "等待审核").await;
    h.wait_text("connectivity", "在线").await;
    h.wait_text("pending", "0").await;
    assert_eq!(h.pending_items(who.subject).await.len(), 1, "sent exactly once");

    // The 回执: 办件编号, the answer as sent, the expected date; it opens again after a restart
    // with the server gone.
    let (case, _) = h.pending_items(who.subject).await.remove(0);
    let open_receipt = |h: &Harness| {
        let client = h.client.clone();
        async move {
            let button = client
                .wait()
                .at_most(WAIT)
                .for_element(Locator::Css("button[id^='receipt-']"))
                .await
                .expect("a 查看回执 button");
            button.click().await.expect("click");
        }
    };
    h.click("nav-applications").await;
    h.wait_text("applications", "预计办结日期").await;
    open_receipt(&h).await;
    h.wait_text("receipt-heading", "回执").await;
    h.wait_text("main", &case).await;
    h.wait_text("receipt-f-cancel_reason", "基本养老保险待遇").await;
    h.axe("回执").await;
    h.screenshot("25-receipt.png").await;
    h.stop_server().await;
    h.restart_app().await;
    h.wait_text("continue-offline", who.name).await;
    h.click("continue-offline").await;
    h.click("nav-applications").await;
    open_receipt(&h).await;
    h.wait_text("main", &case).await;
    h.wait_text("receipt-f-cancel_reason", "基本养老保险待遇").await;
    h.finish().await;
}

/// Waits until 长辈模式 is on: the switch says so and the page wears its styles.
async fn wait_elderly(h: &Harness) {
    h.wait_script(
        "const s = document.getElementById('elderly-switch');
         return !!s && s.getAttribute('aria-checked') === 'true' && !!document.querySelector('.app.elderly');",
        vec![],
        |on| on == true,
        "长辈模式 never came on",
    )
    .await;
}

/// The header's height on screen (px).
async fn header_height(h: &Harness) -> f64 {
    let v = h
        .client
        .execute("return document.querySelector('header.masthead').getBoundingClientRect().height;", vec![])
        .await
        .expect("header");
    v.as_f64().unwrap_or(f64::MAX)
}

/// The first input of the step is inside the viewport without scrolling.
async fn assert_first_input_in_view(h: &Harness) {
    let v = h
        .client
        .execute(
            "const e = document.querySelector('#main form select, #main form input:not([type=hidden]), #main form textarea');
             const r = e.getBoundingClientRect();
             return [e.id, r.top, r.bottom, window.innerHeight];",
            vec![],
        )
        .await
        .expect("first input");
    let (top, bottom, height) =
        (v[1].as_f64().unwrap_or(-1.0), v[2].as_f64().unwrap_or(f64::MAX), v[3].as_f64().unwrap_or(0.0));
    assert!(
        top >= 0.0 && bottom <= height,
        "the first input {} lies at {top}..{bottom} of {height} px",
        v[0]
    );
}

/// A computed style number (px) of the first element matching `selector`.
async fn px(h: &Harness, selector: &str, property: &str) -> f64 {
    let v = h
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); if (!e) return -1;
             const s = getComputedStyle(e); const r = e.getBoundingClientRect();
             if (arguments[1] === 'height') return r.height; if (arguments[1] === 'width') return r.width;
             return parseFloat(s[arguments[1]]);",
            vec![serde_json::json!(selector), serde_json::json!(property)],
        )
        .await
        .expect("style");
    v.as_f64().unwrap_or(-1.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_width_then_elderly_mode() {
    let mut h = Harness::start().await;
    let who = seed("p-new-bj");
    let fits = |h: &Harness| {
        let c = h.client.clone();
        async move {
            let wide = c
                .execute("return document.documentElement.scrollWidth > window.innerWidth;", vec![])
                .await
                .expect("overflow");
            assert_eq!(wide, false, "nothing wider than a 360 px phone");
        }
    };
    h.client.set_window_size(360, 740).await.expect("phone width");
    h.wait_id("login-button").await;
    fits(&h).await;
    h.screenshot("30-phone-login.png").await;
    h.login(who).await;
    h.wait_id("notice-heading").await;
    h.screenshot("31-phone-notice.png").await;
    h.accept_notices().await;
    fits(&h).await;
    h.screenshot("32-phone-services.png").await;
    h.axe("办理事项（手机）").await;
    h.open("job_seeking").await;
    fits(&h).await;
    // The header leaves the phone's screen to the form: at most 15 % of its height, and the
    // step's first input shows without scrolling.
    assert!(header_height(&h).await <= 740.0 * 0.15, "header {} px", header_height(&h).await);
    assert_first_input_in_view(&h).await;
    h.screenshot("33-phone-wizard.png").await;
    h.axe("填写（手机）").await;

    // 长辈模式 from the header switch (behind the phone's 菜单): larger text and targets, one column.
    h.click("menu-toggle").await;
    h.click("elderly-switch").await;
    h.click("menu-toggle").await;
    wait_elderly(&h).await;
    assert!(px(&h, "#main p", "fontSize").await >= 18.0, "body text ≥ 18 px");
    assert!(px(&h, "h2", "fontSize").await >= 30.0, "main headings ≥ 30 px");
    assert!(px(&h, "#main p", "lineHeight").await / px(&h, "#main p", "fontSize").await >= 1.3);
    assert!(px(&h, "#f-household_district", "height").await >= 60.0, "touch targets ≥ 60 px");
    assert!(px(&h, "#next", "height").await >= 60.0 && px(&h, "#next", "width").await >= 60.0);
    fits(&h).await;
    // In 长辈模式 the header takes at most a quarter of the screen, and each step of the wizard
    // opens with its first input in view.
    assert!(header_height(&h).await <= 740.0 * 0.25, "header {} px", header_height(&h).await);
    assert_first_input_in_view(&h).await;
    h.screenshot("34-phone-elderly-wizard.png").await;
    h.axe("填写（长辈模式）").await;
    h.beijing_household("110105").await;
    h.choose("household_street", "110105001").await;
    h.next().await;
    h.wait_text("section-heading", "求职登记").await;
    h.client.execute("window.scrollTo(0, 0);", vec![]).await.expect("scroll");
    assert_first_input_in_view(&h).await;
    h.screenshot("37-phone-elderly-second-step.png").await;
    // 岗位名称 with the keyboard alone (an ARIA 1.2 combobox): type, ↓ ↓, Enter; Escape closes.
    const DOWN: &str = "\u{E015}";
    const ENTER: &str = "\u{E007}";
    const ESCAPE: &str = "\u{E00C}";
    let job = h.wait_id("f-job_title").await;
    job.send_keys("kuaidi").await.expect("type");
    h.wait_id("f-job_title-list-1").await;
    job.send_keys(&format!("{DOWN}{DOWN}")).await.expect("arrows");
    let active = job.attr("aria-activedescendant").await.expect("attr");
    assert_eq!(active.as_deref(), Some("f-job_title-list-1"), "the second option is active");
    // The live region is visually hidden: read for screen readers, so its content, not its looks.
    let said = h
        .client
        .execute("return document.getElementById('f-job_title-status').textContent;", vec![])
        .await
        .expect("status");
    assert!(said.as_str().is_some_and(|t| t.contains("上下方向键")), "announced: {said}");
    h.axe("岗位名称（键盘选择）").await;
    let second = h.wait_id("f-job_title-list-1").await;
    assert_eq!(second.attr("aria-selected").await.expect("attr").as_deref(), Some("true"));
    let name = second.text().await.expect("text");
    job.send_keys(ENTER).await.expect("enter");
    h.wait_text("f-job_title-picked", name.split_whitespace().next().expect("a name")).await;
    h.wait_gone("#f-job_title-list", "the list closes once chosen").await;
    job.send_keys(DOWN).await.expect("reopen");
    h.wait_id("f-job_title-list").await;
    job.send_keys(ESCAPE).await.expect("escape");
    h.wait_gone("#f-job_title-list", "Escape closes the list").await;
    h.click("nav-services").await;
    h.wait_id("services-heading").await;
    assert!(px(&h, "#services-confirm", "height").await >= 60.0);
    assert!(px(&h, "#svc-job_seeking", "height").await >= 30.0, "large checkboxes");
    h.screenshot("35-phone-elderly-services.png").await;
    h.axe("办理事项（长辈模式）").await;
    h.click("menu-toggle").await;
    h.axe("菜单（长辈模式）").await;
    h.click("logout").await;
    h.wait_id("login-button").await;
    assert!(
        px(&h, "#login-button", "height").await >= 60.0 && px(&h, "#login-button", "width").await >= 60.0
    );
    h.screenshot("36-phone-elderly-login.png").await;
    h.axe("登录（长辈模式）").await;

    // A device preference: remembered across restarts, before anyone logs in.
    h.restart_app().await;
    h.wait_id("login-button").await;
    wait_elderly(&h).await;
    h.finish().await;
}

/// 求职登记 applied for from 办理事项 through to "等待审核".
async fn apply_for_job_seeking(h: &Harness) {
    h.open("job_seeking").await;
    basic_address(h, "110108", "110108001").await;
    job_seeking(h, "110108", "印刷", "temporary", "one_off", "3000").await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;
}

/// 一项审核完成前不能再次申请, said before anything is filled: with a 求职登记 waiting, 办理事项 rules
/// out another (and the joint items that send one), naming its 办件编号; 撤回 in 我的办件 (confirmed)
/// withdraws it, and a new 求职登记 is accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_item_is_ruled_out_until_withdrawn_then_applied_for_again() {
    let h = Harness::start().await;
    let who = seed("p-new-bj");
    h.login(who).await;
    h.accept_notices().await;
    apply_for_job_seeking(&h).await;
    let (case, _) =
        h.pending_items(who.subject).await.into_iter().find(|(_, item)| item == "job_seeking").unwrap();

    h.click("nav-services").await;
    h.wait_text("svc-job_seeking-reason", &case).await;
    let ruled_out = "return ['svc-job_seeking', 'svc-registration', 'svc-benefit_claim']
                     .map(id => document.getElementById(id)).every(e => e && e.disabled);";
    h.wait_script(
        ruled_out,
        vec![],
        |v| v == &serde_json::Value::Bool(true),
        "the waiting item's kind is ruled out",
    )
    .await;
    h.axe("办理事项（有待审核的事项）").await;

    h.click("nav-applications").await;
    h.wait_id("applications").await;
    let withdraw =
        h.client.wait().at_most(WAIT).for_element(Locator::Css("#applications button.withdraw")).await;
    withdraw.expect("撤回 is offered while it waits").click().await.expect("撤回");
    h.wait_text("dialog-message", "撤回后").await;
    h.click("dialog-ok").await;
    wait_statuses(&h, "已撤回", 1).await;

    h.click("nav-services").await;
    let free = "const e = document.getElementById('svc-job_seeking'); return !!e && !e.disabled;";
    h.wait_script(free, vec![], |v| v == &serde_json::Value::Bool(true), "求职登记 is open again").await;
    apply_for_job_seeking(&h).await;
    h.finish().await;
}

/// A refusal deletes nothing: two 注销 queued offline, the second refused once sent (one item of a
/// kind waits at a time); 我的办件 says so, offers 修改 and 放弃, and 修改 brings what was typed
/// back into the wizard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_submission_comes_back_to_the_wizard_with_what_was_typed() {
    let mut h = Harness::start().await;
    let who = seed("p-registered");
    signed_in_then_offline(&mut h, who).await;
    for reason in ["pension", "employed"] {
        h.click("nav-services").await;
        h.open("registration_cancel").await;
        h.next().await;
        h.choose("cancel_reason", reason).await;
        h.next().await;
        h.submit().await;
        h.wait_text("result-status", "已保存，联网后自动提交").await;
    }
    h.wait_text("pending", "2").await;

    h.restart_server().await;
    h.wait_text("pending", "0").await;
    assert_eq!(h.pending_items(who.subject).await.len(), 1, "the first is accepted, the second refused");
    h.click("nav-applications").await;
    h.wait_text("applications", "未能受理").await;
    h.wait_text("applications", "您填写的内容已保留").await;
    h.axe("我的办件（未能受理）").await;
    let modify = h
        .client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#applications li.local button.primary"))
        .await;
    modify.expect("修改 is offered").click().await.expect("修改");
    // The answers are the person's draft again: offered to resume, as any draft is.
    h.click("draft-resume").await;
    h.wait_id("wizard-heading").await;
    h.next().await;
    h.wait_value("f-cancel_reason", "employed").await;
    h.finish().await;
}

/// 港澳台居民居住证 and 外国人永久居留身份证 holders: 基本信息 names their document and its number
/// (masked) under 证件号码; their 户籍地 is 香港 / 外国 at the province level, their Beijing 常住地
/// decides the office; 求职登记 goes through.
async fn a_holder_of_another_document_applies_for_job_seeking(
    subject: &str,
    document: &str,
    household: &str,
) {
    let h = Harness::start().await;
    let who = seed(subject);
    h.login(who).await;
    h.accept_notices().await;
    h.open("job_seeking").await;
    h.wait_text("section-heading", "基本信息").await;
    h.wait_text("f-id_type", document).await;
    h.wait_text("f-id_number-label", "证件号码").await;
    let shown = h.wait_id("f-id_number").await.text().await.expect("text");
    assert!(shown.contains('*') && !shown.contains(&who.id_number()[6..14]), "masked: {shown}");
    h.choose("household_province", household).await;
    h.wait_gone("#f-household_city", "nothing under 香港, 澳门, 台湾 or 外国").await;
    h.wait_text("f-residence_district-hint", "服务机构按常住地确定").await;
    h.choose("residence_district", "110105").await;
    h.choose("residence_street", "110105001").await;
    h.fill("residence_address", "建国门外大街1号").await;
    h.axe(&format!("基本信息（{document}）")).await;
    h.next().await;
    job_seeking(&h, "110105", "快递", "part_time", "hourly", "40").await;
    h.wait_id("check-heading").await;
    h.wait_text("check-f-id_type", document).await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;
    assert_eq!(h.pending_items(who.subject).await.len(), 1);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hong_kong_residence_permit_holder_applies_for_job_seeking() {
    a_holder_of_another_document_applies_for_job_seeking("p-hk", "港澳台居民居住证", "81").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_permanent_resident_applies_for_job_seeking() {
    a_holder_of_another_document_applies_for_job_seeking("p-foreign", "外国人永久居留身份证", "99").await;
}
