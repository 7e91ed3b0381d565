//! Pieces the pages share.

pub mod bank_filter;
pub mod check_answers;
pub mod dialog;
pub mod field;
pub mod header;
pub mod job_picker;
pub mod kiosk;
pub mod sms_button;
