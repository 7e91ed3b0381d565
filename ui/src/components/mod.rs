//! Pieces the pages share.

pub mod check_answers;
pub mod choice;
pub mod dialog;
pub mod field;
pub mod header;
pub mod job_picker;
pub mod kiosk;
pub mod sms_button;
