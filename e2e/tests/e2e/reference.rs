//! The 服务机构 list the operators publish on the server reaches the app: offered in the wizard (a
//! list published while the step is open re-renders it), kept sealed on the device so it is still
//! offered after a restart without the server, and accepted by the server on submission.

use crate::harness::{Harness, WAIT};
use shiye_core::reference::agencies;
use shiye_core::reference::agencies::AgencyEntry;
use shiye_server::persons::SEEDS;
use std::time::{Duration, Instant};

const STREET: &str = "110105001";

/// The bundled list with 建外街道's office replaced by `(id, name)`.
fn list_with_office(id: &str, name: &str) -> Vec<AgencyEntry> {
    let mut list: Vec<AgencyEntry> =
        agencies::bundled().into_iter().filter(|a| a.id != "S110105001").collect();
    list.push(AgencyEntry { id: id.into(), name: name.into(), streets: vec![STREET.into()] });
    list
}

/// The 服务机构 picker's options as (code, name), once it offers `code` named `name`.
async fn wait_agency(h: &Harness, code: &str, name: &str) -> Vec<(String, String)> {
    let deadline = Instant::now() + WAIT;
    loop {
        let options = h
            .client
            .execute(
                "const e = document.getElementById('f-service_agency');
                 return e ? [...e.options].filter(o => o.value).map(o => [o.value, o.text]) : [];",
                vec![],
            )
            .await
            .expect("options");
        let options: Vec<(String, String)> = serde_json::from_value(options).expect("pairs");
        if options.iter().any(|(c, n)| c == code && n == name) {
            return options;
        }
        if Instant::now() > deadline {
            h.failure_screenshot().await;
            panic!("服务机构 never offered {code} {name}: {options:?}");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

async fn to_registration_step(h: &Harness) {
    for _ in 0..3 {
        if h.wait_id("section-heading").await.text().await.unwrap_or_default().contains("失业登记") {
            return;
        }
        h.next().await;
    }
    h.wait_text("section-heading", "失业登记").await;
}

/// `who` logs in, accepts the texts and opens `item` with a 户籍 on `street` of 朝阳区, through
/// 求职登记 to the 失业登记 step.
async fn to_registration_with_street(
    h: &Harness,
    who: &shiye_server::persons::Seed,
    item: &str,
    street: &str,
) {
    h.login(who).await;
    h.accept_notices().await;
    h.open(item).await;
    h.wait_text("section-heading", "基本信息").await;
    h.beijing_household("110105").await;
    h.choose("household_street", street).await;
    h.next().await;
    crate::flows::job_seeking(h, "110105", "快递", "part_time", "hourly", "40").await;
    h.wait_text("section-heading", "失业登记").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_agency_published_on_the_server_reaches_the_app_and_stays_offline() {
    let mut h = Harness::start().await;
    let who = SEEDS.iter().find(|s| s.subject == "p-new-bj").expect("seeded");
    h.publish_agencies(&list_with_office("N110105001", "建外街道就业服务站")).await;
    to_registration_with_street(&h, who, "registration", STREET).await;
    let offered = wait_agency(&h, "N110105001", "建外街道就业服务站").await;
    assert!(!offered.iter().any(|(c, _)| c == "S110105001"), "the withdrawn office is gone: {offered:?}");
    h.choose("unemployed_person_type", "other").await;
    h.choose("service_agency", "N110105001").await;

    // Published while the step is open: the picker shows the new name, the choice kept.
    h.publish_agencies(&list_with_office("N110105001", "建外街道就业服务站（新址）")).await;
    wait_agency(&h, "N110105001", "建外街道就业服务站（新址）").await;
    h.axe("失业登记（服务机构来自服务端）").await;
    h.saved().await;

    // Without the server, after a restart: the list the server published is still the one offered.
    h.stop_server().await;
    h.restart_app().await;
    h.wait_text("continue-offline", who.name).await;
    h.click("continue-offline").await;
    h.open("registration").await;
    h.click("draft-resume").await;
    to_registration_step(&h).await;
    let offered = wait_agency(&h, "N110105001", "建外街道就业服务站（新址）").await;
    assert!(!offered.iter().any(|(c, _)| c == "S110105001"), "offline too: {offered:?}");
    h.screenshot("27-published-agency-offline.png").await;

    // The server back: the choice is sent and accepted.
    h.restart_server().await;
    h.wait_text("connectivity", "在线").await;
    h.next().await;
    h.wait_id("check-heading").await;
    h.wait_text("check-f-service_agency", "建外街道就业服务站（新址）").await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;
    let items = h.pending_items(who.subject).await;
    let (case, _) = items.iter().find(|(_, i)| i == "registration").expect("a 失业登记").clone();
    assert_eq!(h.case_file(&case).await["answers"]["registration"]["agency"], "N110105001");
    h.finish().await;
}

const NEW_STREET: &str = "110105100";
const NEW_PARAGRAPH: &str = "六、本人知晓提供虚假材料骗取失业保险待遇的法律后果。";

/// A policy office changes what it owns while the app runs — a new street and the office serving
/// it, a new benefit rule, a new 承诺书, and an option withdrawn — and the person sees each without
/// a new build: the street chosen, the preview by the new rule, the new 承诺书 before the next
/// application, the draft that chose the withdrawn option opened with the field marked; offline
/// after a restart the rule and the accepted 承诺书 stay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_policy_office_publishes_reaches_the_running_app_and_stays_offline() {
    use serde_json::json;
    use shiye_core::options::NamedEntry;
    use shiye_core::reference::divisions;
    let mut h = Harness::start().await;
    let who = SEEDS.iter().find(|s| s.subject == "p-new-bj").expect("seeded");

    // A street new to the bundled 2023 table, and the office that serves it.
    let mut table = divisions::bundled();
    let chaoyang = table.iter_mut().find(|d| d.code == "110105").expect("朝阳区");
    chaoyang.streets.push(NamedEntry { code: NEW_STREET.into(), name: "朝阳新城街道".into() });
    h.publish("divisions", &json!(table)).await;
    let mut list = agencies::derived(&table);
    list.push(AgencyEntry {
        id: "X1".into(),
        name: "朝阳新城就业服务站".into(),
        streets: vec![NEW_STREET.into()],
    });
    h.publish("agencies", &json!(list)).await;

    to_registration_with_street(&h, who, "benefit_claim", NEW_STREET).await;
    wait_agency(&h, "X1", "朝阳新城就业服务站").await;
    h.choose("unemployed_person_type", "other").await;
    h.choose("service_agency", "X1").await;
    h.next().await;
    h.wait_text("section-heading", "失业保险金申领").await;
    h.wait_text("entitlement", "预计可领取失业保险金9个月，每月2086元").await;
    h.saved().await;

    // Published while the claim step is open: a rule in force since 2026-01-01, a new 承诺书, and
    // 其他失业人员 withdrawn from 失业人员类型.
    let mut rules = shiye_core::benefit::bundled();
    let mut v2 = rules[0].clone();
    v2.version = 2;
    v2.name = "北京市失业保险金领取期限和标准（调整）".into();
    v2.effective_from = shiye_core::date::Date { year: 2026, month: 1, day: 1 };
    v2.periods.iter_mut().find(|b| b.from_months == 36).expect("3 years").value = 10;
    v2.monthly_yuan[0].value = 2300;
    rules.push(v2);
    let mut texts = shiye_core::notices::bundled();
    let mut commitment = texts[1].clone();
    commitment.version = 2;
    commitment.effective_from = shiye_core::date::Date { year: 2026, month: 1, day: 1 };
    commitment.paragraphs.push(NEW_PARAGRAPH.into());
    texts.push(commitment);
    h.publish("notices", &json!(texts)).await;
    let mut options = shiye_core::options::bundled();
    options.get_mut("unemployed_person_type").expect("list").retain(|e| e.code != "other");
    h.publish("options", &json!(options)).await;
    // The rule last: the app shows it only from a fetch that holds the other two as well.
    h.publish("benefit_rules", &json!(rules)).await;
    h.wait_text(
        "entitlement",
        "预计可领取失业保险金10个月，每月2300元（依据：北京市失业保险金领取期限和标准（调整），第2版",
    )
    .await;
    h.screenshot("28-published-rule.png").await;

    // The person finishes the claim step and sends: the shell refuses a submission under the older
    // 承诺书, so the new one is read and accepted first; the draft is kept.
    h.choose("bank_card_type", "debit_card").await;
    h.choose("bank", "ICBC").await;
    h.fill("bank_card_number", &crate::harness::luhn_card("621226020000001234")).await;
    h.tick("f-record_confirmed").await;
    h.saved().await;
    h.next().await;
    h.wait_text("check-f-household_street", "朝阳新城街道").await;
    h.click("submit").await;
    h.wait_text("notice-heading", "承诺书").await;
    h.wait_text("notice-body", NEW_PARAGRAPH).await;
    h.axe("新版承诺书").await;
    h.accept_shown_notice().await;

    // The draft opens at 失业登记 with the withdrawn option named; everything else as typed, and
    // once it is fixed the person is back on 信息确认.
    h.open("benefit_claim").await;
    h.click("draft-resume").await;
    h.wait_text("section-heading", "失业登记").await;
    h.wait_text("error-summary", "失业人员类型的选项“其他失业人员”已停用（政策调整），请重新选择").await;
    h.wait_text("e-unemployed_person_type", "已停用").await;
    h.wait_value("f-service_agency", "X1").await;
    h.axe("已停用的选项").await;
    h.screenshot("29-withdrawn-option.png").await;
    h.choose("unemployed_person_type", "enterprise_terminated").await;
    h.next().await;
    // From where the draft was kept: 信息确认, or the claim step first.
    if h.client.find(fantoccini::Locator::Id("check-heading")).await.is_err() {
        h.next().await;
    }
    h.wait_text("check-f-unemployed_person_type", "企业解除人员").await;
    h.submit().await;
    h.wait_text("result-status", "等待审核").await;
    let items = h.pending_items(who.subject).await;
    let (case, _) = items.iter().find(|(_, i)| i == "registration").expect("a 失业登记").clone();
    let file = h.case_file(&case).await;
    assert_eq!(file["answers"]["registration"]["agency"], "X1");
    assert_eq!(file["answers"]["basic"]["household_street"], NEW_STREET);
    assert_eq!(file["consent"]["commitment_version"], 2, "the accepted version goes with it: {file}");

    // Offline after a restart: the 回执 shows the published rule, and the 承诺书 is not asked again.
    h.stop_server().await;
    h.restart_app().await;
    h.wait_text("continue-offline", who.name).await;
    h.click("continue-offline").await;
    h.wait_id("services-heading").await;
    h.click("nav-applications").await;
    let receipt = h
        .client
        .wait()
        .at_most(WAIT)
        .for_element(fantoccini::Locator::Css("button[id^='receipt-']"))
        .await
        .expect("a 查看回执 button");
    receipt.click().await.expect("click");
    h.wait_text("receipt-entitlement", "10个月，每月2300元").await;
    h.screenshot("30-published-rule-offline.png").await;
    h.finish().await;
}
