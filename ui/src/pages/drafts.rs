//! 草稿箱: the person's drafts with when they were saved and when they expire; continue or delete.

use crate::route::Route;
use crate::session::use_session;
use crate::text;
use crate::view::date_time;
use shiye_core::ipc::DraftSummary;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[function_component(DraftsPage)]
pub fn drafts_page() -> Html {
    let session = use_session();
    let drafts = use_state(|| None::<Vec<DraftSummary>>);
    let error = use_state(|| None::<String>);
    let reload = {
        let (drafts, error, session) = (drafts.clone(), error.clone(), session.clone());
        Callback::from(move |()| {
            let (drafts, error, session) = (drafts.clone(), error.clone(), session.clone());
            spawn_local(async move {
                match session.drafts().await {
                    Ok(d) => drafts.set(Some(d)),
                    Err(e) => error.set(Some(e.message)),
                }
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload.emit(()));
    }
    let rows = drafts.iter().flatten().map(|d| {
        let b = d.bundle;
        let (reload, s) = (reload.clone(), session.clone());
        let discard = Callback::from(move |_: MouseEvent| {
            let (reload, s) = (reload.clone(), s.clone());
            spawn_local(async move {
                let _ = s.discard_draft(b).await;
                reload.emit(());
            });
        });
        let s = session.clone();
        let on_continue = Callback::from(move |_: MouseEvent| s.navigate(Route::Wizard(b)));
        html! {
            <li class="draft">
                <h3>{ b.title_zh() }</h3>
                <p>{ format!("{}{}", text::DRAFT_SAVED, date_time(d.saved_at)) }</p>
                <p>{ format!("{}{}", text::DRAFT_EXPIRES, date_time(d.expires_at)) }</p>
                if d.outdated { <p class="field-warning">{ text::OUTDATED_DRAFT }</p> }
                <div class="actions">
                    <button onclick={discard} aria-label={format!("{}{}", text::DISCARD, b.title_zh())}>{ text::DISCARD }</button>
                    <button class="primary" onclick={on_continue}
                        aria-label={format!("{}{}", text::CONTINUE, b.title_zh())}>{ text::CONTINUE }</button>
                </div>
            </li>
        }
    });
    html! {
        <section class="card" aria-labelledby="drafts-heading">
            <h2 id="drafts-heading">{ text::DRAFTS_HEADING }</h2>
            if let Some(e) = &*error { <div class="alert" role="alert"><p>{ e }</p></div> }
            if drafts.as_ref().is_some_and(|d| d.is_empty()) { <p>{ text::NO_DRAFTS }</p> }
            <ul class="drafts" id="drafts">{ for rows }</ul>
        </section>
    }
}
