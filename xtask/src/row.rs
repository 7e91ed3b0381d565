//! One row of `cargo xtask bench`'s summary (figure, value, baseline measured in the same run,
//! ratio, goal), and the `bench-row` lines benchmarks print it as.

/// One row of the summary.
pub struct Row {
    pub figure: String,
    pub value: String,
    pub baseline: String,
    pub ratio: String,
    pub goal: String,
}

impl Row {
    pub fn new(figure: &str, value: String, baseline: &str, ratio: String, goal: &str) -> Row {
        Row { figure: figure.into(), value, baseline: baseline.into(), ratio, goal: goal.into() }
    }
}

/// The `bench-row\tfigure\tvalue\tbaseline\tratio\tgoal` lines of a benchmark's output.
pub fn rows_in(output: &str) -> Vec<Row> {
    output
        .lines()
        .filter_map(|l| {
            let mut f = l.strip_prefix("bench-row\t")?.split('\t').map(str::to_string);
            Some(Row {
                figure: f.next()?,
                value: f.next()?,
                baseline: f.next()?,
                ratio: f.next()?,
                goal: f.next()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::rows_in;

    #[test]
    fn rows_are_read_from_bench_row_lines_only() {
        let out = "noise\nbench-row\ta\t1 ms\t2 ms\t0.50×\t≤ 1\nbench-row\tshort\t1\n";
        let rows = rows_in(out);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].figure.as_str(), rows[0].ratio.as_str()), ("a", "0.50×"));
    }
}
