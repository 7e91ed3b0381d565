//! The header: the service's name, who is logged in, online/offline, pending submissions with
//! 立即同步, the 长辈模式 switch, the main navigation and 退出登录.

use crate::route::Route;
use crate::session::use_session;
use crate::text;
use yew::prelude::*;

#[function_component(Header)]
pub fn header() -> Html {
    let session = use_session();
    let person = session.overview.as_ref().map(|o| o.session.name.clone());
    let (online, pending, kiosk) = (session.online, session.outbox.queued, session.kiosk.is_some());
    let elderly = session.prefs.elderly;
    let toggle = {
        let s = session.clone();
        Callback::from(move |_: MouseEvent| s.set_elderly(!elderly))
    };
    let logout = {
        let s = session.clone();
        Callback::from(move |_: MouseEvent| s.logout())
    };
    let sync = {
        let s = session.clone();
        Callback::from(move |_: MouseEvent| s.sync_now())
    };
    // On a phone the secondary controls fold into a menu so the form keeps the screen.
    let menu_open = use_state(|| false);
    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_: MouseEvent| menu_open.set(!*menu_open))
    };
    let unseen = session.unseen;
    let link = |route: Route, label: &'static str, id: &'static str| {
        let badge = (route == Route::Applications && unseen > 0).then(|| html! {
            <span class="count" id="applications-badge" aria-label={format!("{unseen}{}", text::UNSEEN_SUFFIX)}>{ unseen }</span>
        });
        let current = session.route == route
            || matches!((&session.route, &route), (Route::Wizard(_) | Route::Result { .. }, Route::Services));
        let go = {
            let s = session.clone();
            Callback::from(move |_: MouseEvent| s.navigate(route.clone()))
        };
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
                if person.is_some() {
                    <span id="connectivity" class={classes!("badge", if online { "online" } else { "offline" })}>
                        { if online { text::ONLINE } else { text::OFFLINE } }
                    </span>
                }
                <button id="menu-toggle" class="menu-toggle" aria-expanded={(*menu_open).to_string()}
                    aria-controls="header-tools" onclick={toggle_menu}>{ text::MENU }</button>
                <div id="header-tools" class={classes!("tools", (*menu_open).then_some("open"))}>
                    <button id="elderly-switch" role="switch" aria-checked={elderly.to_string()} class="switch" onclick={toggle}>
                        <span class="switch-track" aria-hidden="true"><span class="switch-thumb"></span></span>
                        { text::ELDERLY_MODE }
                    </button>
                    if let Some(name) = &person {
                        <span id="pending" class="badge">{ format!("{}{}", text::PENDING_PREFIX, pending) }</span>
                        if pending > 0 {
                            <button id="sync-now" onclick={sync}>{ text::SYNC_NOW }</button>
                        }
                        <span id="greeting" class="person">{ format!("{}{}", text::GREETING_PREFIX, name) }</span>
                        if kiosk {
                            <button id="end-session" class="primary" onclick={logout.clone()}>{ text::END_SESSION }</button>
                        } else {
                            <button id="logout" onclick={logout}>{ text::LOGOUT }</button>
                        }
                    }
                </div>
            </div>
            if person.is_some() && !matches!(session.route, Route::Notice(_) | Route::Loading) {
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
