//! The texts a person reads and accepts before applying: 用户通知 and the 集成服务承诺书. Published
//! data: a new version with the date it takes effect is read and accepted again before the person's
//! next application, and the version accepted goes with it. The bundled texts are the defaults of a
//! fresh install (written for this app from the operations manual and 《失业保险条例》, 2025).

use crate::date::Date;
use crate::served::Served;
use serde::{Deserialize, Serialize};

/// The two texts that must be read and acknowledged before the service page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// 用户通知
    UserNotice,
    /// 失业服务“一件事”集成服务承诺书
    Commitment,
}

impl<'de> Deserialize<'de> for Notice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::code::one_of(d, &Notice::ALL)
    }
}

impl Notice {
    pub const ALL: [Notice; 2] = [Notice::UserNotice, Notice::Commitment];
}

/// One version of a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoticeText {
    pub notice: Notice,
    pub version: u32,
    pub effective_from: Date,
    pub title: String,
    pub paragraphs: Vec<String>,
}

const USER_NOTICE: &[&str] = &[
    "一、失业“一件事”集成服务将求职登记、失业登记、失业保险金申领等事项合并办理，申请人一次填报、一次提交。",
    "二、申请人应为本人办理。登录使用北京市统一身份认证平台账号，姓名、证件类型、身份证号、电话、性别、出生日期等基本信息由平台自动带出，不能在本应用中修改。",
    "三、失业登记与求职登记联办：选择失业登记时，求职登记自动勾选；失业保险金申领与失业登记、求职登记三项联办：选择失业保险金申领时，求职登记和失业登记自动勾选。",
    "四、失业登记信息变更、失业登记注销、失业保险金银行账号变更、失业保险金停发为单办事项，须具备相应的登记或领取记录方可办理。",
    "五、失业保险金申领中的失业原因、累计缴纳失业保险费时间、最后缴纳失业保险费所在单位名称和日期取自社会保险记录。如有异议，请联系原参保缴费单位或者原存档机构进行核实。",
    "六、填写中的内容自动保存在本机（加密保存），超过保存期限（默认三十天）未修改的草稿将被清除。没有网络时提交的申请保存在本机，联网后自动提交，不会重复提交。",
    "七、提交后请在“我的办件”中查看审核进度。审核结果为“退回补正”的，请按审核意见修改后重新提交。",
    "八、请妥善保管本人账号和手机，不要将短信验证码告知他人。",
];

const COMMITMENT: &[&str] = &[
    "本人自愿申请办理失业“一件事”集成服务，并郑重承诺：",
    "一、本人提交的所有信息真实、准确、完整，无隐瞒、虚报或者伪造情况。",
    "二、本人已知晓失业保险金领取条件：失业前用人单位和本人已经缴纳失业保险费满一年，非因本人意愿中断就业，已经进行失业登记并有求职要求。",
    "三、领取失业保险金期间，本人重新就业、应征服兵役、移居境外、享受基本养老保险待遇、被判刑收监执行等情形的，将及时申请停发失业保险金。",
    "四、本人同意经办机构为审核本次申请查询和核验本人的就业、社会保险、户籍等信息。",
    "五、如有虚假承诺或者骗取失业保险待遇的行为，本人愿意退还相关待遇并承担相应的法律责任。",
];

pub fn bundled() -> Vec<NoticeText> {
    let text = |notice, title: &str, paragraphs: &[&str]| NoticeText {
        notice,
        version: 1,
        effective_from: Date { year: 2025, month: 1, day: 1 },
        title: title.into(),
        paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
    };
    vec![
        text(Notice::UserNotice, "用户通知", USER_NOTICE),
        text(Notice::Commitment, "失业服务“一件事”集成服务承诺书", COMMITMENT),
    ]
}

/// Why a published list of texts cannot be used; `Ok` when it can.
pub fn check(texts: &[NoticeText]) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for t in texts {
        if t.title.trim().is_empty() || t.paragraphs.iter().all(|p| p.trim().is_empty()) {
            return Err(format!("第{}版“{}”缺少标题或正文", t.version, t.title));
        }
        if t.version == 0 || !seen.insert((t.notice, t.version)) {
            return Err(format!("“{}”的版本{}为0或重复", t.title, t.version));
        }
    }
    match Notice::ALL.iter().find(|n| !texts.iter().any(|t| t.notice == **n)) {
        Some(n) => Err(format!("缺少{}", if *n == Notice::UserNotice { "用户通知" } else { "承诺书" })),
        None => Ok(()),
    }
}

static SERVED: Served<Vec<NoticeText>> = Served::new();

/// Puts the published texts in use; an unusable list keeps the one in use and says why.
pub fn install(texts: Vec<NoticeText>) -> Result<(), String> {
    SERVED.install(texts, |t| check(t))
}

pub fn reset() {
    SERVED.set(None);
}

/// The texts in use: the published ones once installed, else the bundled ones.
pub fn texts() -> Vec<NoticeText> {
    SERVED.or_bundled(bundled)
}

/// The version of a text in force on a date: the latest that took effect by then (the earliest
/// when every version is still to come).
pub fn current(notice: Notice, on: Date) -> NoticeText {
    current_in(&texts(), notice, on)
}

fn current_in(texts: &[NoticeText], notice: Notice, on: Date) -> NoticeText {
    let of: Vec<&NoticeText> = texts.iter().filter(|t| t.notice == notice).collect();
    match crate::date::in_force(&of, on, |t| (t.effective_from, t.version)) {
        Some(t) => (*t).clone(),
        // `check` refuses a published list without both texts.
        None => bundled().into_iter().find(|t| t.notice == notice).expect("both are bundled"),
    }
}

/// The first text whose version in force on `on` is newer than the one the person accepted
/// (`accepted`: notice → version), which they must read and accept before sending anything.
pub fn newer_than_accepted(accepted: &[(Notice, u32)], on: Date) -> Option<NoticeText> {
    let texts = texts();
    Notice::ALL
        .into_iter()
        .map(|n| current_in(&texts, n, on))
        .find(|t| accepted.iter().find(|(n, _)| *n == t.notice).is_none_or(|(_, v)| *v < t.version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_texts_pass_the_publish_check_and_a_new_version_takes_effect_on_its_date() {
        assert!(check(&bundled()).is_ok());
        let mut texts = bundled();
        let mut v2 = texts[1].clone();
        v2.version = 2;
        v2.effective_from = Date { year: 2027, month: 1, day: 1 };
        texts.push(v2);
        assert!(check(&texts).is_ok());
        assert!(check(&texts[..1]).unwrap_err().contains("承诺书"), "both texts are needed");
        let mut again = texts.clone();
        again.push(texts[2].clone());
        assert!(check(&again).unwrap_err().contains("重复"));
    }

    #[test]
    fn a_text_newer_than_the_accepted_one_is_named() {
        let on = Date { year: 2026, month: 12, day: 7 };
        let both = [(Notice::UserNotice, 1), (Notice::Commitment, 1)];
        assert_eq!(newer_than_accepted(&both, on), None);
        let old = [(Notice::UserNotice, 1), (Notice::Commitment, 0)];
        assert_eq!(newer_than_accepted(&old, on).map(|t| t.notice), Some(Notice::Commitment));
        assert_eq!(newer_than_accepted(&both[..1], on).map(|t| t.notice), Some(Notice::Commitment));
    }
}
