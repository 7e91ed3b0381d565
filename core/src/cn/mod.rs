//! Chinese national formats: resident ID numbers (GB 11643), mobile numbers and bank cards.

pub mod bank_card;
pub mod id_number;
pub mod mobile;
