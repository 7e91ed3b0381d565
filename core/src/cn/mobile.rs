//! Mainland China mobile numbers: 11 digits starting 13–19 (MIIT numbering plan). Spaces, hyphens
//! and a +86 / 0086 prefix are accepted and removed.

/// The normalised 11-digit number, or what is wrong with it (to follow the field's label).
pub fn normalize(input: &str) -> Result<String, &'static str> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{3000}')).collect();
    let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
    if digits.is_empty() {
        return Err("不能为空");
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("只能包含数字");
    }
    if digits.len() != 11 {
        return Err("应为11位数字");
    }
    if !(digits.starts_with('1') && (b'3'..=b'9').contains(&digits.as_bytes()[1])) {
        return Err("应以13至19开头");
    }
    Ok(digits.to_string())
}

/// Masks a mobile number for display: 170****0001.
pub fn mask(phone: &str) -> String {
    let p: Vec<char> = phone.chars().collect();
    if p.len() != 11 {
        return "*".repeat(p.len());
    }
    format!("{}****{}", p[..3].iter().collect::<String>(), p[7..].iter().collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_spellings() {
        assert_eq!(normalize("138 0013 8000").unwrap(), "13800138000");
        assert_eq!(normalize("+86 138-0013-8000").unwrap(), "13800138000");
        assert_eq!(normalize("008613800138000").unwrap(), "13800138000");
    }

    #[test]
    fn refuses_with_a_reason() {
        assert_eq!(normalize(""), Err("不能为空"));
        assert_eq!(normalize("1380013800a"), Err("只能包含数字"));
        assert_eq!(normalize("1380013800"), Err("应为11位数字"));
        assert_eq!(normalize("12800138000"), Err("应以13至19开头"));
        assert_eq!(mask("17000000001"), "170****0001");
    }
}
