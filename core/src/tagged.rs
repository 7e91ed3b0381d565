//! `Deserialize` for the internally tagged enums the UI receives (`{"bundle": "job_seeking",
//! "basic": …}`): serde's derived code buffers the whole object first and decodes each variant's
//! fields a second time from that buffer, a second copy of every nested type's code in the UI's
//! wasm. In these enums each field name has one type whatever the variant, so the object is read
//! in one pass — the tag and every field wherever they are — and the variant assembled at the end.
//! The wire format is serde's: the same tag, the same fields, the same refusals (a missing tag or
//! field, an unknown variant, a duplicate, and with `unknown_fields true` a field a variant with
//! fields lacks — serde lets a unit variant's pass); only the sequence form serde also reads
//! (nothing writes it) is refused. `Serialize` stays derived.

/// `tagged! { Enum, tag "t", unknown_fields <refused?>, fields { name: Type, … },
/// variants { Variant "code" { field, … }, … } }`.
macro_rules! tagged {
    (
        $ty:ident, tag $tag:literal, unknown_fields $refused:literal,
        fields { $($f:ident: $t:ty),* $(,)? },
        variants { $($v:ident $code:literal { $($vf:ident),* }),* $(,)? }
    ) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Fields;
                impl<'de> serde::de::Visitor<'de> for Fields {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("an object with \"", $tag, "\""))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        use serde::de::Error as _;
                        const FIELDS: &[&str] = &[$tag, $(stringify!($f)),*];
                        let mut tag: Option<String> = None;
                        $(let mut $f: Option<$t> = None;)*
                        while let Some(key) = map.next_key::<String>()? {
                            if key == $tag {
                                if tag.is_some() {
                                    return Err(A::Error::duplicate_field($tag));
                                }
                                tag = Some(map.next_value()?);
                            }
                            $(else if key == stringify!($f) {
                                if $f.is_some() {
                                    return Err(A::Error::duplicate_field(stringify!($f)));
                                }
                                $f = Some(map.next_value()?);
                            })*
                            else if $refused {
                                return Err(A::Error::unknown_field(&key, FIELDS));
                            } else {
                                map.next_value::<serde::de::IgnoredAny>()?;
                            }
                        }
                        let present = 0 $(+ usize::from($f.is_some()))*;
                        match tag.as_deref() {
                            $(Some($code) => {
                                let wanted = 0 $(+ { let _ = stringify!($vf); 1 })*;
                                let value = $ty::$v {
                                    $($vf: $vf.take().ok_or_else(|| A::Error::missing_field(stringify!($vf)))?,)*
                                };
                                if $refused && wanted > 0 && present != wanted {
                                    return Err(A::Error::custom(concat!("a field that \"", $code, "\" does not have")));
                                }
                                Ok(value)
                            })*
                            Some(other) => Err(A::Error::unknown_variant(other, &[$($code),*])),
                            None => Err(A::Error::missing_field($tag)),
                        }
                    }
                }
                d.deserialize_map(Fields)
            }
        }
    };
}

