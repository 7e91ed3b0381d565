//! The published data in use as one `ReferenceData` value — what the server answers at
//! `/api/v1/reference` and what the device keeps sealed for offline use — and the tables a policy
//! office publishes: each named, checked on its own and against the others, installed over its
//! bundled default.

use crate::benefit::{self, BenefitRule};
use crate::notices::{self, NoticeText};
use crate::options::{self, Lists, NamedEntry};
use crate::reference::agencies::{self, AgencyEntry};
use crate::reference::banks;
use crate::reference::divisions::{self, DistrictEntry};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/reference`: every published table as the server has it in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferenceData {
    pub agencies: Vec<AgencyEntry>,
    pub banks: Vec<NamedEntry>,
    /// Option list name (e.g. `cancel_reason`) → (wire value, label) in display order.
    pub options: Lists,
    /// Beijing's districts and their 街道/乡镇.
    #[serde(default)]
    pub divisions: Vec<DistrictEntry>,
    /// The benefit rule, every version with the date it takes effect.
    #[serde(default)]
    pub benefit_rules: Vec<BenefitRule>,
    /// 用户通知 and 承诺书, every version with the date it takes effect.
    #[serde(default)]
    pub notices: Vec<NoticeText>,
    /// Which version of each table is in use and where it comes from.
    #[serde(default)]
    pub tables: Vec<TableInfo>,
}

impl ReferenceData {
    /// Whether any table in it was published (a copy without versions was written when only the
    /// 服务机构 list could be).
    pub fn any_published(&self) -> bool {
        self.tables.is_empty() || self.tables.iter().any(|t| t.version > 0)
    }
}

/// A table's published version (0: the bundled default) and its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TableInfo {
    pub table: Table,
    pub version: i64,
    /// Where the data comes from: the bundled default's source, or who published it and when.
    pub source: String,
}

/// The tables a policy office publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Agencies,
    Divisions,
    BenefitRules,
    Notices,
    Options,
    Banks,
}

impl Table {
    pub const ALL: [Table; 6] = [
        Table::Divisions,
        Table::Agencies,
        Table::BenefitRules,
        Table::Notices,
        Table::Options,
        Table::Banks,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Agencies => "agencies",
            Table::Divisions => "divisions",
            Table::BenefitRules => "benefit_rules",
            Table::Notices => "notices",
            Table::Options => "options",
            Table::Banks => "banks",
        }
    }

    pub fn parse(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Table::Agencies => "服务机构",
            Table::Divisions => "区划（区、街道乡镇）",
            Table::BenefitRules => "失业保险金待遇规则",
            Table::Notices => "用户通知和承诺书",
            Table::Options => "选项列表",
            Table::Banks => "开户银行",
        }
    }

    /// Where the bundled default comes from.
    pub fn bundled_source(self) -> &'static str {
        match self {
            Table::Agencies => "按区划表生成：每个街道（乡镇）社会保障事务所及所在区人力资源公共服务中心",
            Table::Divisions => divisions::BUNDLED_SOURCE,
            Table::BenefitRules => {
                "《北京市失业保险规定》第十九条及2024年失业保险金标准（按通行引用整理，待发布确认）"
            }
            Table::Notices => "本应用依据操作手册和《失业保险条例》编写（2025年1月1日）",
            Table::Options => "操作手册、《就业服务与就业管理规定》（2022）、《失业保险条例》第十五条",
            Table::Banks => banks::BUNDLED_SOURCE,
        }
    }
}

/// The bundled defaults as one value: what a fresh install starts from, every table at version 0.
pub fn snapshot() -> ReferenceData {
    finish(defaults(), &[])
}

/// The published tables as the database holds them: (table, version, body as JSON, source).
pub type Row = (Table, i64, String, String);

/// The data that published rows give over the bundled defaults, whatever this process has in use
/// (a publish is checked with it before anything is installed). `Err` names the table whose body
/// cannot be read.
pub fn assemble(rows: &[Row]) -> Result<ReferenceData, (Table, String)> {
    let mut data = defaults();
    for (table, _, body, _) in rows {
        replace(&mut data, *table, body).map_err(|e| (*table, e))?;
    }
    Ok(finish(data, rows))
}

/// Every bundled table but the agencies, which follow the division table (`finish`).
fn defaults() -> ReferenceData {
    ReferenceData {
        agencies: Vec::new(),
        banks: banks::bundled(),
        options: options::bundled(),
        divisions: divisions::bundled(),
        benefit_rules: benefit::bundled(),
        notices: notices::bundled(),
        tables: Vec::new(),
    }
}

/// The agencies by the rule unless published, and each table's version and source.
fn finish(mut data: ReferenceData, rows: &[Row]) -> ReferenceData {
    if !rows.iter().any(|r| r.0 == Table::Agencies) {
        data.agencies = agencies::derived(&data.divisions);
    }
    data.tables = Table::ALL
        .into_iter()
        .map(|table| match rows.iter().find(|r| r.0 == table) {
            Some((_, version, _, source)) => {
                let source = if source.is_empty() {
                    "已发布（发布人未记录）".into()
                } else {
                    source.clone()
                };
                TableInfo { table, version: *version, source }
            }
            None => TableInfo { table, version: 0, source: table.bundled_source().into() },
        })
        .collect();
    data
}

/// What a publish changes in a table, one line a change (added, removed, changed entries by their
/// code, id or version), for the operator to read before publishing.
pub fn changes(table: Table, old: &ReferenceData, new: &ReferenceData) -> Vec<String> {
    let value = |d: &ReferenceData| serde_json::from_str(&body(d, table)).unwrap_or(serde_json::Value::Null);
    let mut out = Vec::new();
    diff("", &value(old), &value(new), &mut out);
    out
}

fn key_of(v: &serde_json::Value) -> String {
    let field = |k: &str| v.get(k).map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string()));
    let own =
        field("code").or_else(|| field("id")).or_else(|| field("from_months").map(|m| format!("满{m}个月")));
    match (own, field("notice"), field("version")) {
        (Some(k), _, _) => k,
        (None, Some(n), Some(ver)) => format!("{n} v{ver}"),
        (None, None, Some(ver)) => format!("v{ver}"),
        _ => v.to_string(),
    }
}

fn label_of(v: &serde_json::Value) -> String {
    let name = v.get("name").or_else(|| v.get("title")).and_then(|n| n.as_str()).unwrap_or("");
    format!("{} {name}", key_of(v)).trim().to_string()
}

fn diff(at: &str, old: &serde_json::Value, new: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    let at_ = |k: &str| if at.is_empty() { k.to_string() } else { format!("{at}/{k}") };
    match (old, new) {
        (Value::Array(a), Value::Array(b)) => {
            for x in a.iter().filter(|x| !b.iter().any(|y| key_of(y) == key_of(x))) {
                out.push(format!("删除 {}{}", prefix(at), label_of(x)));
            }
            for y in b {
                match a.iter().find(|x| key_of(x) == key_of(y)) {
                    None => out.push(format!("新增 {}{}", prefix(at), label_of(y))),
                    Some(x) if x != y => diff(&at_(&key_of(y)), x, y, out),
                    Some(_) => {}
                }
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, y) in b {
                match a.get(k) {
                    Some(x) if x == y => {}
                    Some(x) => diff(&at_(k), x, y, out),
                    None => out.push(format!("新增 {}", at_(k))),
                }
            }
            for k in a.keys().filter(|k| !b.contains_key(*k)) {
                out.push(format!("删除 {}", at_(k)));
            }
        }
        (x, y) if x != y => out.push(format!("修改 {at}：{x} → {y}")),
        _ => {}
    }
}

fn prefix(at: &str) -> String {
    if at.is_empty() {
        String::new()
    } else {
        format!("{at}/")
    }
}

/// Why a table's published body cannot be used together with the other tables in use; `Ok` when
/// it can. `data` is the data in use with the new body in place.
pub fn check(table: Table, data: &ReferenceData) -> Result<(), String> {
    match table {
        Table::Divisions => {
            divisions::check(&data.divisions)?;
            // A division table that would orphan a published office is refused likewise.
            agencies::check(&data.agencies, &data.divisions)
                .map_err(|e| format!("{e}：新区划表会使已发布的服务机构列表失效"))
        }
        Table::Agencies => agencies::check(&data.agencies, &data.divisions),
        Table::BenefitRules => benefit::check(&data.benefit_rules),
        Table::Notices => notices::check(&data.notices),
        Table::Options => options::check(&data.options),
        Table::Banks => banks::check(&data.banks),
    }
}

/// Puts a `ReferenceData` body's table in `data` (parsed from JSON as published).
pub fn replace(data: &mut ReferenceData, table: Table, body: &str) -> Result<(), String> {
    fn parse<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, String> {
        serde_json::from_str(body).map_err(|e| format!("无法读取：{e}"))
    }
    match table {
        Table::Agencies => data.agencies = parse(body)?,
        Table::Divisions => data.divisions = parse(body)?,
        Table::BenefitRules => data.benefit_rules = parse(body)?,
        Table::Notices => data.notices = parse(body)?,
        Table::Options => data.options = parse(body)?,
        Table::Banks => data.banks = parse(body)?,
    }
    Ok(())
}

/// A table's body in `data` as JSON (what `reference show` prints, what a publish stores).
pub fn body(data: &ReferenceData, table: Table) -> String {
    let text = match table {
        Table::Agencies => serde_json::to_string_pretty(&data.agencies),
        Table::Divisions => serde_json::to_string_pretty(&data.divisions),
        Table::BenefitRules => serde_json::to_string_pretty(&data.benefit_rules),
        Table::Notices => serde_json::to_string_pretty(&data.notices),
        Table::Options => serde_json::to_string_pretty(&data.options),
        Table::Banks => serde_json::to_string_pretty(&data.banks),
    };
    text.unwrap_or_default()
}

/// Puts every table of `data` in use in this process, divisions first (the agencies are checked
/// against them). A table that is the bundled default is reset to it. Returns the tables that could
/// not be used, each with why (the one in use stays).
pub fn install(data: &ReferenceData) -> Vec<(Table, String)> {
    // A copy without `tables` was written before the other tables were published (a device's
    // held copy, an older server): its 服务机构 list was then the only published table.
    let legacy = data.tables.is_empty();
    let published = |t: Table| {
        (legacy && t == Table::Agencies) || data.tables.iter().any(|i| i.table == t && i.version > 0)
    };
    let mut refused = Vec::new();
    for table in Table::ALL {
        if !published(table) {
            match table {
                Table::Agencies => agencies::reset(),
                Table::Divisions => divisions::reset(),
                Table::BenefitRules => benefit::reset(),
                Table::Notices => notices::reset(),
                Table::Options => options::reset(),
                Table::Banks => banks::reset(),
            }
            continue;
        }
        let result = match table {
            Table::Divisions => divisions::install(data.divisions.clone()),
            Table::Agencies => {
                if agencies::install(data.agencies.clone()) {
                    Ok(())
                } else {
                    Err("服务机构列表不可用".into())
                }
            }
            Table::BenefitRules => benefit::install(data.benefit_rules.clone()),
            Table::Notices => notices::install(data.notices.clone()),
            Table::Options => options::install(data.options.clone()),
            Table::Banks => banks::install_offered(data.banks.clone()),
        };
        if let Err(why) = result {
            refused.push((table, why));
        }
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_street_is_served_and_every_list_is_there() {
        let r = snapshot();
        assert_eq!(r.agencies.len(), 349 + 16);
        assert_eq!(r.options.len(), 10);
        assert_eq!(r.options["cancel_reason"][0].code, "employed");
        assert!(r.banks.iter().any(|b| b.name == "中国工商银行"));
        assert_eq!(r.tables.len(), Table::ALL.len());
        assert!(r.tables.iter().all(|t| t.version == 0 && !t.source.is_empty()), "bundled, with a source");
        assert!(!r.any_published(), "nothing to send the page: it has the defaults");
        let mut published = r.clone();
        published.tables[2].version = 1;
        assert!(published.any_published());
        assert!(
            ReferenceData { tables: Vec::new(), ..r.clone() }.any_published(),
            "an older copy: its agencies"
        );
        for t in Table::ALL {
            assert_eq!(check(t, &r), Ok(()), "the bundled {t:?} passes its publish check");
            assert_eq!(Table::parse(t.name()), Some(t));
        }
    }

    #[test]
    fn a_publish_is_assembled_over_the_bundled_defaults_and_its_changes_are_named() {
        let bundled = assemble(&[]).unwrap();
        assert_eq!(bundled, snapshot(), "nothing published: the bundled defaults");
        let mut divisions = divisions::bundled();
        divisions[4].streets.push(NamedEntry { code: "110105100".into(), name: "新街道".into() });
        let rows =
            vec![(Table::Divisions, 1, serde_json::to_string(&divisions).unwrap(), "运维 2026-12-07".into())];
        let new = assemble(&rows).unwrap();
        assert!(new.agencies.iter().any(|a| a.id == "S110105100"), "the rule serves a new street");
        assert_eq!(new.tables.iter().find(|t| t.table == Table::Divisions).map(|t| t.version), Some(1));
        let lines = changes(Table::Divisions, &bundled, &new);
        assert_eq!(lines, [format!("新增 {}/streets/110105100 新街道", divisions[4].code)]);
        let mut rule = benefit::bundled();
        rule[0].monthly_yuan[0].value = 2200;
        let rows = vec![(Table::BenefitRules, 1, serde_json::to_string(&rule).unwrap(), String::new())];
        let lines = changes(Table::BenefitRules, &bundled, &assemble(&rows).unwrap());
        assert_eq!(lines, ["修改 v1/monthly_yuan/满12个月/value：2086 → 2200"]);
        let bad = vec![(Table::Notices, 1, "{".to_string(), String::new())];
        assert_eq!(assemble(&bad).unwrap_err().0, Table::Notices);
    }

    #[test]
    fn an_office_on_a_street_the_divisions_lack_is_refused_either_way() {
        let mut r = snapshot();
        let new_street = NamedEntry { code: "110105100".into(), name: "新街道".into() };
        r.agencies.push(AgencyEntry {
            id: "X1".into(),
            name: "新街道就业服务站".into(),
            streets: vec![new_street.code.clone()],
        });
        let why = check(Table::Agencies, &r).unwrap_err();
        assert!(why.contains("110105100"), "{why}");
        // With the street in the division table, the pair is consistent.
        r.divisions.iter_mut().find(|d| d.code == "110105").unwrap().streets.push(new_street);
        assert_eq!(check(Table::Agencies, &r), Ok(()));
        // A division table dropping a street an office serves is refused, naming the street.
        let mut r = snapshot();
        r.divisions[0].streets.retain(|s| s.code != "110101001");
        let why = check(Table::Divisions, &r).unwrap_err();
        assert!(why.contains("110101001"), "{why}");
    }
}
