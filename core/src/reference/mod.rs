//! Reference data bundled so that forms work offline: Beijing's divisions, China's provinces, cities
//! and counties (`regions`, for 户籍地), the national occupation
//! classification (`occupations`, a data file as `regions` is), banks and card prefixes, service agencies — each table with its source beside
//! it (data files under `core/data/`, written by `cargo xtask data`) — and the pinyin-aware search over them.

pub mod agencies;
pub mod banks;
pub mod data_file;
pub mod divisions;
pub mod occupations;
pub mod pinyin;
pub mod regions;
pub mod search;
pub mod snapshot;
