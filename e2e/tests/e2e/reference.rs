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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_agency_published_on_the_server_reaches_the_app_and_stays_offline() {
    let mut h = Harness::start().await;
    let who = SEEDS.iter().find(|s| s.subject == "p-new-bj").expect("seeded");
    h.publish_agencies(&list_with_office("N110105001", "建外街道就业服务站")).await;
    h.login(who).await;
    h.accept_notices().await;
    h.open("registration").await;
    h.wait_text("section-heading", "基本信息").await;
    h.beijing_household("110105").await;
    h.choose("household_street", STREET).await;
    h.next().await;
    crate::flows::job_seeking(&h, "110105", "快递", "part_time", "hourly", "40").await;
    h.wait_text("section-heading", "失业登记").await;
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
