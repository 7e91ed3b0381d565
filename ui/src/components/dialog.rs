//! A modal confirm dialog (确认 / 取消): focus moves into it, Tab stays in it, Escape cancels.

use crate::text;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub title: AttrValue,
    pub message: AttrValue,
    pub on_ok: Callback<()>,
    pub on_cancel: Callback<()>,
}

#[function_component(ConfirmDialog)]
pub fn confirm_dialog(p: &Props) -> Html {
    let (ok_ref, cancel_ref) = (use_node_ref(), use_node_ref());
    {
        let ok_ref = ok_ref.clone();
        use_effect_with((), move |_| {
            if let Some(el) = ok_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let cancel = p.on_cancel.clone();
    let (ok, no) = (ok_ref.clone(), cancel_ref.clone());
    let onkeydown = Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
        "Escape" => cancel.emit(()),
        // Tab stays inside the dialog: between its two buttons, either way.
        "Tab" => {
            e.prevent_default();
            let on_ok = ok
                .cast::<web_sys::Element>()
                .zip(gloo_utils::document().active_element())
                .is_some_and(|(a, b)| a == b);
            let next = if on_ok { &no } else { &ok };
            if let Some(el) = next.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
        _ => {}
    });
    html! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title"
                aria-describedby="dialog-message" {onkeydown}>
                <h2 id="dialog-title">{ &p.title }</h2>
                <p id="dialog-message">{ &p.message }</p>
                <div class="actions">
                    <button id="dialog-cancel" ref={cancel_ref} onclick={p.on_cancel.reform(|_: MouseEvent| ())}>{ text::CANCEL }</button>
                    <button id="dialog-ok" class="primary" ref={ok_ref} onclick={p.on_ok.reform(|_: MouseEvent| ())}>{ text::DIALOG_OK }</button>
                </div>
            </div>
        </div>
    }
}
