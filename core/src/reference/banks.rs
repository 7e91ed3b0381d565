//! Banks and the card-prefix table (npm `bankcardinfo` 2.0.6, about 2017 data). A prefix match is
//! only a suggestion for 开户行: the person confirms or changes it.

use super::generated::banks::{BANKS, CARD_BINS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bank {
    pub code: &'static str,
    pub name: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    /// 储蓄卡 (debit)
    Debit,
    /// 信用卡
    Credit,
    /// 准贷记卡
    SemiCredit,
    /// 预付费卡
    Prepaid,
}

/// Every bank once, in the table's order.
pub fn all() -> impl Iterator<Item = Bank> {
    BANKS
        .iter()
        .enumerate()
        .filter(|(i, (code, _))| !BANKS[..*i].iter().any(|(c, _)| c == code))
        .map(|(_, &(code, name))| Bank { code, name })
}

pub fn by_code(code: &str) -> Option<Bank> {
    all().find(|b| b.code == code)
}

/// The bank and card kind that a card number's prefix and length suggest (longest prefix wins).
pub fn suggest(card_digits: &str) -> Option<(Bank, CardKind)> {
    let (_, _, code, kind) = CARD_BINS
        .iter()
        .filter(|(prefix, len, _, _)| {
            usize::from(*len) == card_digits.len() && card_digits.starts_with(prefix)
        })
        .max_by_key(|(prefix, ..)| prefix.len())?;
    let kind = match *kind {
        "CC" => CardKind::Credit,
        "SCC" => CardKind::SemiCredit,
        "PC" => CardKind::Prepaid,
        _ => CardKind::Debit,
    };
    Some((by_code(code)?, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_suggest_a_bank() {
        let (bank, kind) = suggest("6210960000000000000").unwrap();
        assert_eq!(bank.name, "中国邮政储蓄银行");
        assert_eq!(kind, CardKind::Debit);
        assert_eq!(suggest("6228120000000000").map(|(_, k)| k), Some(CardKind::Credit));
        assert!(suggest("1234567890123456").is_none());
        let codes: Vec<_> = all().map(|b| b.code).collect();
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(codes.len(), unique.len());
    }
}
