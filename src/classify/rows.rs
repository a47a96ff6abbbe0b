//! Tables of variable-length rows in two allocations (compressed rows): the items of all rows in
//! one list, and where each row starts. The classifier's indexes (a literal's rules, a literal's
//! pattern clauses, the literals starting with a byte) have thousands of short rows; a `Vec` per
//! row made building the classifier for one request mostly allocation.

use std::ops::Index;

/// Rows `0..len` of `T`; row `r` is `items[starts[r]..starts[r + 1]]`. The starts are `u32`, half
/// the memory a single request reads back: a rule file is far too small (see
/// `limits::MAX_FILE_BYTES`) for its tables to hold four billion items.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Rows<T> {
    starts: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Rows<T> {
    fn default() -> Rows<T> {
        Rows { starts: vec![0], items: Vec::new() }
    }
}

impl<T: Copy> Rows<T> {
    /// `rows` rows holding each `(row, item)` of `pairs` (every `row < rows`), in the order of
    /// `pairs` within a row.
    pub(crate) fn from_pairs(rows: usize, pairs: &[(usize, T)]) -> Rows<T> {
        let mut starts = vec![0_u32; rows + 1];
        for &(row, _) in pairs {
            starts[row + 1] += 1;
        }
        for row in 0..rows {
            starts[row + 1] += starts[row];
        }
        let Some(&(_, filler)) = pairs.first() else { return Rows { starts, items: Vec::new() } };
        let mut items = vec![filler; pairs.len()];
        let mut next: Vec<usize> = starts.iter().map(|&start| start as usize).collect();
        for &(row, item) in pairs {
            items[next[row]] = item;
            next[row] += 1;
        }
        Rows { starts, items }
    }
}

impl<T> Rows<T> {
    /// How many rows.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Row `row`; empty past the last row.
    pub(crate) fn row(&self, row: usize) -> &[T] {
        match (self.starts.get(row), self.starts.get(row + 1)) {
            (Some(&start), Some(&end)) => &self.items[start as usize..end as usize],
            _ => &[],
        }
    }
}

impl<T> Index<usize> for Rows<T> {
    type Output = [T];

    fn index(&self, row: usize) -> &[T] {
        self.row(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_the_order_of_their_pairs_and_empty_rows_stay_empty() {
        let rows = Rows::from_pairs(4, &[(2, 'a'), (0, 'b'), (2, 'c'), (0, 'd'), (2, 'e')]);
        assert_eq!(rows.len(), 4);
        assert_eq!(&rows[0], &['b', 'd']);
        assert_eq!(&rows[1], &[] as &[char]);
        assert_eq!(&rows[2], &['a', 'c', 'e']);
        assert_eq!(&rows[3], &[] as &[char]);
        assert_eq!(rows.row(4), &[] as &[char], "past the last row");
        let empty: Rows<u8> = Rows::from_pairs(3, &[]);
        assert_eq!((empty.len(), empty.row(1)), (3, &[] as &[u8]));
        assert_eq!(Rows::<u8>::default().len(), 0);
    }
}
