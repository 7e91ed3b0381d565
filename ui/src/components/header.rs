//! The header: the service's name, who is logged in, online/offline, pending submissions with
//! 立即同步, the 长辈模式 switch, the main navigation and 退出登录.

use crate::route::Route;
use crate::text;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub person: Option<String>,
    pub online: bool,
    pub pending: usize,
    pub elderly: bool,
    /// A kiosk: 结束办理 instead of 退出登录.
    pub kiosk: bool,
    pub route: Route,
    /// Items decided since the person last looked at 我的办件 (a badge on the link).
    #[prop_or_default]
    pub unseen: usize,
    pub nav: Callback<Route>,
    pub on_logout: Callback<()>,
    pub on_elderly: Callback<bool>,
    pub on_sync: Callback<()>,
}

#[function_component(Header)]
pub fn header(p: &Props) -> Html {
    let elderly = p.elderly;
    let toggle = p.on_elderly.reform(move |_: MouseEvent| !elderly);
    // On a phone the secondary controls fold into a menu so the form keeps the screen.
    let menu_open = use_state(|| false);
    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_: MouseEvent| menu_open.set(!*menu_open))
    };
    let unseen = p.unseen;
    let link = |route: Route, label: &'static str, id: &'static str| {
        let badge = (route == Route::Applications && unseen > 0).then(|| html! {
            <span class="count" id="applications-badge" aria-label={format!("{unseen}{}", text::UNSEEN_SUFFIX)}>{ unseen }</span>
        });
        let current = p.route == route
            || matches!((&p.route, &route), (Route::Wizard(_) | Route::Result { .. }, Route::Services));
        let go = p.nav.reform(move |_: MouseEvent| route.clone());
        html! {
            <li><button id={id} class="nav-link" aria-current={current.then_some("page")} onclick={go}>{ label }{ for badge }</button></li>
        }
    };
    html! {
        <header class="masthead">
            <div class="masthead-row">
                <div class="brand">
                    <h1>{ text::APP_TITLE }</h1>
                    <p class="subtitle">{ text::APP_SUBTITLE }</p>
                </div>
                if p.person.is_some() {
                    <span id="connectivity" class={classes!("badge", if p.online { "online" } else { "offline" })}>
                        { if p.online { text::ONLINE } else { text::OFFLINE } }
                    </span>
                }
                <button id="menu-toggle" class="menu-toggle" aria-expanded={(*menu_open).to_string()}
                    aria-controls="header-tools" onclick={toggle_menu}>{ text::MENU }</button>
                <div id="header-tools" class={classes!("tools", (*menu_open).then_some("open"))}>
                    <button id="elderly-switch" role="switch" aria-checked={elderly.to_string()} class="switch" onclick={toggle}>
                        <span class="switch-track" aria-hidden="true"><span class="switch-thumb"></span></span>
                        { text::ELDERLY_MODE }
                    </button>
                    if let Some(name) = &p.person {
                        <span id="pending" class="badge">{ format!("{}{}", text::PENDING_PREFIX, p.pending) }</span>
                        if p.pending > 0 {
                            <button id="sync-now" onclick={p.on_sync.reform(|_: MouseEvent| ())}>{ text::SYNC_NOW }</button>
                        }
                        <span id="greeting" class="person">{ format!("{}{}", text::GREETING_PREFIX, name) }</span>
                        if p.kiosk {
                            <button id="end-session" class="primary" onclick={p.on_logout.reform(|_: MouseEvent| ())}>{ text::END_SESSION }</button>
                        } else {
                            <button id="logout" onclick={p.on_logout.reform(|_: MouseEvent| ())}>{ text::LOGOUT }</button>
                        }
                    }
                </div>
            </div>
            if p.person.is_some() && !matches!(p.route, Route::Notice(_) | Route::Loading) {
                <nav aria-label={text::NAV_LABEL}>
                    <ul class="nav">
                        { link(Route::Services, text::NAV_SERVICES, "nav-services") }
                        { link(Route::Applications, text::NAV_APPLICATIONS, "nav-applications") }
                        { link(Route::Drafts, text::NAV_DRAFTS, "nav-drafts") }
                    </ul>
                </nav>
            }
        </header>
    }
}
