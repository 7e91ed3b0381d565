//! The numbers of the three documents people log in with. 居民身份证, GB 11643-1999 (公民身份号码):
//! 6-digit address code, 8-digit birth date, 3-digit sequence (odd for men, even for women) and an
//! ISO 7064 MOD 11-2 check character. 港澳台居民居住证: the same, its address code 810000 (香港),
//! 820000 (澳门) or 830000 (台湾). 外国人永久居留身份证 (国家移民管理局, 2023 edition, issued from
//! 2023-12-01): 18 characters, a leading 9, the birth date at 7–14, the sex at 17 and the same check
//! character; the earlier cards' 15 characters (3 Latin letters of the nationality and 12 digits)
//! are checked for their form only, their birth date and sex read from the platform.

use crate::date::Date;
use crate::person::{Gender, IdType};

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

/// What is wrong with an ID number, most basic fault first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdFault {
    /// Not 18 characters.
    Length,
    /// A character other than digits (and a final X).
    Characters,
    /// The address code does not start with a valid province code.
    Region,
    /// Characters 7–14 are not a real date.
    BirthDate,
    /// The birth date is after today.
    FutureBirthDate,
    /// The 18th character does not match.
    Checksum,
    /// Not the form of the document named (e.g. a 港澳台居民居住证 not starting 810000/820000/830000).
    Document,
    /// The sequence digit's parity disagrees with the recorded 性别.
    GenderMismatch,
    /// The encoded birth date disagrees with the recorded 出生日期.
    BirthDateMismatch,
}

impl IdFault {
    /// What is wrong, to follow the field's label ("证件号码" + detail).
    pub fn detail_zh(self) -> &'static str {
        match self {
            IdFault::Length => "应为18位（2023年以前签发的外国人永久居留身份证为15位）",
            IdFault::Characters => "只能包含数字，最后一位可以是X",
            IdFault::Region => "前两位不是有效的省级行政区划代码",
            IdFault::BirthDate => "第7至14位不是有效的出生日期",
            IdFault::FutureBirthDate => "中的出生日期晚于今天",
            IdFault::Checksum => "第18位校验码不正确",
            IdFault::Document => "与证件类型不符",
            IdFault::GenderMismatch => "与登记的性别不一致",
            IdFault::BirthDateMismatch => "与登记的出生日期不一致",
        }
    }

    /// The whole message, e.g. "证件号码第18位校验码不正确".
    pub fn message_zh(self) -> String {
        format!("证件号码{}", self.detail_zh())
    }
}

/// A checked ID number and what it encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    /// Normalised: trimmed, letters upper-cased.
    pub value: String,
    pub id_type: IdType,
    /// `None` for a 15-character 外国人永久居留身份证 (read from the platform instead).
    pub birth_date: Option<Date>,
    pub gender: Option<Gender>,
}

/// Province-level codes of GB/T 2260 (the first two digits of an address code).
const PROVINCES: &[&str] = &[
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
    "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
];

/// Checks a 居民身份证 number completely against `today`.
pub fn parse(input: &str, today: Date) -> Result<IdNumber, IdFault> {
    parse_as(IdType::ResidentIdCard, input, today)
}

/// Checks the number of a document of `id_type` completely against `today`.
pub fn parse_as(id_type: IdType, input: &str, today: Date) -> Result<IdNumber, IdFault> {
    let value = input.trim().to_ascii_uppercase();
    if id_type == IdType::ForeignPermanentResidentCard && value.chars().count() == 15 {
        return earlier_permanent_residence(value);
    }
    if value.chars().count() != 18 {
        return Err(IdFault::Length);
    }
    if !value.is_ascii() {
        return Err(IdFault::Characters);
    }
    let (head, last) = value.split_at(17);
    if !head.bytes().all(|b| b.is_ascii_digit()) || !matches!(last.as_bytes()[0], b'0'..=b'9' | b'X') {
        return Err(IdFault::Characters);
    }
    match id_type {
        IdType::ResidentIdCard if !PROVINCES.contains(&&value[0..2]) => return Err(IdFault::Region),
        IdType::HmtResidencePermit if !["810000", "820000", "830000"].contains(&&value[0..6]) => {
            return Err(IdFault::Document)
        }
        IdType::ForeignPermanentResidentCard if !value.starts_with('9') => return Err(IdFault::Document),
        _ => {}
    }
    let birth_date = Date::parse_compact(&value[6..14]).ok_or(IdFault::BirthDate)?;
    if birth_date > today {
        return Err(IdFault::FutureBirthDate);
    }
    if !checksum_ok(&value) {
        return Err(IdFault::Checksum);
    }
    let gender = if (value.as_bytes()[16] - b'0') % 2 == 1 { Gender::Male } else { Gender::Female };
    Ok(IdNumber { value, id_type, birth_date: Some(birth_date), gender: Some(gender) })
}

/// A 外国人永久居留身份证 issued before December 2023: three letters, then twelve digits.
fn earlier_permanent_residence(value: String) -> Result<IdNumber, IdFault> {
    let b = value.as_bytes();
    if !b[..3].iter().all(u8::is_ascii_uppercase) || !b[3..].iter().all(u8::is_ascii_digit) {
        return Err(IdFault::Characters);
    }
    Ok(IdNumber { value, id_type: IdType::ForeignPermanentResidentCard, birth_date: None, gender: None })
}

