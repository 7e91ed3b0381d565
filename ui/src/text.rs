//! Every user-facing string of the UI, in one place so a second language can be added. Field
//! labels and validation messages come from shiye-core.
//!
//! The operations manual's words, used where it names a screen element (`../shared/seed/
//! operations-manual.txt`):
//!
//! | manual | where |
//! | --- | --- |
//! | 用户通知, 失业服务“一件事”集成服务承诺书 | the two notices before the service page (`USER_NOTICE_TITLE`) |
//! | 确定 (under the chosen items), 确认 / 取消 (the prompt) | `CONFIRM`, `DIALOG_OK`, `CANCEL` |
//! | 姓名、证件类型、身份证号（证件号码）、电话、性别、出生日期 | 基本信息 labels (shiye-core `FieldId`) |
//! | 户籍地行政区划, 户籍地详细地址, 户籍地与常住地不一致, 常住地… | 基本信息 labels |
//! | 工作地区, 岗位名称, 就业形式, 薪酬类型 | 求职登记 labels |
//! | 下一步, 上一步, 提交, 等待审核 | wizard buttons; the status of a submitted item everywhere |
//! | 请填入本人银行账号信息; 如申请人对以下信息有异议… | 失业保险金申领 hints |
//!
//! Words the manual lacks (草稿箱, 我的办件, 离线继续, 结束办理, …) are this app's own and kept here.

pub const APP_TITLE: &str = "失业“一件事”";
pub const APP_SUBTITLE: &str = "失业登记、求职登记、失业保险金申领一次办";
pub const LOGIN_HEADING: &str = "登录";
pub const LOGIN_INTRO: &str = "办理失业“一件事”前，请先使用北京市统一身份认证平台账号登录。";
pub const LOGIN_BUTTON: &str = "登录北京市统一身份认证平台";
/// A kiosk shows the provider's page in a window of its own.
pub const LOGIN_BUSY: &str = "请在弹出的登录窗口中完成登录…";
/// Elsewhere the page opens in the person's browser (RFC 8252).
pub const LOGIN_BUSY_BROWSER: &str =
    "已在浏览器中打开北京市统一身份认证平台的登录页面。请在浏览器中完成登录，完成后请回到本应用。";
pub const LOGIN_CANCEL: &str = "取消登录";
pub const ERROR_TITLE: &str = "操作未完成";
pub const LOADING: &str = "正在加载…";
pub const OFFLINE_OFFER: &str =
    "暂时无法连接服务器。您可以离线继续：填写的内容保存在本机，提交的申请将在联网后自动发送。";
pub const CONTINUE_OFFLINE: &str = "离线继续";

pub const NAV_LABEL: &str = "主导航";
pub const NAV_SERVICES: &str = "办理事项";
pub const NAV_APPLICATIONS: &str = "我的办件";
pub const NAV_DRAFTS: &str = "草稿箱";
pub const ONLINE: &str = "在线";
pub const OFFLINE: &str = "离线";
pub const PENDING_PREFIX: &str = "待提交：";
pub const SYNC_NOW: &str = "立即同步";
pub const LOGOUT: &str = "退出登录";
/// The phone header's menu button (长辈模式, 待提交, the person, 退出登录).
pub const MENU: &str = "菜单";
/// The kiosk's logout: the person ends their visit and the device forgets them.
pub const END_SESSION: &str = "结束办理";
pub const IDLE_TITLE: &str = "您还在办理吗？";
pub const IDLE_BEFORE: &str = "长时间未操作，";
pub const IDLE_AFTER: &str =
    " 秒后将自动结束办理，并清除您在本机填写的信息（已提交待发送的申请会保留并在您下次登录后发送）。";
pub const IDLE_STAY: &str = "继续办理";
pub const SESSION_EXPIRED: &str =
    "登录已失效，待提交的申请已保存在本机。请退出后重新登录，登录后将自动提交。";
