fn main() {
    yew::Renderer::<shiye_ui::app::App>::new().render();
}
