//! The login forms' anti-CSRF token (OWASP's double-submit cookie): the login page sets a random
//! token in a `SameSite=Strict`, `HttpOnly` cookie scoped to `/oauth` and repeats it in a hidden
//! field; a post counts only when both are there and equal. Another site can make a browser post
//! the form, but can neither read the cookie nor have it sent along.

use crate::error::Error;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use subtle::ConstantTimeEq;

pub const COOKIE: &str = "shiye_login_csrf";
/// The hidden form field.
pub const FIELD: &str = "csrf";

/// A new token and the `Set-Cookie` value that carries it.
pub fn issue() -> (String, HeaderValue) {
    let token = crate::secrets::new_secret();
    let cookie = format!("{COOKIE}={token}; Path=/oauth; HttpOnly; SameSite=Strict");
    // A base64url secret is always a valid header value.
    (token, HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static("")))
}

fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// Whether a posted form carries the token its page was given.
pub fn check(headers: &HeaderMap, field: &str) -> Result<(), Error> {
    let matches = cookie(headers).is_some_and(|c| {
        !field.is_empty() && c.len() == field.len() && bool::from(c.as_bytes().ct_eq(field.as_bytes()))
    });
    if matches {
        Ok(())
    } else {
        Err(Error::Page(
            StatusCode::FORBIDDEN,
            "登录页面已失效或来源不明，请回到“失业一件事”重新点击登录。".into(),
        ))
    }
}

/// A client scripting the login (tests, tools): the token of a fetched login page and the
/// `Cookie` header to post it back with, from the page's HTML and its `Set-Cookie` value.
pub fn scripted(page_html: &str, set_cookie: &str) -> Option<(String, String)> {
    let marker = format!("name=\"{FIELD}\" value=\"");
    let start = page_html.find(&marker)? + marker.len();
    let token = &page_html[start..start + page_html[start..].find('"')?];
    let cookie = set_cookie.split(';').next()?.trim().to_string();
    Some((token.to_string(), cookie))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_token_in_cookie_and_form_passes() {
        let (token, set) = issue();
        assert!(set.to_str().unwrap().contains("SameSite=Strict"));
        let mut h = HeaderMap::new();
        assert!(check(&h, &token).is_err(), "no cookie");
        h.insert(header::COOKIE, HeaderValue::from_str(&format!("a=b; {COOKIE}={token}")).unwrap());
        assert!(check(&h, &token).is_ok());
        assert!(check(&h, "").is_err(), "no field");
        assert!(check(&h, &crate::secrets::new_secret()).is_err(), "another token");
        let page = format!("<input type=\"hidden\" name=\"{FIELD}\" value=\"{token}\">");
        let (field, cookie) = scripted(&page, set.to_str().unwrap()).unwrap();
        assert_eq!((field, cookie), (token.clone(), format!("{COOKIE}={token}")));
    }
}
