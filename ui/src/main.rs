fn main() {
    // 户籍地's whole-country table is a file beside the wasm, not inside it: fetched from the app's
    // own assets (offline as the rest), installed, then the app starts. Without it (a broken
    // install), the app still starts and Beijing's districts stay available.
    wasm_bindgen_futures::spawn_local(async {
        shiye_ui::assets::load_regions().await;
        yew::Renderer::<shiye_ui::app::App>::new().render();
        // The occupation catalogue is needed at 求职登记's step, not for the first screen: it
        // follows the first paint (the picker and the shell's checks work from it once it is in).
        shiye_ui::assets::load_occupations().await;
    });
}
