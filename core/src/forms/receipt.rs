//! 回执: what a person sent, as it reads on the check-answers page, with card numbers and the SMS
//! code masked (a receipt is printed and shown; the whole numbers stay with the server).

use super::catalogue::{fields, Source};
use super::{Answers, FieldId};
use crate::cn::bank_card;
use crate::services::SectionKind;

/// A field's answer as the receipt shows it.
pub fn shown(answers: &Answers, field: FieldId) -> String {
    let value = answers.display(field);
    match field {
        FieldId::BankCardNumber | FieldId::NewCardNumber | FieldId::ConfirmCardNumber
            if !value.is_empty() =>
        {
            bank_card::mask(&value.replace(' ', ""))
        }
        FieldId::SmsCode if !value.is_empty() => "******".into(),
        _ => value,
    }
}

/// Per section of the bundle, the entered fields that have an answer, as (field, shown value).
pub fn lines(answers: &Answers) -> Vec<(SectionKind, Vec<(FieldId, String)>)> {
    answers
        .bundle()
        .sections()
        .iter()
        .map(|section| {
            let rows = fields(*section)
                .into_iter()
                .filter(|f| f.source == Source::Entered)
                .map(|f| (f.id, shown(answers, f.id)))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            (*section, rows)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::samples;

    #[test]
    fn a_receipt_masks_the_card_and_keeps_the_rest() {
        let a = samples::benefit_claim("6212260200000000014");
        let all: Vec<(FieldId, String)> = lines(&a).into_iter().flat_map(|(_, rows)| rows).collect();
        let card = all.iter().find(|(f, _)| *f == FieldId::BankCardNumber).map(|(_, v)| v.clone());
        assert_eq!(card.as_deref(), Some("6212***********0014"));
        assert!(all.iter().any(|(f, _)| *f == FieldId::HouseholdDistrict));
        assert!(!format!("{all:?}").contains("6212260200000000014"));
    }
}
