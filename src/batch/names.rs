//! The one naming rule for batch output columns, so that nothing the user gave is overwritten:
//!
//! 1. Input columns keep their names. A name that a CSV header repeats gets the first free
//!    suffix `_2`, `_3` ... for its later copies in JSON and JSONL output (keys must be unique
//!    there; CSV output keeps the header as it was).
//! 2. Each added column (`owner`, `status`, `score`, `reasons`, and `evidence` in JSON) takes its
//!    own name when no input column has it, else `triage_NAME`, else the first free
//!    `triage_NAME_2`, `triage_NAME_3` ...
//!
//! "Free" means used by no input column and by no name given before.

use std::collections::HashSet;

/// Output names for a table's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputNames {
    /// A unique key for each input column, in input order.
    pub keys: Vec<String>,
    /// The names of `added`, in the order asked for.
    pub added: Vec<String>,
}

/// Name the input `columns` and the `added` columns by the rule above.
pub fn output_names(columns: &[String], added: &[&str]) -> OutputNames {
    let mut taken: HashSet<String> = columns.iter().cloned().collect();
    let mut seen = HashSet::new();
    let free = |base: &str, taken: &mut HashSet<String>| {
        let name =
            (2..).map(|n| format!("{base}_{n}")).find(|name| !taken.contains(name)).unwrap_or_default();
        taken.insert(name.clone());
        name
    };
    let keys = columns
        .iter()
        .map(|column| if seen.insert(column.as_str()) { column.clone() } else { free(column, &mut taken) })
        .collect();
    let added = added
        .iter()
        .map(|&name| {
            for candidate in [name.to_owned(), format!("triage_{name}")] {
                if taken.insert(candidate.clone()) {
                    return candidate;
                }
            }
            free(&format!("triage_{name}"), &mut taken)
        })
        .collect();
    OutputNames { keys, added }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(columns: &[&str], added: &[&str]) -> (Vec<String>, Vec<String>) {
        let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        let names = output_names(&columns, added);
        (names.keys, names.added)
    }

    #[test]
    fn added_columns_keep_their_names_when_free() {
        assert_eq!(names(&["id", "body"], &["owner", "status"]).1, ["owner", "status"]);
    }

    #[test]
    fn added_columns_never_take_an_input_columns_name() {
        let (keys, added) =
            names(&["owner", "triage_owner", "triage_owner_2", "status"], &["owner", "status"]);
        assert_eq!(keys, ["owner", "triage_owner", "triage_owner_2", "status"]);
        assert_eq!(added, ["triage_owner_3", "triage_status"]);
    }

    #[test]
    fn repeated_header_names_get_the_first_free_suffix() {
        let (keys, added) = names(&["a", "a", "a_2", "a", "owner"], &["owner"]);
        assert_eq!(keys, ["a", "a_3", "a_2", "a_4", "owner"]);
        assert_eq!(added, ["triage_owner"]);
    }
}
