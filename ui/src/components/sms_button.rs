//! 获取验证码 for the items confirmed by SMS (停发, 银行账号变更): sends the code to the registered
//! phone and counts down before it can be asked again.

use crate::session::use_session;
use crate::text;
use gloo_timers::callback::Interval;
use shiye_core::api::{SmsPurpose, SmsSent};
use shiye_core::CommandError;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// What the code will confirm.
    pub purpose: SmsPurpose,
}

#[function_component(SmsButton)]
pub fn sms_button(p: &Props) -> Html {
    let purpose = p.purpose;
    // The countdown is a deadline compared with a clock the interval keeps fresh.
    let until = use_state(|| 0f64);
    let now = use_state(js_sys::Date::now);
    let wait = ((*until - *now) / 1000.0).ceil().max(0.0) as u32;
    let message = use_state(String::new);
    {
        let now = now.clone();
        use_effect_with(wait > 0, move |running| {
            let tick = running.then(|| Interval::new(500, move || now.set(js_sys::Date::now())));
            move || drop(tick)
        });
    }
    let session = use_session();
    let onclick = {
        let (until, now, message) = (until.clone(), now.clone(), message.clone());
        let reply = Callback::from(move |answer: Result<SmsSent, CommandError>| match answer {
            Ok(sent) => {
                message.set(format!("{}{}", text::SMS_SENT_PREFIX, sent.phone_masked));
                let t = js_sys::Date::now();
                now.set(t);
                until.set(t + f64::from(sent.resend_after.max(1)) * 1000.0);
            }
            Err(e) => message.set(e.message),
        });
        Callback::from(move |_: MouseEvent| session.request_sms_code(purpose, reply.clone()))
    };
    let label =
        if wait > 0 { format!("{}{}", wait, text::SMS_WAIT_SUFFIX) } else { text::SMS_SEND.to_string() };
    html! {
        <>
            <button type="button" id="sms-send" disabled={wait > 0} {onclick}>{ label }</button>
            <p class="hint" role="status" id="sms-status">{ (*message).clone() }</p>
        </>
    }
}
