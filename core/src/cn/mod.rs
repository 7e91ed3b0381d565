//! Chinese national formats: resident ID numbers (GB 11643), and later mobile numbers and bank cards.

pub mod id_number;
