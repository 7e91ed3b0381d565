//! The app's state as a pure reducer over `Action`s (Yew's `Reducible`), so every transition is
//! unit-testable without a browser.

use crate::route::Route;

use shiye_core::ipc::{KioskPolicy, Notice, OutboxStatus, Overview, Prefs, Startup};
use shiye_core::services::Bundle;
use shiye_core::CommandError;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    pub route: Route,
    /// The person logged in, as last fetched (or from the cache when offline).
    pub overview: Option<Overview>,
    pub online: bool,
    pub prefs: Prefs,
    /// Text versions the person acknowledged.
    pub accepted: Vec<(Notice, u32)>,
    pub outbox: OutboxStatus,
    /// The login window is open.
    pub logging_in: bool,
    /// The last error to show; cleared by the next intent.
    pub error: Option<CommandError>,
    /// Drafts that expired since the last start (told once).
    pub expired: Vec<Bundle>,
    /// Started without the server: the person last logged in here, whom the login page offers
    /// to continue offline.
    pub offline_offer: Option<Overview>,
    /// This device is a service-centre kiosk (from the shell's config).
    pub kiosk: Option<KioskPolicy>,
    /// Items a reviewer decided since the person last opened 我的办件.
    pub unseen: usize,
    /// How many times the server's 服务机构 list was put in use: the pickers re-render on a change.
    pub reference: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Started(Startup),
    LoginStarted,
    LoggedIn(Overview),
    Failed(CommandError),
    Accepted(Vec<(Notice, u32)>),
    Refreshed(Overview),
    Connectivity(bool),
    Outbox(OutboxStatus),
    Prefs(Prefs),
    Navigate(Route),
    /// 离线继续: go on as the cached person without the server.
    ContinueOffline,
    /// The refresher saw this many items change status.
    StatusChanged(usize),
    /// A table is in use (already installed in core): the server's published data, or a data file
    /// the page loaded from its assets.
    ReferenceInstalled,
    LoggedOut,
    DismissExpired,
}

/// The version of each text the app shows now.
pub fn current_version(n: Notice) -> u32 {
    shiye_core::notices::current(n, crate::view::today()).version
}

/// Where a logged-in person goes: the first text not yet acknowledged in its current version,
/// else the service page.
pub fn after_login(accepted: &[(Notice, u32)]) -> Route {
    match shiye_core::notices::newer_than_accepted(accepted, crate::view::today()) {
        Some(text) => Route::Notice(text.notice),
        None => Route::Services,
    }
}

impl AppState {
    pub fn logged_in(&self) -> bool {
        self.overview.is_some()
    }

    pub fn apply(&self, action: Action) -> AppState {
        let mut s = self.clone();
        match action {
            Action::Started(start) => {
                s.online = start.online;
                match (start.overview, start.online) {
                    (Some(o), false) => {
                        s.route = Route::Login;
                        s.offline_offer = Some(o);
                    }
                    (Some(o), true) => {
                        s.route = Route::Loading;
                        s.overview = Some(o);
                    }
                    (None, _) => s.route = Route::Login,
                }
                s.prefs = start.prefs;
                s.expired = start.expired_drafts;
                s.kiosk = start.kiosk;
            }
            Action::LoginStarted => {
                s.logging_in = true;
                s.error = None;
            }
            Action::LoggedIn(o) => {
                s.logging_in = false;
                s.offline_offer = None;
                s.overview = Some(o);
                s.online = true;
                s.route = Route::Loading;
            }
            Action::Failed(e) => {
                s.logging_in = false;
                s.error = Some(e);
            }
            Action::Accepted(a) => {
                s.accepted = a;
                // Only the texts and the loading screen move on by themselves.
                if matches!(s.route, Route::Loading | Route::Notice(_)) {
                    s.route = after_login(&s.accepted);
                }
            }
            Action::Refreshed(o) => {
                s.overview = Some(o);
                s.online = true;
            }
            Action::Connectivity(online) => s.online = online,
            Action::Outbox(o) => s.outbox = o,
            Action::Prefs(p) => s.prefs = p,
            Action::Navigate(r) => {
                s.error = None;
                // Nothing but the login page before login, and nothing past the texts before they
                // are acknowledged.
                s.route = match (&s.overview, after_login(&s.accepted)) {
                    (None, _) => Route::Login,
                    (Some(_), Route::Notice(n)) if !matches!(r, Route::Notice(_)) => Route::Notice(n),
                    _ => r,
                };
                if s.route == Route::Applications {
                    s.unseen = 0;
                }
            }
            Action::LoggedOut => {
                s = AppState {
                    prefs: s.prefs,
                    online: s.online,
                    kiosk: s.kiosk,
                    route: Route::Login,
                    ..AppState::default()
                };
            }
            Action::ContinueOffline => {
                if let Some(o) = s.offline_offer.take() {
                    s.overview = Some(o);
                    s.route = Route::Loading;
                    s.error = None;
                }
            }
            Action::DismissExpired => s.expired.clear(),
            // On 我的办件 the person sees the change as it comes.
            Action::StatusChanged(n) if s.route != Route::Applications => s.unseen += n,
            Action::StatusChanged(_) => {}
            Action::ReferenceInstalled => s.reference += 1,
        }
        s
    }
}

