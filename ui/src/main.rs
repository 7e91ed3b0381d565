fn main() {
    // 户籍地's whole-country table is a file beside the wasm, not inside it: fetched from the app's
    // own assets (offline as the rest), installed, then the app starts. Without it (a broken
    // install), the app still starts and Beijing's districts stay available.
    wasm_bindgen_futures::spawn_local(async {
        shiye_ui::assets::load_regions().await;
        yew::Renderer::<shiye_ui::app::App>::new().render();
        // The occupation catalogue and the banks are needed at the wizard's steps, not for the
        // first screen: they follow the first paint (the shell checks against its own copies).
        shiye_ui::assets::load_occupations().await;
        shiye_ui::assets::load_banks().await;
    });
}
