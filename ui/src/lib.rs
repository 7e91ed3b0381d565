//! shiye-ui: the Yew interface of 失业一件事. Pages render state and raise intents; `state` holds
//! the reducers (pure, unit-tested natively); `ipc` is the only place that talks to the shell.

pub mod app;
pub mod ipc;
pub mod pages;
pub mod state;
pub mod text;
