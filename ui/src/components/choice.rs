//! A choice from a list: a native select (`ChoiceSelect`), and for 开户行 the same select narrowed
//! by a search box (`BankChoice`) that finds banks by hanzi, full pinyin or initials (as 岗位名称
//! is). The search box keeps its own text: a keystroke renders this component, not the whole field.

use crate::text;
use shiye_core::options::NamedEntry;
use shiye_core::reference::search::search;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The codes of `offered` (the banks the field lists: the published list, else the table's)
/// matching `query`, best first; `None` for an empty query (the whole list).
pub fn matching(query: &str, offered: &[NamedEntry]) -> Option<Vec<String>> {
    if query.trim().is_empty() {
        return None;
    }
    Some(search(query, offered, 30).into_iter().map(|h| offered[h.index].code.clone()).collect())
}

#[derive(Properties, PartialEq, Clone)]
pub struct SelectProps {
    pub id: AttrValue,
    pub choices: Vec<NamedEntry>,
    /// The chosen code ("" for none).
    pub current: String,
    pub invalid: bool,
    pub required: bool,
    pub described_by: Option<String>,
    pub onchange: Callback<Event>,
    pub onblur: Callback<FocusEvent>,
}

#[function_component(ChoiceSelect)]
pub fn choice_select(p: &SelectProps) -> Html {
    html! {
        <select id={p.id.clone()} onchange={p.onchange.clone()} onblur={p.onblur.clone()} aria-invalid={p.invalid.to_string()}
            aria-required={p.required.to_string()} aria-describedby={p.described_by.clone()}>
            // Keyed: the list changes with other answers (e.g. 薪酬类型 with 就业形式).
            <option key="" value="" selected={p.current.is_empty()}>{ text::CHOOSE }</option>
            { for p.choices.iter().map(|c| html! {
                <option key={c.code.clone()} value={c.code.clone()} selected={c.code == p.current}>{ c.name.clone() }</option>
            }) }
        </select>
    }
}

#[derive(Properties, PartialEq)]
pub struct BankProps {
    /// The field's label, said by the search box's own label.
    pub label: AttrValue,
    pub select: SelectProps,
}

/// 开户行: a search box over the select; the best matches first, the chosen bank kept.
#[function_component(BankChoice)]
pub fn bank_choice(p: &BankProps) -> Html {
    let query = use_state(String::new);
    let mut select = p.select.clone();
    if let Some(codes) = matching(&query, &select.choices) {
        let current = &select.current;
        select.choices.retain(|c| c.code == *current || codes.contains(&c.code));
        select
            .choices
            .sort_unstable_by_key(|c| codes.iter().position(|k| *k == c.code).unwrap_or(usize::MAX));
    }
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    // ↓ goes on to the narrowed list (a native select: the keyboard works there as usual).
    let onkeydown = {
        let list = p.select.id.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "ArrowDown" {
                e.prevent_default();
                let select = gloo_utils::document().get_element_by_id(&list);
                if let Some(el) =
                    select.and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
                {
                    let _ = el.focus();
                }
            }
        })
    };
    let id = &p.select.id;
    html! {
        <>
        <input type="search" id={format!("{id}-filter")} class="filter" value={(*query).clone()} {oninput} {onkeydown}
            placeholder={text::SEARCH_BANK} aria-label={format!("{}{}", p.label, text::SEARCH_BANK_LABEL)}
            aria-controls={id.clone()} autocomplete="off" />
        <ChoiceSelect ..select />
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::reference::banks;

    #[test]
    fn banks_are_found_by_hanzi_pinyin_and_initials() {
        // As the page does once it has fetched the file (a build with the table compiled in has it).
        banks::install(include_str!("../../../core/data/banks.txt"));
        shiye_core::reference::pinyin::install(include_str!("../../../core/data/pinyin.txt"));
        let offered = banks::offered();
        for q in ["建设", "jianshe", "zgjsyh"] {
            assert_eq!(matching(q, &offered).unwrap().first().map(String::as_str), Some("CCB"), "{q}");
        }
        assert_eq!(matching("gongshang", &offered).unwrap().first().map(String::as_str), Some("ICBC"));
        assert_eq!(matching(" ", &offered), None);
    }
}
