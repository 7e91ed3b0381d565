//! Bank card and passbook numbers: digits only once spaces are removed; cards 16 to 19 long (China
//! UnionPay PANs), 存折 accounts 8 to 25. The Luhn check (ISO/IEC 7812-1) applies to cards only,
//! and only as a warning: some valid domestic cards fail it.

/// The card number with spaces removed, or what is wrong with it (to follow the field's label).
pub fn normalize(input: &str) -> Result<String, &'static str> {
    digits(input, 16..=19, "应为16至19位数字")
}

/// A 存折 (passbook) account number with spaces removed, or what is wrong with it. Passbook
/// accounts are not card numbers: banks number them 8 to 25 digits long and no check digit applies.
pub fn normalize_passbook(input: &str) -> Result<String, &'static str> {
    digits(input, 8..=25, "应为8至25位数字（存折账号）")
}

/// `input` without the spaces, ideographic spaces and dashes people type between digit groups.
pub fn strip_separators(input: &str) -> String {
    input.chars().filter(|c| !matches!(c, ' ' | '\u{3000}' | '-')).collect()
}

/// The digits of `input` (separators dropped), `lengths` long.
fn digits(
    input: &str,
    lengths: std::ops::RangeInclusive<usize>,
    wrong_length: &'static str,
) -> Result<String, &'static str> {
    let digits = strip_separators(input);
    if digits.is_empty() {
        return Err("不能为空");
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("只能包含数字");
    }
    if !lengths.contains(&digits.len()) {
        return Err(wrong_length);
    }
    Ok(digits)
}

/// ISO/IEC 7812-1 Luhn check of a digit string.
pub fn luhn_ok(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Masks a card number for display: first 4 and last 4 kept.
pub fn mask(card: &str) -> String {
    let c: Vec<char> = card.chars().collect();
    if c.len() < 8 {
        return "*".repeat(c.len());
    }
    c.iter().enumerate().map(|(i, ch)| if i < 4 || i >= c.len() - 4 { *ch } else { '*' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_checks_length() {
        assert_eq!(normalize("6222 0200 0000 0000 000").unwrap(), "6222020000000000000");
        assert_eq!(normalize("6222abc"), Err("只能包含数字"));
        assert_eq!(normalize("622202000000000"), Err("应为16至19位数字"));
        assert_eq!(normalize(" "), Err("不能为空"));
    }

    #[test]
    fn luhn() {
        assert!(luhn_ok("4111111111111111"));
        assert!(!luhn_ok("4111111111111112"));
        assert!(luhn_ok("6212260200000000006"));
        assert!(!luhn_ok(""));
        assert_eq!(mask("6212260200000000008"), "6212***********0008");
    }
}