impl IdNumber {
    /// Checks the number against the 性别 and 出生日期 recorded beside it (what it does not encode
    /// cannot disagree).
    pub fn consistent_with(&self, gender: Gender, birth_date: Date) -> Result<(), IdFault> {
        if self.birth_date.is_some_and(|b| b != birth_date) {
            return Err(IdFault::BirthDateMismatch);
        }
        if self.gender.is_some_and(|g| g != gender) {
            return Err(IdFault::GenderMismatch);
        }
        Ok(())
    }
}

/// Masks an ID number for display: first 6 and last 4 kept (e.g. 110105********0019).
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    chars.iter().enumerate().map(|(i, c)| if i < 6 || i >= chars.len() - 4 { *c } else { '*' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 27).unwrap()
    }

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

    /// A golden list: every valid number parses with its birth date and gender; every invalid
    /// one is refused for the stated reason.
    #[test]
    fn golden_list() {
        let valid = [
            ("11010519491231002X", "1949-12-31", Gender::Female),
            ("11010519491231002x", "1949-12-31", Gender::Female),
            ("110105198503150019", "1985-03-15", Gender::Male),
            ("130102199007080022", "1990-07-08", Gender::Female),
            ("11010819881120003X", "1988-11-20", Gender::Male),
            ("440305200002290010", "2000-02-29", Gender::Male),
            (" 110114199901010063 ", "1999-01-01", Gender::Female),
        ];
        for (id, birth, gender) in valid {
            let p = parse(id, today()).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            assert_eq!(p.birth_date.unwrap().to_string(), birth, "{id}");
            assert_eq!(p.gender, Some(gender), "{id}");
            assert!(!p.value.contains('x') && !p.value.contains(' '));
        }
        let invalid = [
            ("11010519491231002", IdFault::Length),
            ("1101051949123100211", IdFault::Length),
            ("", IdFault::Length),
            ("11010519491231002Y", IdFault::Characters),
            ("1101051949123100X2", IdFault::Characters),
            ("１１０１０５１９４９１２３１００２X", IdFault::Characters),
            ("99010519491231002X", IdFault::Region),
            ("110105194913310024", IdFault::BirthDate),
            ("110105190002290017", IdFault::BirthDate),
            ("110105203001010011", IdFault::FutureBirthDate),
            ("110105198503150018", IdFault::Checksum),
        ];
        for (id, fault) in invalid {
            assert_eq!(parse(id, today()), Err(fault), "{id}");
        }
    }

    #[test]
    fn consistency_with_recorded_gender_and_birth_date() {
        let id = parse("110105198503150019", today()).unwrap();
        let birth = Date::new(1985, 3, 15).unwrap();
        assert_eq!(id.consistent_with(Gender::Male, birth), Ok(()));
        assert_eq!(id.consistent_with(Gender::Female, birth), Err(IdFault::GenderMismatch));
        assert_eq!(
            id.consistent_with(Gender::Male, Date::new(1985, 3, 16).unwrap()),
            Err(IdFault::BirthDateMismatch)
        );
    }

    #[test]
    fn messages_name_the_number() {
        assert_eq!(IdFault::Checksum.message_zh(), "证件号码第18位校验码不正确");
    }

    #[test]
    fn masking_keeps_only_the_ends() {
        assert_eq!(mask("110105198503150019"), "110105********0019");
        assert_eq!(mask("123"), "***");
    }

    /// 港澳台居民居住证 and both forms of 外国人永久居留身份证: each read as its document defines, and
    /// refused as another document's number.
    #[test]
    fn other_documents() {
        let with_check = |head: &str| format!("{head}{}", check_char(head).unwrap());
        let hk = with_check("81000019900101002");
        let p = parse_as(IdType::HmtResidencePermit, &hk, today()).unwrap();
        assert_eq!(
            (p.birth_date.unwrap().to_string(), p.gender),
            ("1990-01-01".into(), Some(Gender::Female))
        );
        assert_eq!(IdType::of_number(&hk), Some(IdType::HmtResidencePermit));
        assert_eq!(
            parse_as(IdType::HmtResidencePermit, "110105198503150019", today()),
            Err(IdFault::Document)
        );
        let foreign = with_check("93384019850612001");
        let p = parse_as(IdType::ForeignPermanentResidentCard, &foreign, today()).unwrap();
        assert_eq!((p.birth_date.unwrap().to_string(), p.gender), ("1985-06-12".into(), Some(Gender::Male)));
        assert_eq!(IdType::of_number(&foreign), Some(IdType::ForeignPermanentResidentCard));
        assert_eq!(parse(&foreign, today()), Err(IdFault::Region), "not a 公民身份号码");
        let mut bad = foreign.clone();
        bad.replace_range(17.., if foreign.ends_with('0') { "1" } else { "0" });
        assert_eq!(parse_as(IdType::ForeignPermanentResidentCard, &bad, today()), Err(IdFault::Checksum));
        let old = parse_as(IdType::ForeignPermanentResidentCard, "usa110085061201", today()).unwrap();
        assert_eq!((old.value.as_str(), old.birth_date, old.gender), ("USA110085061201", None, None));
        assert_eq!(old.consistent_with(Gender::Female, today()), Ok(()), "nothing encoded to disagree");
        assert_eq!(IdType::of_number("USA110085061201"), Some(IdType::ForeignPermanentResidentCard));
        assert_eq!(
            parse_as(IdType::ForeignPermanentResidentCard, "US1110085061201", today()),
            Err(IdFault::Characters)
        );
        assert_eq!(parse("USA110085061201", today()), Err(IdFault::Length));
        assert_eq!(mask("USA110085061201"), "USA110*****1201");
    }
}
