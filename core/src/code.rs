//! Option codes: the snake_case serde names by which the closed enums (items, bundles, options,
//! fields, statuses) travel on the wire, in storage keys and in element ids. One rule, both ways,
//! read straight off serde's derived code: no JSON value is built (the UI's wasm carries no JSON
//! library for it).

use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, Unexpected, Visitor};
use serde::ser::{self, Impossible, Serialize};
use std::borrow::Cow;
use std::fmt;

/// The code of a unit enum variant, e.g. `ServiceKind::BenefitClaim` → "benefit_claim"; empty for
/// a value that does not serialise to a string.
pub fn of<T: Serialize>(v: &T) -> String {
    v.serialize(CodeOf).map(Cow::into_owned).unwrap_or_default()
}

/// The variant a code names, if any.
pub fn parse<T: DeserializeOwned>(code: &str) -> Option<T> {
    T::deserialize(StrDeserializer::<ValueError>::new(code)).ok()
}

/// Reads one of `all` by its code: the `Deserialize` of the closed enums with many variants
/// (fields, option lists), which accepts what the derived one does — the code as a string — with a
/// small visitor shared by shape instead of a derived match per enum.
pub fn one_of<'de, D: Deserializer<'de>, T: Serialize + Copy + 'static>(
    d: D,
    all: &'static [T],
) -> Result<T, D::Error> {
    struct Codes<T: 'static>(&'static [T]);
    impl<T: Serialize + Copy> Visitor<'_> for Codes<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a known code")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            self.0
                .iter()
                .copied()
                // A unit variant's code is borrowed from serde's derived code: no string is made.
                .find(|c| c.serialize(CodeOf).is_ok_and(|code| code == v))
                .ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
        }
    }
    d.deserialize_str(Codes(all))
}

/// A value that is not a code.
#[derive(Debug)]
pub struct NotACode;

impl fmt::Display for NotACode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a code")
    }
}

impl std::error::Error for NotACode {}

impl ser::Error for NotACode {
    fn custom<M: fmt::Display>(_: M) -> Self {
        NotACode
    }
}

/// Serialises a unit variant (its name, borrowed) or a string to a code; anything else is
/// `NotACode`.
struct CodeOf;

type Code = Cow<'static, str>;
type No = Impossible<Code, NotACode>;

macro_rules! not_a_code {
    ($($name:ident($($t:ty),*) -> $out:ty),* $(,)?) => {
        $(fn $name(self, $(_: $t),*) -> Result<$out, NotACode> { Err(NotACode) })*
    };
}

impl ser::Serializer for CodeOf {
    type Ok = Code;
    type Error = NotACode;
    type SerializeSeq = No;
    type SerializeTuple = No;
    type SerializeTupleStruct = No;
    type SerializeTupleVariant = No;
    type SerializeMap = No;
    type SerializeStruct = No;
    type SerializeStructVariant = No;

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Code, NotACode> {
        Ok(Cow::Borrowed(variant))
    }

    fn serialize_str(self, v: &str) -> Result<Code, NotACode> {
        Ok(Cow::Owned(v.to_string()))
    }

    not_a_code!(
        serialize_bool(bool) -> Code,
        serialize_i8(i8) -> Code,
        serialize_i16(i16) -> Code,
        serialize_i32(i32) -> Code,
        serialize_i64(i64) -> Code,
        serialize_u8(u8) -> Code,
        serialize_u16(u16) -> Code,
        serialize_u32(u32) -> Code,
        serialize_u64(u64) -> Code,
        serialize_f32(f32) -> Code,
        serialize_f64(f64) -> Code,
        serialize_char(char) -> Code,
        serialize_bytes(&[u8]) -> Code,
        serialize_none() -> Code,
        serialize_unit() -> Code,
        serialize_unit_struct(&'static str) -> Code,
    );

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Code, NotACode> {
        Err(NotACode)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Code, NotACode> {
        Err(NotACode)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Code, NotACode> {
        Err(NotACode)
    }

    not_a_code!(
        serialize_seq(Option<usize>) -> No,
        serialize_tuple(usize) -> No,
        serialize_tuple_struct(&'static str, usize) -> No,
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> No,
        serialize_map(Option<usize>) -> No,
        serialize_struct(&'static str, usize) -> No,
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> No,
    );
}

#[cfg(test)]
mod tests {
    use crate::forms::FieldId;
    use crate::options::StopReason;
    use crate::services::{Bundle, ServiceKind};

    #[test]
    fn codes_round_trip() {
        assert_eq!(super::of(&ServiceKind::BenefitClaim), "benefit_claim");
        assert_eq!(super::parse::<Bundle>("benefit_claim_joint"), Some(Bundle::BenefitClaimJoint));
        assert_eq!(super::parse::<Bundle>("nonsense"), None);
        assert_eq!(super::of(&3), "", "not a code");
        assert_eq!(super::of(&Some(ServiceKind::BenefitClaim)), "", "not a code either");
    }

    #[test]
    fn a_code_is_read_from_json_as_the_derived_code_was() {
        assert_eq!(serde_json::from_str::<StopReason>("\"reemployed\"").unwrap(), StopReason::Reemployed);
        assert!(serde_json::from_str::<StopReason>("\"nonsense\"").is_err());
        assert!(serde_json::from_str::<StopReason>("3").is_err());
        let fields: Vec<FieldId> = serde_json::from_str("[\"name\", \"household_street\"]").unwrap();
        assert_eq!(fields, [FieldId::Name, FieldId::HouseholdStreet]);
    }

    #[test]
    fn the_code_is_the_wire_name_of_every_variant() {
        // The same name JSON gives, for every field and an option list.
        for f in FieldId::ALL {
            let json = serde_json::to_value(f).unwrap();
            assert_eq!(super::of(f), json.as_str().unwrap());
            assert_eq!(super::parse::<FieldId>(&super::of(f)), Some(*f));
        }
        assert_eq!(super::of(&StopReason::Reemployed), serde_json::to_value(StopReason::Reemployed).unwrap());
    }
}
