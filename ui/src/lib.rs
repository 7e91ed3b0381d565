//! shiye-ui: the Yew interface of 失业一件事. This file is the table of contents.

pub mod app;
pub mod assets;
pub mod components;
pub mod ipc;
pub mod pages;
pub mod route;
pub mod session;
pub mod state;
pub mod text;
pub mod view;
pub mod wizard;
