//! Fuzz target: any bytes as a CSV (comma or tab, with or without a header), JSONL or JSON array table,
//! read row by row through the table reader and classified with the default rules. Rows come
//! out numbered 1, 2, 3 ... with nothing skipped, whatever the input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use request_triage::table::{Selection, Table, TableFormat, TableOptions};
use request_triage::{Classifier, RuleSet};

fn classifier() -> &'static Classifier {
    static CLASSIFIER: OnceLock<Classifier> = OnceLock::new();
    CLASSIFIER.get_or_init(|| Classifier::new(RuleSet::default_rules()).expect("default rules compile"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else { return };
    let format = match (selector & 1, selector & 16) {
        (0, _) => TableFormat::Csv,
        (_, 0) => TableFormat::Jsonl,
        _ => TableFormat::Json,
    };
    let mut options = TableOptions::new(format, Selection::default());
    options.delimiter = if selector & 2 == 0 { ',' } else { '\t' };
    options.has_headers = selector & 4 == 0;
    if selector & 8 != 0 {
        // Columns by 1-based index, as `--text-column 2 --title-column 1` gives them.
        options.selection.text = vec!["2".into()];
        options.selection.title = Some("1".into());
        options.has_headers = false;
    }
    let Ok(table) = Table::open(input, &options) else { return };
    let mut expected = 1;
    for row in table.rows() {
        let Ok(row) = row else { break };
        assert_eq!(row.number, expected, "rows must be numbered without gaps");
        expected += 1;
        if let Ok(fields) = &row.fields {
            let _ = classifier().classify(&fields.request());
        }
    }
});