pub const ELDERLY_MODE: &str = "长辈模式";
pub const GREETING_PREFIX: &str = "您好，";
pub const OFFLINE_BANNER: &str = "当前处于离线状态：可以继续填写和提交，申请将保存在本机，联网后自动提交。";

/// The claim step's preview of what the published rule gives.
pub fn entitlement_preview(contribution_months: u32, e: &shiye_core::benefit::Entitlement) -> String {
    format!(
        "按累计缴费{contribution_months}个月计算，预计可领取失业保险金{}个月，每月{}元（依据：{}，第{}版；以审核结果为准）。",
        e.months, e.monthly_yuan, e.rule_name, e.rule_version
    )
}
pub const READ_TO_END: &str = "请阅读至文末后确认。";
pub const NOTICE_ACCEPT: &str = "我已阅读并同意";

pub const SERVICES_HEADING: &str = "选择办理事项";
pub const SERVICES_INTRO: &str =
    "可单独办理一个事项；办理失业登记时自动联办求职登记；办理失业保险金申领时自动联办失业登记和求职登记。";
pub const SINGLE_ITEMS: &str = "单办事项";
pub const JOINT_ITEMS: &str = "联办事项";
/// The button under the chosen items (the manual: 点击确定后弹出提示信息).
pub const CONFIRM: &str = "确定";
/// The prompt's button (the manual: 点击确认后进入下一环节).
pub const DIALOG_OK: &str = "确认";
pub const CANCEL: &str = "取消";
pub const PICK_FIRST: &str = "请先选择要办理的事项。";
pub const NEEDS_NETWORK: &str = "需联网办理：提交时须输入发送到本人手机的短信验证码（5分钟内有效）。";
pub const NEEDS_NETWORK_OFFLINE: &str = "当前离线：本事项需接收短信验证码，请联网后办理。";
pub const SEE_RECORD: &str = "查看相关社会保险记录";
pub const RECEIPT_HEADING: &str = "回执";
pub const SEE_RECEIPT: &str = "查看回执";
pub const UNSEEN_SUFFIX: &str = "项新的审核结果";
pub const RESUBMIT_PREFIX: &str = "本次仅重新提交：";
pub const RESUBMIT_SUFFIX: &str = "（本申请的其他事项不受影响）。";
pub const RECEIPT_MISSING: &str =
    "暂时无法显示该申请的回执：本机没有保存，且当前无法连接服务器。请联网后再试。";
pub const SUBMITTED_AT: &str = "提交时间：";
pub const EXPECTED_DECISION: &str = "预计办结日期";
pub const PRINT: &str = "打印";
pub const BACK_TO_APPLICATIONS: &str = "返回我的办件";

pub const STEP: &str = "步骤";
pub const CHECK_HEADING: &str = "信息确认";
pub const NEXT: &str = "下一步";
pub const PREV: &str = "上一步";
pub const SUBMIT: &str = "提交";
pub const SUBMITTING: &str = "正在提交…";
pub const EDIT: &str = "修改";
pub const SAVED_PREFIX: &str = "已保存 ";
pub const ERROR_SUMMARY: &str = "请修改以下内容后继续：";
pub const WARNING_SUMMARY: &str = "请核对以下内容：";
pub const CHOOSE: &str = "请选择";
pub const SEARCH_JOB: &str = "输入岗位名称、拼音或首字母搜索";
pub const NO_MATCH: &str = "没有找到匹配的岗位，请换个说法";
pub const RESUME_HEADING: &str = "发现未完成的草稿";
pub const RESUME: &str = "继续填写";
pub const RESTART: &str = "重新填写";
pub const OUTDATED_DRAFT: &str = "草稿由旧版本表单保存，无法继续使用，请重新填写。";
pub const CONFIRM_RECORD: &str = "本人确认以上信息无误";
pub const LUHN_CONFIRM: &str = "我已核对，卡号无误";
pub const SMS_SEND: &str = "获取验证码";
pub const SMS_SENT_PREFIX: &str = "验证码已发送至 ";
pub const SMS_WAIT_SUFFIX: &str = "秒后可重新获取";
/// The folded identity block's summary (under the 基本信息 heading, so not that word again).
pub const IDENTITY_SUMMARY: &str = "统一身份认证平台提供的信息";
pub const READ_ONLY_NOTE: &str = "以下信息由北京市统一身份认证平台提供，不能修改。";
pub const RECORDS_NOTE: &str = "以下信息取自社会保险记录。";
/// 失业保险金申领's two parts, as the manual names them.
pub const BANK_GROUP: &str = "失业保险金申领信息";
pub const BANK_HINT: &str = "请填入本人银行账号信息。";
pub const BANK_SUGGESTED: &str = "已根据卡号推荐开户行，请核对。";
pub const SEARCH_BANK: &str = "输入银行名称、拼音或首字母筛选";
pub const SEARCH_BANK_LABEL: &str = "：按名称或拼音筛选";
pub const RECORD_GROUP: &str = "失业保险金确认";
pub const YES: &str = "是";

