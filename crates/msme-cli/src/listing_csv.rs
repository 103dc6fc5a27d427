//! The CSV format of `msme listing import` (documented in its `--help`): columns named by the
//! wire names, financials of up to three years as `fyN_...` columns. A cell that cannot be
//! read is reported like a failed check, by line and column, so one pass reports every row.

use std::collections::HashMap;
use std::str::FromStr;

use csv::StringRecord;
use msme_core::listing::{FinancialsInput, ListingInput, RowError};

use crate::error::InputError;

/// Columns every file must have.
const REQUIRED: [&str; 9] = [
    "title",
    "description",
    "industry",
    "city",
    "state",
    "year_established",
    "employees",
    "deal_type",
    "asking_price_paise",
];

/// The figures of one fiscal year, after the `fyN_` prefix.
pub const YEAR_FIELDS: [&str; 7] = [
    "fiscal_year",
    "revenue_paise",
    "ebitda_paise",
    "net_profit_paise",
    "total_assets_paise",
    "total_liabilities_paise",
    "debt_paise",
];

/// Fiscal years a row may carry.
pub const YEARS: u8 = 3;

/// A row that could be read: the listing and, for each of its financial years in order, the
/// `N` of the `fyN_` columns it came from (to name columns in the core's errors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvRow {
    pub line: usize,
    pub input: ListingInput,
    pub years: Vec<u8>,
}

impl CsvRow {
    /// The CSV column a core error's field stands for: `financials[1].debt_paise` is
    /// `fy2_debt_paise` when the row's second year came from the `fy2_` columns.
    pub fn column_of(&self, field: &str) -> String {
        let Some(rest) = field.strip_prefix("financials[") else {
            return field.to_string();
        };
        let Some((index, name)) = rest.split_once("].") else {
            return field.to_string();
        };
        match index.parse::<usize>().ok().and_then(|i| self.years.get(i)) {
            Some(n) => format!("fy{n}_{name}"),
            None => field.to_string(),
        }
    }
}

/// Where each known column is in the file.
#[derive(Debug)]
pub struct Columns {
    index: HashMap<String, usize>,
}

fn known(name: &str) -> bool {
    if REQUIRED.contains(&name) || name == "anonymous" {
        return true;
    }
    (1..=YEARS).any(|n| {
        name.strip_prefix(&format!("fy{n}_"))
            .is_some_and(|f| YEAR_FIELDS.contains(&f))
    })
}

impl Columns {
    /// Reads the header row; unknown, repeated or missing columns make the file unusable.
    pub fn from_header(header: &StringRecord) -> Result<Self, InputError> {
        let mut index = HashMap::new();
        for (i, raw) in header.iter().enumerate() {
            let name = raw
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase();
            if !known(&name) {
                return Err(InputError(format!(
                    "unknown column `{raw}` in the header (see `msme listing import --help`)"
                )));
            }
            if index.insert(name, i).is_some() {
                return Err(InputError(format!(
                    "column `{raw}` appears twice in the header"
                )));
            }
        }
        let missing: Vec<&str> = REQUIRED
            .into_iter()
            .filter(|c| !index.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            return Err(InputError(format!(
                "the header lacks required column(s): {}",
                missing.join(", ")
            )));
        }
        Ok(Self { index })
    }

    /// Reads one data row, with what is wrong with each unreadable cell (read as zero or
    /// false in the row, so the rest can still be checked).
    pub fn row(&self, rec: &StringRecord, line: usize) -> (CsvRow, Vec<RowError>) {
        let mut cells = Cells {
            columns: self,
            rec,
            line,
            errors: Vec::new(),
        };
        let mut input = ListingInput {
            title: cells.text("title"),
            description: cells.text("description"),
            industry: cells.text("industry"),
            city: cells.text("city"),
            state: cells.text("state"),
            year_established: cells.number("year_established"),
            employees: cells.number("employees"),
            deal_type: cells.text("deal_type"),
            asking_price_paise: cells.number("asking_price_paise"),
            anonymous: cells.flag("anonymous"),
            financials: Vec::new(),
        };
        let mut years = Vec::new();
        for n in 1..=YEARS {
            if let Some(year) = cells.year(n) {
                input.financials.push(year);
                years.push(n);
            }
        }
        (CsvRow { line, input, years }, cells.errors)
    }
}

/// The cells of one row, collecting what cannot be read.
struct Cells<'a> {
    columns: &'a Columns,
    rec: &'a StringRecord,
    line: usize,
    errors: Vec<RowError>,
}