/// Yew re-renders on a new `Rc`: the old one comes back when an action changed nothing.
pub fn same_or_new<T: PartialEq>(old: Rc<T>, next: T) -> Rc<T> {
    if next == *old {
        old
    } else {
        Rc::new(next)
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.apply(action);
        same_or_new(self, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::ErrorKind;

    fn overview() -> Overview {
        shiye_core::ipc::samples::overview("s", Default::default())
    }

    fn logged_in() -> AppState {
        AppState::default().apply(Action::LoginStarted).apply(Action::LoggedIn(overview()))
    }

    #[test]
    fn texts_come_before_the_service_page_in_order() {
        let s = logged_in().apply(Action::Accepted(vec![]));
        assert_eq!(s.route, Route::Notice(Notice::UserNotice));
        assert_eq!(s.apply(Action::Navigate(Route::Services)).route, Route::Notice(Notice::UserNotice));
        let s = s.apply(Action::Accepted(vec![(Notice::UserNotice, current_version(Notice::UserNotice))]));
        assert_eq!(s.route, Route::Notice(Notice::Commitment));
        let all = vec![
            (Notice::UserNotice, current_version(Notice::UserNotice)),
            (Notice::Commitment, current_version(Notice::Commitment)),
        ];
        assert_eq!(s.apply(Action::Accepted(all)).route, Route::Services);
    }

    #[test]
    fn a_new_text_version_must_be_read_again() {
        let old = vec![(Notice::UserNotice, 0), (Notice::Commitment, current_version(Notice::Commitment))];
        assert_eq!(after_login(&old), Route::Notice(Notice::UserNotice));
    }

    #[test]
    fn nothing_opens_before_login_and_logout_keeps_only_preferences() {
        let s = AppState::default().apply(Action::Navigate(Route::Applications));
        assert_eq!(s.route, Route::Login);
        let s = logged_in().apply(Action::Prefs(Prefs { elderly: true })).apply(Action::LoggedOut);
        assert_eq!(s.route, Route::Login);
        assert!(s.overview.is_none() && s.prefs.elderly);
    }

    #[test]
    fn decisions_count_until_my_applications_is_opened() {
        let all = vec![
            (Notice::UserNotice, current_version(Notice::UserNotice)),
            (Notice::Commitment, current_version(Notice::Commitment)),
        ];
        let s = logged_in().apply(Action::Accepted(all));
        let s = s.apply(Action::StatusChanged(2)).apply(Action::StatusChanged(1));
        assert_eq!(s.unseen, 3);
        assert_eq!(s.clone().apply(Action::Navigate(Route::Drafts)).unseen, 3);
        assert_eq!(s.apply(Action::Navigate(Route::Applications)).unseen, 0);
    }

    #[test]
    fn a_failure_is_shown_then_cleared_on_retry() {
        let err = CommandError::new(ErrorKind::LoginRejected, "x");
        let failed = AppState::default().apply(Action::LoginStarted).apply(Action::Failed(err.clone()));
        assert!(!failed.logging_in);
        assert_eq!(failed.error, Some(err));
        assert_eq!(failed.apply(Action::LoginStarted).error, None);
    }

    #[test]
    fn starting_offline_offers_to_continue_as_the_cached_person() {
        let start = Startup {
            overview: Some(overview()),
            online: false,
            expired_drafts: vec![Bundle::JobSeeking],
            prefs: Prefs::default(),
            kiosk: None,
            reference: None,
        };
        let s = AppState::default().apply(Action::Started(start));
        assert_eq!(s.route, Route::Login);
        assert!(!s.logged_in() && !s.online && s.offline_offer.is_some());
        assert_eq!(s.expired, [Bundle::JobSeeking]);
        let s = s.apply(Action::ContinueOffline);
        assert!(s.logged_in() && s.offline_offer.is_none());
        assert_eq!(s.route, Route::Loading, "then the texts or the service page, as online");
        assert!(s.apply(Action::DismissExpired).expired.is_empty());
    }

    #[test]
    fn the_start_is_unsettled_until_the_shell_answers_then_a_person_or_the_login_page() {
        let before = AppState::default();
        assert_eq!(before.route, Route::Starting);
        assert!(!before.route.settled());
        let nobody = Startup {
            overview: None,
            online: true,
            expired_drafts: vec![],
            prefs: Prefs::default(),
            kiosk: None,
            reference: None,
        };
        let s = before.clone().apply(Action::Started(nobody.clone()));
        assert_eq!(s.route, Route::Login);
        assert!(s.route.settled());
        // A person to resume: loading their pages, not yet a screen to act on.
        let s = before.apply(Action::Started(Startup { overview: Some(overview()), ..nobody }));
        assert_eq!(s.route, Route::Loading);
        assert!(!s.route.settled());
    }

    #[test]
    fn a_kiosk_stays_a_kiosk_after_the_person_leaves() {
        let policy = KioskPolicy { idle_secs: 5, countdown_secs: 5 };
        let start = Startup {
            overview: None,
            online: true,
            expired_drafts: vec![],
            prefs: Prefs::default(),
            kiosk: Some(policy),
            reference: None,
        };
        let s = AppState::default().apply(Action::Started(start)).apply(Action::LoggedIn(overview()));
        let s = s.apply(Action::LoggedOut);
        assert_eq!((s.kiosk, s.overview.is_none(), s.route.clone()), (Some(policy), true, Route::Login));
    }

    #[test]
    fn reduce_keeps_the_same_rc_when_nothing_changes() {
        let a = Rc::new(AppState::default().apply(Action::Connectivity(true)));
        let b = a.clone().reduce(Action::Connectivity(true));
        assert!(Rc::ptr_eq(&a, &b));
    }
}