pub(crate) use tagged;

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    /// serde's own derived decoding, the reference.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
    enum Derived {
        Empty,
        One { a: u8 },
        Two { a: u8, b: String },
    }

    #[derive(Debug, PartialEq)]
    enum Ours {
        Empty,
        One { a: u8 },
        Two { a: u8, b: String },
    }

    super::tagged! {
        Ours, tag "kind", unknown_fields true,
        fields { a: u8, b: String },
        variants {
            Empty "empty" {},
            One "one" { a },
            Two "two" { a, b },
        }
    }

    #[derive(Debug, PartialEq)]
    enum Lenient {
        One { a: u8 },
    }

    super::tagged! {
        Lenient, tag "kind", unknown_fields false,
        fields { a: u8 },
        variants { One "one" { a } }
    }

    #[test]
    fn accepts_and_refuses_what_serdes_derived_code_does() {
        let cases = [
            r#"{"kind": "empty"}"#,
            r#"{"kind": "one", "a": 1}"#,
            r#"{"a": 1, "kind": "one"}"#,
            r#"{"kind": "two", "a": 1, "b": "x"}"#,
            r#"{"b": "x", "kind": "two", "a": 1}"#,
            r#"{"kind": "one"}"#,
            r#"{"kind": "one", "a": 1, "b": "x"}"#,
            r#"{"kind": "one", "a": 1, "c": 2}"#,
            r#"{"kind": "empty", "a": 1}"#,
            r#"{"kind": "three"}"#,
            r#"{"a": 1}"#,
            r#"{"kind": "one", "a": 1, "a": 2}"#,
            r#"{"kind": "one", "kind": "one", "a": 1}"#,
            r#"{"kind": "one", "a": "1"}"#,
            r#"{"kind": "one", "a": 300}"#,
            r#"{"kind": 1, "a": 1}"#,
            r#""one""#,
            r#"null"#,
        ];
        for json in cases {
            let theirs = serde_json::from_str::<Derived>(json);
            let ours = serde_json::from_str::<Ours>(json);
            assert_eq!(theirs.is_ok(), ours.is_ok(), "{json}: serde {theirs:?}, ours {ours:?}");
            if let (Ok(t), Ok(o)) = (theirs, ours) {
                let same = match (t, o) {
                    (Derived::Empty, Ours::Empty) => true,
                    (Derived::One { a }, Ours::One { a: b }) => a == b,
                    (Derived::Two { a, b }, Ours::Two { a: c, b: d }) => a == c && b == d,
                    _ => false,
                };
                assert!(same, "{json}");
            }
        }
    }

    #[test]
    fn the_sequence_form_serde_also_reads_is_refused() {
        // serde's derived code reads `["one", 1]` as well; nothing writes it, and it is refused.
        assert!(serde_json::from_str::<Derived>(r#"["one", 1]"#).is_ok());
        assert!(serde_json::from_str::<Ours>(r#"["one", 1]"#).is_err());
    }

    #[test]
    fn fields_the_variant_lacks_are_ignored_where_unknown_fields_are() {
        let v: Lenient = serde_json::from_str(r#"{"kind": "one", "a": 1, "later": [1, {"x": 2}]}"#).unwrap();
        assert_eq!(v, Lenient::One { a: 1 });
        assert!(serde_json::from_str::<Lenient>(r#"{"kind": "one"}"#).is_err());
    }

    #[test]
    fn the_apps_enums_decode_what_they_encode() {
        use crate::forms::{Answers, FieldError};
        use crate::ipc::{LocalState, SubmitOutcome};
        use crate::services::Bundle;
        for bundle in Bundle::ALL {
            let answers = Answers::new(bundle);
            let json = serde_json::to_string(&answers).unwrap();
            assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), answers, "{json}");
        }
        let errors: Vec<FieldError> = Vec::new();
        for state in [
            LocalState::Pending,
            LocalState::Invalid { errors: errors.clone() },
            LocalState::Failed { status: 503 },
            LocalState::Refused {
                item: crate::services::ServiceKind::BenefitClaim,
                message: "不符合".into(),
            },
        ] {
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(serde_json::from_str::<LocalState>(&json).unwrap(), state, "{json}");
        }
        let queued = SubmitOutcome::Queued { id: "x".into() };
        assert_eq!(
            serde_json::from_str::<SubmitOutcome>(&serde_json::to_string(&queued).unwrap()).unwrap(),
            queued
        );
        // The answers keep refusing a section their bundle does not have.
        let mut v = serde_json::to_value(Answers::new(Bundle::BenefitStop)).unwrap();
        v["basic"] = serde_json::to_value(crate::registration::Address::default()).unwrap();
        assert!(serde_json::from_value::<Answers>(v).is_err());
    }
}
