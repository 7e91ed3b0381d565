//! View logic without a browser: element ids, times in Beijing, and which step a field is on
//! (read-only values are shiye-core's `display`). Unit-tested natively.

use shiye_core::code;
use shiye_core::date::Date;
use shiye_core::forms::catalogue::Source;
use shiye_core::forms::FieldId;

/// The id of a field's input, which labels, error links and tests refer to.
pub fn field_id(field: FieldId) -> String {
    format!("f-{}", code::of(&field))
}

pub fn error_id(field: FieldId) -> String {
    format!("e-{}", code::of(&field))
}

/// Whether a field is shown, not typed.
pub fn is_read_only(source: Source) -> bool {
    source != Source::Entered
}

pub use shiye_core::forms::catalogue::step_of;

const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

/// Today's date in Beijing (which version of a published rule or text is in force).
pub fn today() -> Date {
    #[cfg(target_arch = "wasm32")]
    let unix = (js_sys::Date::now() / 1000.0) as i64;
    #[cfg(not(target_arch = "wasm32"))]
    let unix =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Date::beijing_from_unix(unix).unwrap_or(Date { year: 2026, month: 1, day: 1 })
}

/// "HH:MM" in Beijing time.
pub fn hhmm(unix: i64) -> String {
    let secs = (unix + BEIJING_OFFSET_SECS).rem_euclid(86_400);
    format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

/// "YYYY-MM-DD HH:MM" in Beijing time.
pub fn date_time(unix: i64) -> String {
    match Date::beijing_from_unix(unix) {
        Some(d) => format!("{d} {}", hhmm(unix)),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::services::Bundle;

    #[test]
    fn ids_are_stable_snake_case() {
        assert_eq!(field_id(FieldId::HouseholdDistrict), "f-household_district");
        assert_eq!(error_id(FieldId::SmsCode), "e-sms_code");
    }

    #[test]
    fn beijing_time() {
        // 2026-11-27 02:45 UTC is 10:45 in Beijing.
        assert_eq!(hhmm(1_795_747_500), "10:45");
        assert_eq!(date_time(1_795_747_500), "2026-11-27 10:45");
    }

    #[test]
    fn fields_map_to_their_step() {
        assert_eq!(step_of(Bundle::BenefitClaimJoint, FieldId::BankCardNumber), Some(3));
        assert_eq!(step_of(Bundle::BenefitStop, FieldId::SmsCode), Some(1));
    }
}
