//! Declares the app's commands to tauri-build, which makes an `allow-<command>` permission for each,
//! so a window can call only what its capability file grants (the kiosk's login window gets
//! nothing). The names are read from shiye-core's command table, the one place they are written
//! (`name = "…"` entries of `commands!`); the app's tests check the table, the handler list and
//! the capability file against each other.

fn names(table: &str) -> Vec<String> {
    let body = &table[table.find("commands! {").expect("the commands! table")..];
    body.lines()
        .filter_map(|line| {
            let (_, rest) = line.trim().split_once(" = \"")?;
            let (name, after) = rest.split_once('"')?;
            after.trim_start().starts_with('{').then(|| name.to_string())
        })
        .collect()
}

fn main() {
    let table_path = "core/src/ipc/commands.rs";
    println!("cargo:rerun-if-changed={table_path}");
    let table = std::fs::read_to_string(table_path).expect("shiye-core's command table");
    let names = names(&table);
    assert!(names.len() > 10, "command names not found in {table_path}");
    let names: Vec<&'static str> = names.into_iter().map(|n| &*Box::leak(n.into_boxed_str())).collect();
    let manifest = tauri_build::AppManifest::new().commands(Box::leak(names.into_boxed_slice()));
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        panic!("tauri-build failed: {e:#}");
    }
}
