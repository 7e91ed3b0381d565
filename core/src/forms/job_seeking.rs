//! 求职登记申请信息: 工作地区, 岗位名称 (from the occupation catalogue), 就业形式, and the
//! 薪酬类型 that follows it, with the expected pay in the unit the 薪酬类型 implies.

use super::errors::{ErrorCode, FieldError};
use super::field::FieldId;
use super::rules::{self, Errors};
use crate::options::{EmploymentForm, PayType};
use crate::reference::{divisions, occupations};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct JobSeeking {
    /// A Beijing district code.
    pub work_district: Option<String>,
    /// An occupation code of the 2022 classification, e.g. 2-02-10-03.
    pub job_title: Option<String>,
    pub employment_form: Option<EmploymentForm>,
    pub pay_type: Option<PayType>,
    /// Yuan, as typed.
    pub pay_min: String,
    /// Yuan, as typed; optional.
    pub pay_max: String,
}

impl JobSeeking {
    pub fn validate(&self, errs: &mut Errors) {
        use FieldId::*;
        if let Some(d) = rules::required(errs, WorkDistrict, &self.work_district) {
            if divisions::district(d).is_none() {
                errs.push(FieldError::new(WorkDistrict, ErrorCode::NotAnOption, "不是北京市的区"));
            }
        }
        if let Some(code) = rules::required(errs, JobTitle, &self.job_title) {
            // Without the catalogue (the page before it has loaded) the code's shape is checked.
            let known = if occupations::loaded() {
                occupations::by_code(code).is_some()
            } else {
                occupations::is_code(code)
            };
            if !known {
                errs.push(FieldError::new(
                    JobTitle,
                    ErrorCode::NotAnOption,
                    "不在职业分类目录中，请从列表中选择",
                ));
            }
        }
        let form = rules::required(errs, EmploymentForm, &self.employment_form);
        let Some(pay_type) = rules::required(errs, PayType, &self.pay_type) else { return };
        if let Some(form) = form {
            if !form.pay_types().contains(pay_type) {
                let detail = format!("“{}”不适用于{}", pay_type.label_zh(), form.label_zh());
                errs.push(FieldError::new(PayType, ErrorCode::NotOffered, &detail));
                return;
            }
        }
        let max = pay_type.max_yuan();
        // The manual's 求职登记 asks 工作地区, 岗位名称, 就业形式 and 薪酬类型 only: the expected pay
        // is optional, checked only when typed.
        let min = rules::amount(errs, PayMin, &self.pay_min, false, max);
        let top = rules::amount(errs, PayMax, &self.pay_max, false, max);
        if let (Some(min), Some(top)) = (min, top) {
            if top < min {
                errs.push(FieldError::new(PayMax, ErrorCode::OutOfRange, "不能低于期望薪酬（最低）"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> JobSeeking {
        JobSeeking {
            work_district: Some("110105".into()),
            job_title: Some("2-02-10-03".into()),
            employment_form: Some(EmploymentForm::FullTime),
            pay_type: Some(PayType::Monthly),
            pay_min: "12000".into(),
            pay_max: "18000".into(),
        }
    }

    #[test]
    fn a_complete_form_passes() {
        let mut e = Errors::new();
        valid().validate(&mut e);
        assert!(e.is_empty(), "{e:?}");
    }

    #[test]
    fn pay_type_must_follow_the_employment_form() {
        let mut e = Errors::new();
        JobSeeking { employment_form: Some(EmploymentForm::PartTime), ..valid() }.validate(&mut e);
        assert_eq!(e[0].field, FieldId::PayType);
        assert_eq!(e[0].message_zh, "薪酬类型“月薪”不适用于兼职");
    }

    #[test]
    fn the_expected_pay_is_optional() {
        let mut e = Errors::new();
        JobSeeking { pay_min: String::new(), pay_max: String::new(), ..valid() }.validate(&mut e);
        assert!(e.is_empty(), "{e:?}");
        JobSeeking { pay_min: "abc".into(), ..valid() }.validate(&mut e);
        assert_eq!(e[0].field, FieldId::PayMin);
    }

    #[test]
    fn range_and_catalogue() {
        let mut e = Errors::new();
        JobSeeking { pay_max: "100".into(), job_title: Some("9-99".into()), ..valid() }.validate(&mut e);
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, [FieldId::JobTitle, FieldId::PayMax]);
    }
}
