//! 岗位名称: a search box over the 1,634 occupations (hanzi, full pinyin, initials) with a list of
//! matches to pick from (a combobox in the ARIA sense).

use crate::text;
use shiye_core::reference::occupations::{self, Occupation};
use shiye_core::reference::search::search;
use web_sys::HtmlInputElement;
use yew::prelude::*;

thread_local! {
    static OCCUPATIONS: Vec<Occupation> = occupations::all().collect();
}

/// The best matches of a query, as (code, name).
pub fn matches(query: &str, limit: usize) -> Vec<(String, String)> {
    OCCUPATIONS.with(|all| {
        search(query, all, limit)
            .into_iter()
            .map(|h| (all[h.index].code.to_string(), all[h.index].name.to_string()))
            .collect()
    })
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: AttrValue,
    pub value: Option<String>,
    pub invalid: bool,
    pub described_by: Option<String>,
    pub on_pick: Callback<Option<String>>,
}

#[function_component(JobPicker)]
pub fn job_picker(p: &Props) -> Html {
    let chosen = p.value.as_deref().and_then(occupations::by_code).map(|o| o.name.to_string());
    let query = use_state(|| chosen.clone().unwrap_or_default());
    let open = use_state(|| false);
    let results = if *open { matches(&query, 10) } else { Vec::new() };
    let oninput = {
        let (query, open) = (query.clone(), open.clone());
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
            open.set(true);
        })
    };
    let list_id = format!("{}-list", p.id);
    html! {
        <div class="picker">
            <input type="text" id={p.id.clone()} role="combobox" value={(*query).clone()} {oninput}
                placeholder={text::SEARCH_JOB} autocomplete="off"
                aria-expanded={(*open && !results.is_empty()).to_string()} aria-controls={list_id.clone()}
                aria-invalid={p.invalid.to_string()} aria-describedby={p.described_by.clone()} />
            if let Some(name) = &chosen {
                <p class="picked">{ format!("已选择：{name}") }</p>
            }
            if *open {
                <ul id={list_id} role="listbox" class="results" aria-label={text::SEARCH_JOB}>
                    if results.is_empty() && !query.trim().is_empty() {
                        <li key="" class="empty">{ text::NO_MATCH }</li>
                    }
                    { for results.into_iter().map(|(code, name)| {
                        let (pick, q, o) = (p.on_pick.clone(), query.clone(), open.clone());
                        let (c, n) = (code.clone(), name.clone());
                        html! { <li key={code.clone()} role="option" aria-selected={(p.value.as_deref() == Some(code.as_str())).to_string()}>
                            <button type="button" class="option" data-code={code.clone()}
                                onclick={Callback::from(move |_: MouseEvent| { q.set(n.clone()); o.set(false); pick.emit(Some(c.clone())); })}>
                                { name }<span class="code">{ format!(" {code}") }</span>
                            </button></li> }
                    }) }
                </ul>
            }
        </div>
    }
}
