//! The first screen after login: greets the person by name.

use crate::text;
use shiye_core::api::Session;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub session: Session,
}

#[function_component(HomePage)]
pub fn home_page(props: &Props) -> Html {
    html! {
        <section class="card" aria-labelledby="greeting">
            <h2 id="greeting">{ format!("{}{}{}", text::GREETING_PREFIX, props.session.name, text::GREETING_SUFFIX) }</h2>
            <p>{ text::LOGGED_IN_NOTE }</p>
        </section>
    }
}
