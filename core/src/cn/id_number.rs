//! Resident identity card numbers, GB 11643-1999 (公民身份号码): 6-digit address code,
//! 8-digit birth date, 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2
//! check character.

/// Weights of the first 17 digits, GB 11643-1999 §8.2.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder 0..=10, GB 11643-1999 §8.2.
const CHECK: [u8; 11] = *b"10X98765432";

/// The check character that completes the first 17 digits, or `None` if they are not 17 ASCII digits.
pub fn check_char(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes.iter().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

/// Whether the 18th character matches the checksum of the first 17 (lower-case x accepted).
pub fn checksum_ok(id: &str) -> bool {
    let id = id.trim();
    if id.len() != 18 || !id.is_ascii() {
        return false;
    }
    let (head, last) = id.split_at(17);
    check_char(head).is_some_and(|c| last.eq_ignore_ascii_case(&c.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers() {
        // The worked example of GB 11643-1999 appendix: 11010519491231002X.
        assert_eq!(check_char("11010519491231002"), Some('X'));
        assert!(checksum_ok("11010519491231002X"));
        assert!(checksum_ok("11010519491231002x"));
        assert!(!checksum_ok("110105194912310021"));
        assert!(!checksum_ok("1101051949123100"));
        assert!(!checksum_ok("1101051949123100２X"));
        assert_eq!(check_char("1101051949123100a"), None);
    }
}