impl Cells<'_> {
    fn raw(&self, column: &str) -> &str {
        self.columns
            .index
            .get(column)
            .and_then(|&i| self.rec.get(i))
            .map_or("", str::trim)
    }

    fn fail(&mut self, column: &str, reason: String) {
        self.errors.push(RowError {
            line: self.line,
            field: column.to_string(),
            reason,
        });
    }

    fn text(&self, column: &str) -> String {
        self.raw(column).to_string()
    }

    /// A whole number; a missing or unreadable one is recorded and read as zero.
    fn number<T: FromStr + Default>(&mut self, column: &str) -> T {
        let raw = self.raw(column).to_string();
        if raw.is_empty() {
            self.fail(column, "is required".into());
            return T::default();
        }
        raw.parse().unwrap_or_else(|_| {
            self.fail(column, format!("`{raw}` is not a whole number in range"));
            T::default()
        })
    }

    fn flag(&mut self, column: &str) -> bool {
        match self.raw(column).to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => false,
            "true" | "yes" | "1" => true,
            other => {
                let reason = format!("`{other}` is not true/false, yes/no or 1/0");
                self.fail(column, reason);
                false
            }
        }
    }

    /// Year `n`: absent when all its cells are empty, otherwise every cell is needed.
    fn year(&mut self, n: u8) -> Option<FinancialsInput> {
        let col = |f: &str| format!("fy{n}_{f}");
        if YEAR_FIELDS.iter().all(|f| self.raw(&col(f)).is_empty()) {
            return None;
        }
        Some(FinancialsInput {
            fiscal_year: self.number(&col("fiscal_year")),
            revenue_paise: self.number(&col("revenue_paise")),
            ebitda_paise: self.number(&col("ebitda_paise")),
            net_profit_paise: self.number(&col("net_profit_paise")),
            total_assets_paise: self.number(&col("total_assets_paise")),
            total_liabilities_paise: self.number(&col("total_liabilities_paise")),
            debt_paise: self.number(&col("debt_paise")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "title,description,industry,city,state,year_established,employees,\
deal_type,asking_price_paise,anonymous,fy1_fiscal_year,fy1_revenue_paise,fy1_ebitda_paise,\
fy1_net_profit_paise,fy1_total_assets_paise,fy1_total_liabilities_paise,fy1_debt_paise";

    fn parse(csv_text: &str) -> (Columns, Vec<Result<CsvRow, Vec<RowError>>>) {
        let ok = |(row, errors): (CsvRow, Vec<RowError>)| {
            if errors.is_empty() {
                Ok(row)
            } else {
                Err(errors)
            }
        };
        let mut r = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
        let columns = Columns::from_header(r.headers().unwrap()).unwrap();
        let rows = r
            .records()
            .map(|rec| {
                let rec = rec.unwrap();
                let line = rec.position().unwrap().line() as usize;
                ok(columns.row(&rec, line))
            })
            .collect();
        (columns, rows)
    }

    #[test]
    fn a_row_with_one_year_reads_into_wire_fields() {
        let text = format!(
            "{HEADER}\nCNC unit,Profitable CNC job shop in Pune,machinery,Pune,MH,2008,42,\
full_sale,1200000000,yes,2025,800000000,120000000,60000000,500000000,200000000,100000000\n"
        );
        let (_, rows) = parse(&text);
        let row = rows[0].as_ref().unwrap();
        assert_eq!(row.line, 2);
        assert_eq!(row.input.state, "MH");
        assert!(row.input.anonymous);
        assert_eq!(row.input.financials[0].debt_paise, 100_000_000);
        assert_eq!(row.years, [1]);
        assert_eq!(
            row.column_of("financials[0].ebitda_paise"),
            "fy1_ebitda_paise"
        );
        assert_eq!(row.column_of("title"), "title");
    }

    #[test]
    fn every_unreadable_cell_is_reported_with_its_line() {
        let text =
            format!("{HEADER}\nA,B,machinery,Pune,MH,20x8,,full_sale,12abc,maybe,2025,,,,,,\n");
        let (_, rows) = parse(&text);
        let errors = rows[0].as_ref().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields[..4],
            [
                "year_established",
                "employees",
                "asking_price_paise",
                "anonymous"
            ]
        );
        assert!(fields.contains(&"fy1_revenue_paise"), "{fields:?}");
        assert!(errors.iter().all(|e| e.line == 2));
        assert!(errors[2].reason.contains("`12abc`"));
    }

    #[test]
    fn empty_year_columns_mean_no_year_and_headers_are_checked() {
        let text = format!("{HEADER}\nA,B,machinery,Pune,MH,2008,4,full_sale,100,,,,,,,,\n");
        assert!(parse(&text).1[0]
            .as_ref()
            .unwrap()
            .input
            .financials
            .is_empty());
        let header =
            |h: &str| Columns::from_header(&StringRecord::from(h.split(',').collect::<Vec<_>>()));
        assert!(header("title,colour").unwrap_err().0.contains("`colour`"));
        assert!(header("title,title").unwrap_err().0.contains("twice"));
        assert!(header("title,fy4_debt_paise").is_err());
        assert!(header("title").unwrap_err().0.contains("description"));
    }
}