pub const RESULT_HEADING: &str = "提交结果";
pub const RESULT_WAITING: &str = "正在提交，请稍候…";
pub const RESULT_OFFLINE: &str = "已保存，联网后自动提交";
pub const RESULT_ACCEPTED: &str = "等待审核";
pub const RESULT_NEXT: &str = "经办机构将在预计办结日期前完成审核，审核结果可在“我的办件”中查看。审核为“退回补正”的，请按意见修改后重新提交。";
pub const CASE_NUMBER: &str = "办件编号";
pub const EXPECTED: &str = "预计办结日期";
pub const STATUS: &str = "状态";
pub const REASON: &str = "审核意见";

pub const APPLICATIONS_HEADING: &str = "我的办件";
pub const LAST_SYNC: &str = "最近同步：";
pub const NO_APPLICATIONS: &str = "暂无办件。";
pub const LOCAL_PENDING: &str = "待提交（联网后自动提交）";
pub const LOCAL_INVALID: &str = "信息有误，需修改后重新提交";
pub const LOCAL_REFUSED: &str = "未能受理";
pub const LOCAL_FAILED: &str = "提交失败";
pub const CORRECT: &str = "修改并重新提交";
pub const DISMISS: &str = "知道了";
/// A service ruled out while an item of it awaits a decision: "{PENDING_BLOCKS}{事项}{PENDING_CASE}{办件编号}".
pub const PENDING_BLOCKS: &str = "您已申请的";
pub const PENDING_CASE: &str = "正在审核中，审核完成前不能再次申请。办件编号：";
/// 撤回 of an item still waiting for review, and its confirmation.
pub const WITHDRAW: &str = "撤回";
pub const WITHDRAW_TITLE: &str = "撤回申请";
pub const WITHDRAW_MESSAGE: &str =
    "撤回后，该事项不再审核；如需办理，可重新申请。点击确认撤回，点击取消保留。";
/// 修改 of a refused submission: its answers back as a draft.
pub const MODIFY: &str = "修改";
/// 放弃 of a refused submission, and its confirmation.
pub const ABANDON: &str = "放弃";
pub const ABANDON_TITLE: &str = "放弃这份申请";
pub const ABANDON_MESSAGE: &str =
    "放弃后，这份申请中填写的内容将被删除，无法恢复。点击确认放弃，点击取消保留。";
/// Under a refusal: nothing typed is lost.
pub const ANSWERS_KEPT: &str = "您填写的内容已保留：可点击“修改”调整后重新提交，或点击“放弃”删除。";
pub const DRAFTS_HEADING: &str = "草稿箱";
pub const NO_DRAFTS: &str = "暂无草稿。";
pub const DRAFT_SAVED: &str = "保存时间：";
pub const DRAFT_EXPIRES: &str = "到期清除：";
pub const CONTINUE: &str = "继续填写";
pub const DISCARD: &str = "删除";
pub const EXPIRED_NOTICE: &str = "以下草稿超过保存期限未修改，已被清除：";
