//! The types the app's commands and events hand to the UI (and the UI sends back). They live here
//! so that both sides of the IPC boundary compile against one definition.

use crate::api::Application;
use crate::cn::{id_number, mobile};
use crate::forms::{Answers, FieldError};
use crate::person::{Gender, IdType, Session, UserInfo};
use crate::records::Records;
use crate::services::{Bundle, ServiceKind};
use serde::{Deserialize, Serialize};

pub mod commands;

/// A draft as the wizard keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub answers: Answers,
    /// The wizard step the person was on.
    pub section: usize,
    /// A resubmission of some items only (see `ApplicationSubmission::items`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ServiceKind>>,
}

/// A line of 草稿箱.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub bundle: Bundle,
    pub saved_at: i64,
    pub expires_at: i64,
    pub outdated: bool,
}

/// A draft as the wizard gets it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DraftView {
    Resumable { draft: Box<Draft>, saved_at: i64 },
    Outdated { saved_at: i64 },
}

crate::tagged::tagged! {
    DraftView, tag "kind", unknown_fields false,
    fields { draft: Box<Draft>, saved_at: i64 },
    variants {
        Resumable "resumable" { draft, saved_at },
        Outdated "outdated" { saved_at },
    }
}

/// What `submit` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SubmitOutcome {
    /// Durably queued under this id (its Idempotency-Key); the draft is gone.
    Queued { id: String },
    /// Not queued: fix these first. The draft is kept.
    Invalid { errors: Vec<FieldError> },
}

crate::tagged::tagged! {
    SubmitOutcome, tag "outcome", unknown_fields false,
    fields { id: String, errors: Vec<FieldError> },
    variants {
        Queued "queued" { id },
        Invalid "invalid" { errors },
    }
}

/// 回执 of an accepted submission, kept sealed on the device: the server's answer (办件编号 per
/// item, time) and the answers as sent. Opens offline from 我的办件.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub application: Application,
    pub answers: Answers,
    /// When it was submitted on this device (Unix seconds).
    pub queued_at: i64,
}

/// The outbox counts the header shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxStatus {
    pub queued: usize,
    pub accepted: usize,
    pub needs_attention: usize,
}

/// A submission of this device that the server has not accepted (yet), for 我的办件.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalSubmission {
    pub id: String,
    pub bundle: Bundle,
    pub queued_at: i64,
    pub state: LocalState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LocalState {
    /// 待提交: waits in the outbox for the network.
    Pending,
    /// The server found errors: reopen it as a draft to correct them.
    Invalid { errors: Vec<FieldError> },
    /// The server refused an item (the person's state forbids it).
    Refused { item: ServiceKind, message: String },
    /// The server could not take it as it is.
    Failed { status: u16 },
    /// The server took it: its 办件编号s and expected dates.
    Accepted { application: Application },
}

crate::tagged::tagged! {
    LocalState, tag "state", unknown_fields false,
    fields { errors: Vec<FieldError>, item: ServiceKind, message: String, status: u16, application: Application },
    variants {
        Pending "pending" {},
        Invalid "invalid" { errors },
        Refused "refused" { item, message },
        Failed "failed" { status },
        Accepted "accepted" { application },
    }
}

/// 基本信息 as the forms show it: from the identity platform, with the ID and phone numbers
/// masked, so the webview never holds them whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicInfo {
    pub name: String,
    pub id_type: IdType,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub gender: Gender,
    pub birth_date: String,
}

impl From<&UserInfo> for BasicInfo {
    fn from(u: &UserInfo) -> Self {
        BasicInfo {
            name: u.name.clone(),
            id_type: u.id_type,
            id_number_masked: id_number::mask(&u.id_number),
            phone_masked: mobile::mask(&u.phone),
            gender: u.gender,
            birth_date: u.birth_date.clone(),
        }
    }
}

/// Everything the UI shows about the person, as last fetched (kept sealed for offline use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub session: Session,
    pub basic: BasicInfo,
    pub records: Records,
    pub applications: Vec<Application>,
    /// Unix seconds of the last successful fetch.
    pub synced_at: i64,
}

/// How the app starts: who is logged in (if anyone) and whether the server answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Startup {
    pub overview: Option<Overview>,
    pub online: bool,
    /// Drafts that expired since the last start, so the person is told.
    pub expired_drafts: Vec<Bundle>,
    pub prefs: Prefs,
    /// Set on a service-centre kiosk: no 离线继续, 结束办理 in the header, logout after idle time.
    pub kiosk: Option<KioskPolicy>,
    /// The published data the device holds (rule, notices, lists, divisions, 服务机构), when it has
    /// any (else the bundled defaults are in use).
    #[serde(default)]
    pub reference: Option<Box<crate::reference::snapshot::ReferenceData>>,
}

impl Startup {
    /// A person known here and the server reachable: their own pages come next, not the login page
    /// (offline, the login page offers to continue).
    pub fn resumes(&self) -> bool {
        self.overview.is_some() && self.online
    }
}

/// How a kiosk ends an abandoned session: after `idle_secs` without input a countdown of
/// `countdown_secs` is shown, which any input cancels; at its end the person is logged out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskPolicy {
    pub idle_secs: u32,
    pub countdown_secs: u32,
}

pub use crate::notices::Notice;

/// Device preferences (not personal data).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// 长辈模式
    pub elderly: bool,
}

