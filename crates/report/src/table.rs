//! A markdown table. Every table of the report is one, so that each escapes and aligns its
//! cells alike and none counts its separators by hand.

use std::fmt;

/// How a column's cells sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A header, each column's alignment, and rows of cells.
#[derive(Debug, Clone)]
pub struct Table {
    columns: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(columns: impl IntoIterator<Item = (S, Align)>) -> Table {
        Table {
            columns: columns
                .into_iter()
                .map(|(name, align)| (name.into(), align))
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row: one cell per column.
    pub fn push(&mut self, cells: Vec<String>) {
        assert_eq!(
            cells.len(),
            self.columns.len(),
            "a row of {:?} has one cell per column",
            self.columns
        );
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// A cell's text as markdown keeps it: a `|` escaped, a line break a space.
fn escape(cell: &str) -> String {
    cell.replace('|', "\\|").replace('\n', " ")
}

/// `| a | b |`, its rule `|---|---:|`, then a line per row.
impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // `| a | b |`; an empty cell is one space, as markdown writes `| | |`.
        let line = |cells: Vec<String>| {
            let cells: Vec<String> = cells
                .iter()
                .map(|cell| match cell.is_empty() {
                    true => " ".to_string(),
                    false => format!(" {cell} "),
                })
                .collect();
            format!("|{}|", cells.join("|"))
        };
        writeln!(
            f,
            "{}",
            line(self.columns.iter().map(|(name, _)| escape(name)).collect())
        )?;
        let rule: String = self
            .columns
            .iter()
            .map(|(_, align)| match align {
                Align::Left => "---|",
                Align::Right => "---:|",
            })
            .collect();
        writeln!(f, "|{rule}")?;
        for row in &self.rows {
            writeln!(f, "{}", line(row.iter().map(|cell| escape(cell)).collect()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped_and_columns_aligned() {
        let mut table = Table::new([("name", Align::Left), ("MiB", Align::Right)]);
        assert!(table.is_empty());
        table.push(vec!["a | b".into(), "1.0".into()]);
        table.push(vec!["two\nlines".into(), "2.0".into()]);
        assert_eq!(
            table.to_string(),
            "| name | MiB |\n|---|---:|\n| a \\| b | 1.0 |\n| two lines | 2.0 |\n"
        );
    }

    #[test]
    fn an_empty_header_is_one_space_a_cell() {
        let table = Table::new([("", Align::Left), ("", Align::Left)]);
        assert_eq!(table.to_string(), "| | |\n|---|---|\n");
    }

    #[test]
    #[should_panic(expected = "one cell per column")]
    fn a_row_of_the_wrong_width_is_a_bug() {
        Table::new([("a", Align::Left)]).push(vec![]);
    }
}
