fn main() {
    // Nothing is awaited before the first render: the data files the forms use are fetched as the
    // app starts (`assets`), not carried in the wasm.
    yew::Renderer::<shiye_ui::app::App>::new().render();
}
