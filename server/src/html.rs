//! The identity provider's HTML, all of it: the login form styled as the city's unified identity
//! platform, the error page shown when a request cannot safely be sent back to the client, and
//! escaping. It depends on nothing else of the server.

/// Escapes text for use in HTML element content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{margin:0;font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;background:#eef3f9;color:#1a1a1a}\
header{background:#c8161e;color:#fff;padding:16px 24px;font-size:20px;font-weight:bold}\
main{max-width:420px;margin:32px auto;background:#fff;border-radius:8px;padding:24px 28px;box-shadow:0 2px 8px rgba(0,0,0,.08)}\
h1{font-size:22px;margin:0 0 16px}label{display:block;margin:14px 0 6px;font-weight:bold}\
input{box-sizing:border-box;width:100%;font-size:17px;padding:10px;border:1px solid #767676;border-radius:4px}\
input:focus,button:focus{outline:3px solid #0b57d0;outline-offset:2px}\
button{margin-top:22px;width:100%;font-size:18px;padding:12px;background:#c8161e;color:#fff;border:0;border-radius:4px;cursor:pointer}\
.error{background:#fdecea;color:#8a1c1c;border:1px solid #e0a0a0;padding:10px;border-radius:4px}\
.info{background:#e8f1fb;color:#0b3d75;border:1px solid #9cbde6;padding:10px;border-radius:4px}\
h2{font-size:18px;margin:22px 0 0}form+form{border-top:1px solid #ddd;margin-top:24px}\
button.secondary{background:#fff;color:#8a1016;border:1px solid #8a1016;margin-top:10px}\
.hint{color:#444;font-size:14px;margin-top:18px}";

fn shell(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head>\
         <body><header role=\"banner\">北京市统一身份认证平台</header><main>{body}</main></body></html>"
    )
}

/// What the person typed before the page was shown again, so that nothing is lost.
#[derive(Default)]
pub struct Typed<'a> {
    pub id_number: &'a str,
    pub phone: &'a str,
}

/// A message above the forms.
pub enum Notice<'a> {
    None,
    Error(&'a str),
    Info(&'a str),
}

/// The login page: 证件号码 + 密码, or 手机号 + 短信验证码. `hidden` carries the authorization
/// request and the anti-CSRF token into each form.
pub fn login_page(hidden: &[(&str, String)], typed: &Typed, notice: Notice) -> String {
    let hidden = hidden
        .iter()
        .map(|(name, value)| {
            format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(name), escape(value))
        })
        .collect::<String>();
    let notice = match notice {
        Notice::None => String::new(),
        Notice::Error(e) => format!("<p class=\"error\" role=\"alert\" id=\"login-error\">{}</p>", escape(e)),
        Notice::Info(i) => format!("<p class=\"info\" role=\"status\" id=\"login-info\">{}</p>", escape(i)),
    };
    let body = format!(
        "<h1>个人用户登录</h1>{notice}\
         <form method=\"post\" action=\"/oauth/authorize\" autocomplete=\"off\" aria-labelledby=\"pw-title\">{hidden}\
         <h2 id=\"pw-title\">证件号码登录</h2>\
         <label for=\"id_number\">证件号码</label>\
         <input id=\"id_number\" name=\"id_number\" value=\"{id}\" maxlength=\"18\" required autofocus autocomplete=\"username\">\
         <label for=\"password\">密码</label>\
         <input id=\"password\" name=\"password\" type=\"password\" maxlength=\"64\" required autocomplete=\"current-password\">\
         <button type=\"submit\" id=\"login-submit\">登录</button></form>\
         <form method=\"post\" action=\"/oauth/authorize\" autocomplete=\"off\" aria-labelledby=\"sms-title\">{hidden}\
         <input type=\"hidden\" name=\"method\" value=\"sms\">\
         <h2 id=\"sms-title\">手机验证码登录</h2>\
         <label for=\"phone\">手机号</label>\
         <input id=\"phone\" name=\"phone\" value=\"{phone}\" maxlength=\"20\" inputmode=\"numeric\" autocomplete=\"tel\">\
         <button type=\"submit\" name=\"action\" value=\"send_code\" id=\"sms-send\" class=\"secondary\">获取验证码</button>\
         <label for=\"sms_code\">短信验证码</label>\
         <input id=\"sms_code\" name=\"sms_code\" maxlength=\"6\" inputmode=\"numeric\" autocomplete=\"one-time-code\">\
         <button type=\"submit\" name=\"action\" value=\"login\" id=\"sms-login\">登录</button></form>\
         <p class=\"hint\">登录后将返回“失业一件事”办理页面。</p>",
        id = escape(typed.id_number),
        phone = escape(typed.phone),
    );
    shell("登录 - 北京市统一身份认证平台", &body)
}

/// A page that explains why the login request cannot go on.
pub fn error_page(message: &str) -> String {
    shell(
        "无法登录 - 北京市统一身份认证平台",
        &format!("<h1>无法继续登录</h1><p class=\"error\" role=\"alert\">{}</p>", escape(message)),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
