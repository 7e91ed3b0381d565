//! 用户须知 and the 集成服务承诺书: the text in a scrolling box; "我已阅读并同意" is enabled once it
//! was scrolled to the end (or fits without scrolling).

use crate::text;
use shiye_core::ipc::Notice;
use shiye_core::notices;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub notice: Notice,
    pub on_accept: Callback<Notice>,
}

fn at_end(el: &web_sys::Element) -> bool {
    el.scroll_top() + el.client_height() >= el.scroll_height() - 4
}

#[function_component(NoticePage)]
pub fn notice_page(p: &Props) -> Html {
    let read = use_state(|| false);
    let body = use_node_ref();
    {
        let (read, body) = (read.clone(), body.clone());
        use_effect_with(p.notice, move |_| {
            read.set(body.cast::<web_sys::Element>().is_some_and(|el| at_end(&el)));
        });
    }
    let onscroll = {
        let (read, body) = (read.clone(), body.clone());
        Callback::from(move |_: Event| {
            if body.cast::<web_sys::Element>().is_some_and(|el| at_end(&el)) {
                read.set(true);
            }
        })
    };
    let current = notices::current(p.notice, crate::view::today());
    let (title, paragraphs) = (current.title.clone(), current.paragraphs);
    let notice = p.notice;
    html! {
        <section class="card" aria-labelledby="notice-heading">
            <h2 id="notice-heading">{ title.clone() }</h2>
            <div id="notice-body" class="notice-body" ref={body} {onscroll} tabindex="0"
                role="region" aria-label={title}>
                { for paragraphs.iter().map(|t| html! { <p>{ t }</p> }) }
            </div>
            <p class="hint" aria-live="polite">{ if *read { "" } else { text::READ_TO_END } }</p>
            <button id="notice-accept" class="primary" disabled={!*read}
                onclick={p.on_accept.reform(move |_: MouseEvent| notice)}>{ text::NOTICE_ACCEPT }</button>
        </section>
    }
}
