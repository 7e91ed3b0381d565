//! Option codes: the snake_case serde names by which the closed enums (items, bundles, options,
//! fields, statuses) travel on the wire, in storage keys and in element ids. One rule, both ways.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The code of a unit enum variant, e.g. `ServiceKind::BenefitClaim` → "benefit_claim"; empty for
/// a value that does not serialise to a string.
pub fn of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

/// The variant a code names, if any.
pub fn parse<T: DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
}

#[cfg(test)]
mod tests {
    use crate::services::{Bundle, ServiceKind};

    #[test]
    fn codes_round_trip() {
        assert_eq!(super::of(&ServiceKind::BenefitClaim), "benefit_claim");
        assert_eq!(super::parse::<Bundle>("benefit_claim_joint"), Some(Bundle::BenefitClaimJoint));
        assert_eq!(super::parse::<Bundle>("nonsense"), None);
        assert_eq!(super::of(&3), "", "not a code");
    }
}
