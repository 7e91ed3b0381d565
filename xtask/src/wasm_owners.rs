//! What the UI's wasm is made of, by owner, for `cargo xtask bench`: twiggy's item sizes of the
//! wasm cargo builds (before wasm-bindgen and wasm-opt, which shrink every part; its name sections
//! and wasm-bindgen's custom section are left out, as they never ship), summed per owner — our pages,
//! shiye-core, the serde code derived for our types, serde itself, Yew, Rust's standard library,
//! wasm-bindgen and web-sys, the data segment — with the largest single items.

use crate::paths;
use crate::proc::{cmd, output, run, Result};
use crate::row::Row;
use std::collections::BTreeMap;

const TWIGGY_VERSION: &str = "0.8.0";

fn twiggy() -> Result {
    let installed = output("cargo", &["install", "--list"]).unwrap_or_default();
    if installed.lines().any(|l| l.starts_with(&format!("twiggy v{TWIGGY_VERSION}:"))) {
        return Ok(());
    }
    run(&mut cmd("cargo", &["install", "twiggy", "--version", TWIGGY_VERSION, "--locked"]))
}

/// The owner of a twiggy item, by its name; `None` for what never ships (custom sections).
pub fn owner(name: &str) -> Option<&'static str> {
    // Name sections, wasm-bindgen's custom section and its `describe` functions: removed by
    // wasm-bindgen and wasm-opt, they never ship.
    if name.contains("function names")
        || name.starts_with("custom section")
        || name.contains("wbindgen_describe")
        || name.contains("WasmDescribe")
    {
        return None;
    }
    if name.starts_with("data segment") || name.starts_with("\"data segment") {
        return Some("data segment (texts, tables)");
    }
    if name.contains("serde") {
        let ours = name.contains(" for shiye_") || name.starts_with("shiye_");
        return Some(if ours { "serde code derived for our types" } else { "serde" });
    }
    if name.starts_with("export ") || name.starts_with("import ") || name.contains("wbindgen") {
        return Some("wasm-bindgen, web-sys");
    }
    // `<Type as Trait>::…`: the type's crate, or the trait's for a generic type (`<T as core::…>`).
    let path = match name.strip_prefix('<').and_then(|n| n.split_once(" as ")) {
        Some((ty, tr)) if !ty.trim_start_matches('&').contains("::") => tr,
        Some((ty, _)) => ty.trim_start_matches('&'),
        None => name,
    };
    let first = path.split("::").next().unwrap_or("");
    let krate = first.split('[').next().unwrap_or(first);
    Some(match krate {
        "shiye_ui" => "pages and components (shiye-ui)",
        "shiye_core" => "shiye-core",
        "yew" | "implicit_clone" | "prokio" | "gloo" | "gloo_timers" | "gloo_utils" | "gloo_events" => "Yew",
        "core" | "alloc" | "std" | "dlmalloc" | "compiler_builtins" | "hashbrown" => "Rust std",
        "wasm_bindgen" | "js_sys" | "web_sys" | "wasm_bindgen_futures" => "wasm-bindgen, web-sys",
        _ => "other",
    })
}

/// Reads twiggy's CSV (`Name,ShallowSize,…`): the bytes per owner and the largest items.
fn tally(csv: &str) -> (BTreeMap<&'static str, u64>, Vec<(String, u64)>) {
    let mut owners = BTreeMap::new();
    let mut items = Vec::new();
    for line in csv.lines().skip(1) {
        // The name may be quoted and hold commas; the size is the field after it.
        let mut fields = line.rsplitn(5, ',');
        let (Some(_), Some(_), Some(_), Some(size), Some(name)) =
            (fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Ok(size) = size.parse::<u64>() else { continue };
        let name = name.trim_matches('"').replace("\"\"", "\"");
        if let Some(o) = owner(&name) {
            *owners.entry(o).or_default() += size;
            items.push((name, size));
        }
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.1));
    items.truncate(12);
    (owners, items)
}

pub fn report() -> Result<Vec<Row>> {
    twiggy()?;
    let wasm = paths::target_dir().join("wasm32-unknown-unknown").join("wasm").join("shiye-ui.wasm");
    let path = wasm.to_str().ok_or("target path is not UTF-8")?;
    let csv = output("twiggy", &["top", "-n", "1000000", "--format", "csv", path])
        .ok_or_else(|| format!("twiggy could not read {path}"))?;
    let (owners, items) = tally(&csv);
    let total: u64 = owners.values().sum();
    let mut by_size: Vec<(&str, u64)> = owners.into_iter().collect();
    by_size.sort_by_key(|o| std::cmp::Reverse(o.1));
    println!("\n| UI wasm by owner (cargo's output, before wasm-bindgen and wasm-opt) | KB | share |");
    println!("| --- | --- | --- |");
    for (o, b) in &by_size {
        println!("| {o} | {:.1} | {:.0} % |", *b as f64 / 1000.0, *b as f64 * 100.0 / total as f64);
    }
    println!("\nlargest items:");
    for (name, size) in &items {
        println!("  {:>7} B  {}", size, name.chars().take(140).collect::<String>());
    }
    let shares: Vec<String> =
        by_size.iter().map(|(o, b)| format!("{o} {:.0} %", *b as f64 * 100.0 / total as f64)).collect();
    Ok(vec![Row::new(
        "UI wasm by owner (before wasm-opt)",
        shares.join(", "),
        "—",
        "—".into(),
        "≤ 500 KB raw with every table out, if Yew and std alone prevent 400",
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_given_to_their_owners_and_custom_sections_left_out() {
        let csv = "Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent\n\
            \"\"\"function names\"\" subsection\",500,20.0,,\n\
            custom section '__wasm_bindgen_unstable',500,20.0,,\n\
            \"data segment \"\".rodata\"\"\",100,4.0,,\n\
            <shiye_ui::pages::wizard::WizardBody as yew::functional::FunctionProvider>::run::h1,30,1.0,,\n\
            shiye_core::ipc::_::<impl serde_core::de::Deserialize for shiye_core::ipc::LocalState>::deserialize::h2,20,1.0,,\n\
            <serde_wasm_bindgen::de::Deserializer as serde_core::de::Deserializer>::deserialize_struct::h3,10,1.0,,\n\
            core[c5930c85a12de822]::fmt::float::float_to_decimal_common_shortest::<f64>,7,1.0,,\n\
            <yew::html::component::lifecycle::CompStateInner<COMP> as yew::X>::view::h4,5,1.0,,\n\
            <T as core::slice::cmp::SliceContains>::slice_contains::h5,3,1.0,,\n\
            export \"__wbindgen_describe___wbg_after_fd31\",2,1.0,,\n\
            import __wbindgen_placeholder__::__wbg_after_1,4,1.0,,\n";
        let (owners, items) = tally(csv);
        assert_eq!(owners["data segment (texts, tables)"], 100);
        assert_eq!(owners["pages and components (shiye-ui)"], 30);
        assert_eq!(owners["serde code derived for our types"], 20);
        assert_eq!(owners["serde"], 10);
        assert_eq!(owners["Rust std"], 7 + 3);
        assert_eq!(owners["Yew"], 5);
        assert_eq!(owners["wasm-bindgen, web-sys"], 4);
        assert_eq!(
            owners.values().sum::<u64>(),
            179,
            "the custom sections and describe functions never ship"
        );
        assert_eq!(items[0].1, 100);
    }
}
