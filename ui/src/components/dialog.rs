//! A modal confirm dialog (确定 / 取消): focus moves into it, Escape cancels.

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
    let ok_ref = use_node_ref();
    {
        let ok_ref = ok_ref.clone();
        use_effect_with((), move |_| {
            if let Some(el) = ok_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let cancel = p.on_cancel.clone();
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            cancel.emit(());
        }
    });
    html! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title"
                aria-describedby="dialog-message" {onkeydown}>
                <h2 id="dialog-title">{ &p.title }</h2>
                <p id="dialog-message">{ &p.message }</p>
                <div class="actions">
                    <button id="dialog-cancel" onclick={p.on_cancel.reform(|_: MouseEvent| ())}>{ text::CANCEL }</button>
                    <button id="dialog-ok" class="primary" ref={ok_ref} onclick={p.on_ok.reform(|_: MouseEvent| ())}>{ text::DIALOG_OK }</button>
                </div>
            </div>
        </div>
    }
}
