//! 岗位名称: a search box over the 1,634 occupations (hanzi, full pinyin, initials) with a list of
//! matches to pick from (a combobox in the ARIA sense).

use crate::text;
use shiye_core::reference::occupations::{self, Occupation};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The best matches of a query (none before the catalogue has loaded).
pub fn matches(query: &str, limit: usize) -> Vec<Occupation> {
    let all = occupations::table();
    occupations::search(query, limit).into_iter().map(|h| all[h.index]).collect()
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: AttrValue,
    pub value: Option<String>,
    pub invalid: bool,
    pub described_by: Option<String>,
    #[prop_or_default]
    pub required: bool,
    pub on_pick: Callback<Option<String>>,
}

#[function_component(JobPicker)]
pub fn job_picker(p: &Props) -> Html {
    let chosen = p.value.as_deref().and_then(occupations::by_code).map(|o| o.name.to_string());
    let query = use_state(|| chosen.clone().unwrap_or_default());
    let open = use_state(|| false);
    // The option the arrow keys are on (ARIA 1.2 combobox: focus stays in the box).
    let active = use_state(|| None::<usize>);
    let results = if *open { matches(&query, 10) } else { Vec::new() };
    let list_id = format!("{}-list", p.id);
    let option_id = {
        let list_id = list_id.clone();
        move |i: usize| format!("{list_id}-{i}")
    };
    let pick = {
        let (pick, query, open, active) = (p.on_pick.clone(), query.clone(), open.clone(), active.clone());
        Callback::from(move |hit: Occupation| {
            query.set(hit.name.to_string());
            open.set(false);
            active.set(None);
            pick.emit(Some(hit.code.to_string()));
        })
    };
    let oninput = {
        let (query, open, active) = (query.clone(), open.clone(), active.clone());
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
            open.set(true);
            active.set(None);
        })
    };
    let onkeydown = {
        let (open, active, pick) = (open.clone(), active.clone(), pick.clone());
        let (query, shown) = (query.clone(), results.clone());
        Callback::from(move |e: KeyboardEvent| {
            // What the list holds when it opens now (it may be closed while the keys arrive).
            let list = if *open { shown.clone() } else { matches(&query, 10) };
            let n = list.len();
            match e.key().as_str() {
                "ArrowDown" | "ArrowUp" if n > 0 => {
                    e.prevent_default();
                    let down = e.key() == "ArrowDown";
                    let next = match (*active, down) {
                        (None, true) => 0,
                        (None, false) => n - 1,
                        (Some(i), true) => (i + 1) % n,
                        (Some(i), false) => (i + n - 1) % n,
                    };
                    open.set(true);
                    active.set(Some(next));
                }
                "Enter" => {
                    if let Some(hit) = active.and_then(|i| list.get(i)).filter(|_| *open) {
                        e.prevent_default();
                        pick.emit(*hit);
                    }
                }
                "Escape" if *open => {
                    e.prevent_default();
                    open.set(false);
                    active.set(None);
                }
                _ => {}
            }
        })
    };
    let expanded = *open && !results.is_empty();
    let activedescendant = active.filter(|i| expanded && *i < results.len()).map(&option_id);
    // Said by screen readers as the list changes: how many, and how to choose.
    let announcement = match (*open, results.len()) {
        (false, _) => String::new(),
        (true, 0) if query.trim().is_empty() => String::new(),
        (true, 0) => text::NO_MATCH.to_string(),
        (true, n) => format!("找到{n}个岗位，可用上下方向键选择，回车确认"),
    };
    // One handler for the whole list (not one per option): the option pressed is the one whose code
    // the pressed element sits in. Pressed, not clicked: the box keeps focus (a blur first would
    // close the list).
    let onmousedown = {
        let (pick, shown) = (pick.clone(), results.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            let pressed: web_sys::Element = e.target_unchecked_into();
            let code =
                pressed.closest("li[data-code]").ok().flatten().and_then(|li| li.get_attribute("data-code"));
            if let Some(hit) = code.and_then(|c| shown.iter().find(|o| o.code == c)) {
                pick.emit(*hit);
            }
        })
    };
    html! {
        <div class="picker">
            <input type="text" id={p.id.clone()} role="combobox" value={(*query).clone()} {oninput} {onkeydown}
                placeholder={text::SEARCH_JOB} autocomplete="off" aria-autocomplete="list"
                aria-expanded={expanded.to_string()} aria-controls={list_id.clone()}
                aria-activedescendant={activedescendant}
                aria-required={p.required.to_string()}
                aria-invalid={p.invalid.to_string()} aria-describedby={p.described_by.clone()} />
            <p class="visually-hidden" role="status" id={format!("{}-status", p.id)}>{ announcement }</p>
            if let Some(name) = &chosen {
                <p class="picked" id={format!("{}-picked", p.id)}>{ format!("已选择：{name}") }</p>
            }
            if *open {
                <ul id={list_id.clone()} role="listbox" class="results" aria-label={text::SEARCH_JOB} {onmousedown}>
                    if results.is_empty() && !query.trim().is_empty() {
                        <li key="" class="empty" aria-hidden="true">{ text::NO_MATCH }</li>
                    }
                    { for results.into_iter().enumerate().map(|(i, hit)| {
                        let on = *active == Some(i);
                        html! { <li key={hit.code} id={option_id(i)} role="option" class={if on { "option active" } else { "option" }}
                            data-code={hit.code} aria-selected={if on { "true" } else { "false" }}>
                                { hit.name }<span class="code">{ " " }{ hit.code }</span>
                            </li> }
                    }) }
                </ul>
            }
        </div>
    }
}