/// The event names the app emits.
pub mod events {
    /// Payload: `Overview` (records and statuses refreshed).
    pub const OVERVIEW: &str = "overview";
    /// Payload: `Connectivity`.
    pub const CONNECTIVITY: &str = "connectivity";
    /// Payload: `SyncReport`.
    pub const SYNC_REPORT: &str = "sync-report";
    /// Payload: `Vec<StatusChange>` (a reviewer decided items since the last refresh).
    pub const STATUS_CHANGED: &str = "status-changed";
    /// Payload: `Vec<AgencyEntry>` (the server published another 服务机构 list).
    pub const REFERENCE: &str = "reference";
}

/// An item whose status the server now reports differently from the last refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub case_number: String,
    pub item: ServiceKind,
    pub status: crate::api::ItemStatus,
}

impl StatusChange {
    /// The line a notification shows, e.g. "求职登记：已通过".
    pub fn line_zh(&self) -> String {
        format!("{}：{}", self.item.label_zh(), self.status.label_zh())
    }
}

/// The items known `before` whose status is different `after` (new applications are not changes:
/// the person just sent them; nor is a withdrawal, which the person made themselves).
pub fn status_changes(before: &[Application], after: &[Application]) -> Vec<StatusChange> {
    let old: std::collections::HashMap<&str, crate::api::ItemStatus> =
        before.iter().flat_map(|a| a.items.iter().map(|i| (i.case_number.as_str(), i.status))).collect();
    after
        .iter()
        .flat_map(|a| a.items.iter())
        .filter(|i| i.status != crate::api::ItemStatus::Withdrawn)
        .filter(|i| old.get(i.case_number.as_str()).is_some_and(|s| *s != i.status))
        .map(|i| StatusChange { case_number: i.case_number.clone(), item: i.item, status: i.status })
        .collect()
}

/// What one pass of the sync engine over the outbox did (the `sync-report` event).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    pub accepted: usize,
    pub invalid: usize,
    pub refused: usize,
    pub failed: usize,
    /// Entries still queued after the pass.
    pub queued: usize,
    /// The pass stopped because the token was refused: the person must log in again.
    pub needs_login: bool,
    /// The pass stopped early; try again after this long.
    pub retry_after: Option<std::time::Duration>,
}

impl SyncReport {
    /// Whether the pass settled any entry (so statuses are worth fetching).
    pub fn settled_any(&self) -> bool {
        self.accepted + self.invalid + self.refused + self.failed > 0
    }
}

/// Whether the server answered the last attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connectivity {
    pub online: bool,
}

/// A fictitious person as the tests of every crate see them, written once.
#[cfg(any(test, feature = "samples"))]
pub mod samples {
    use super::{BasicInfo, Overview};
    use crate::person::{Gender, IdType, Session, UserInfo};
    use crate::records::Records;

    /// A person as the identity provider knows them, whole numbers included (fictitious).
    pub fn user_info() -> UserInfo {
        UserInfo {
            sub: "s".into(),
            name: "王建国".into(),
            id_type: IdType::ResidentIdCard,
            id_number: "11010519491231002X".into(),
            phone: "13800001234".into(),
            gender: Gender::Male,
            birth_date: "1949-12-31".into(),
        }
    }

    /// 王建国's basic information, numbers masked as the UI gets them.
    pub fn basic_info() -> BasicInfo {
        BasicInfo {
            name: "王建国".into(),
            id_type: IdType::ResidentIdCard,
            id_number_masked: "110105********0015".into(),
            phone_masked: "170****0001".into(),
            gender: Gender::Male,
            birth_date: "1985-03-15".into(),
        }
    }

    /// An overview of that person under `subject`, with these records and no applications.
    pub fn overview(subject: &str, records: Records) -> Overview {
        Overview {
            session: Session { subject: subject.into(), name: "王建国".into() },
            basic: basic_info(),
            records,
            applications: vec![],
            synced_at: 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_info_never_holds_whole_numbers() {
        let u = samples::user_info();
        let b = BasicInfo::from(&u);
        let json = serde_json::to_string(&b).unwrap();
        assert!(!json.contains("11010519491231002X") && !json.contains("13800001234"), "{json}");
        assert_eq!(b.phone_masked, "138****1234");
    }

    #[test]
    fn only_known_items_whose_status_moved_are_changes() {
        use crate::api::{ItemState, ItemStatus};
        let item = |case: &str, status| ItemState {
            item: ServiceKind::JobSeeking,
            case_number: case.into(),
            status,
            reason: None,
            expected_decision: None,
        };
        let app = |items| Application { id: "a".into(), submitted_at: String::new(), bundle: None, items };
        let before = [app(vec![item("1", ItemStatus::Submitted), item("2", ItemStatus::InReview)])];
        let after = [
            app(vec![item("1", ItemStatus::Returned), item("2", ItemStatus::InReview)]),
            app(vec![item("3", ItemStatus::Submitted)]),
        ];
        let changes = status_changes(&before, &after);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].case_number, "1");
        assert_eq!(changes[0].line_zh(), "求职登记：退回补正");
        // The person's own 撤回 raises no notification.
        let withdrawn = [app(vec![item("1", ItemStatus::Withdrawn), item("2", ItemStatus::InReview)])];
        assert!(status_changes(&before, &withdrawn).is_empty());
    }
}
