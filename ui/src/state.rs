//! The app's state as a pure reducer over `Action`s (Yew's `Reducible`), so every transition is
//! unit-testable without a browser.

use shiye_core::api::Session;
use shiye_core::CommandError;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Auth {
    #[default]
    LoggedOut,
    /// The login window is open.
    LoggingIn,
    LoggedIn(Session),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    pub auth: Auth,
    /// The last error to show; cleared when the user tries again.
    pub error: Option<CommandError>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    LoginStarted,
    LoginSucceeded(Session),
    LoginFailed(CommandError),
}

impl AppState {
    pub fn apply(&self, action: Action) -> AppState {
        match action {
            Action::LoginStarted => AppState { auth: Auth::LoggingIn, error: None },
            Action::LoginSucceeded(s) => AppState { auth: Auth::LoggedIn(s), error: None },
            Action::LoginFailed(e) => AppState { auth: Auth::LoggedOut, error: Some(e) },
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.apply(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::ErrorKind;

    fn session() -> Session {
        Session { subject: "s".into(), name: "王建国".into() }
    }

    #[test]
    fn login_flow_transitions() {
        let s = AppState::default().apply(Action::LoginStarted);
        assert_eq!(s.auth, Auth::LoggingIn);
        let ok = s.apply(Action::LoginSucceeded(session()));
        assert_eq!(ok.auth, Auth::LoggedIn(session()));
        assert_eq!(ok.error, None);
    }

    #[test]
    fn a_failure_is_shown_then_cleared_on_retry() {
        let err = CommandError::new(ErrorKind::LoginRejected, "x");
        let failed = AppState::default().apply(Action::LoginStarted).apply(Action::LoginFailed(err.clone()));
        assert_eq!(failed.auth, Auth::LoggedOut);
        assert_eq!(failed.error, Some(err));
        assert_eq!(failed.apply(Action::LoginStarted).error, None);
    }

    #[test]
    fn reduce_keeps_the_same_rc_when_nothing_changes() {
        let a = Rc::new(AppState::default().apply(Action::LoginStarted));
        let b = a.clone().reduce(Action::LoginStarted);
        assert!(Rc::ptr_eq(&a, &b));
    }
}
