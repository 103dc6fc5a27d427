//! The SQL of listings: writing a listing with its financials, reading it back whole, and
//! turning a [`ListingQuery`] into one parameterised statement.

use msme_core::listing::{Listing, ListingId, ListingQuery, ListingSort};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, ToSql, Transaction};

use crate::market_rows::{self, LISTING_COLUMNS, YEAR_COLUMNS};
use crate::rows::{micros, micros_opt};

/// The lower-cased city that filters compare with.
pub(crate) fn city_key(city: &str) -> String {
    city.trim().to_lowercase()
}

/// The columns a write sets, but seller and creation time, by parameter name.
fn bindings(l: &Listing) -> Vec<(&'static str, Value)> {
    let c = &l.content;
    // The newest year by number, not by position, so the search copy cannot go stale.
    let latest = c.financials.iter().max_by_key(|y| y.fiscal_year);
    let text = |s: &str| Value::Text(s.to_string());
    let int = |i: Option<i64>| i.map_or(Value::Null, Value::Integer);
    vec![
        (":id", text(l.id.as_str())),
        (":status", text(l.status.as_str())),
        (":title", text(&c.title)),
        (":description", text(&c.description)),
        (":industry", text(c.industry.id)),
        (":state", text(c.state.name)),
        (":city", text(&c.city)),
        (":city_key", Value::Text(city_key(&c.city))),
        (
            ":year_established",
            Value::Integer(c.year_established.into()),
        ),
        (":employees", Value::Integer(c.employees.into())),
        (":deal_type", text(c.deal_type.as_str())),
        (":price", Value::Integer(c.asking_price.get())),
        (":anonymous", Value::Integer(c.anonymous.into())),
        (":revenue", int(latest.map(|y| y.revenue.get()))),
        (":ebitda", int(latest.map(|y| y.ebitda.get()))),
        (
            ":reason",
            l.rejection_reason.clone().map_or(Value::Null, Value::Text),
        ),
        (":version", Value::Integer(l.version)),
        (":updated_at", Value::Integer(micros(l.updated_at))),
        (":published_at", int(micros_opt(l.published_at))),
    ]
}

/// Runs `sql` with the named `values`.
fn run(
    tx: &Transaction<'_>,
    sql: &str,
    values: &[(&'static str, Value)],
) -> rusqlite::Result<usize> {
    let bound: Vec<(&str, &dyn ToSql)> =
        values.iter().map(|(n, v)| (*n, v as &dyn ToSql)).collect();
    tx.prepare_cached(sql)?.execute(bound.as_slice())
}

/// Inserts a new listing and its financials.
pub(crate) fn insert(tx: &Transaction<'_>, l: &Listing) -> rusqlite::Result<()> {
    let mut values = bindings(l);
    values.push((":seller_id", Value::Text(l.seller_id.to_string())));
    values.push((":created_at", Value::Integer(micros(l.created_at))));
    run(
        tx,
        "INSERT INTO listings (id, seller_id, status, title, description, industry, state, \
         city, city_key, year_established, employees, deal_type, asking_price_paise, anonymous, \
         latest_revenue_paise, latest_ebitda_paise, rejection_reason, version, created_at, \
         updated_at, published_at) \
         VALUES (:id, :seller_id, :status, :title, :description, :industry, :state, :city, \
         :city_key, :year_established, :employees, :deal_type, :price, :anonymous, \
         :revenue, :ebitda, :reason, :version, :created_at, :updated_at, :published_at)",
        &values,
    )?;
    insert_financials(tx, l)
}

/// Replaces everything but seller and creation time, only over the version before
/// `l.version`, and the financials with it. False when that version is not the stored one.
pub(crate) fn update(tx: &Transaction<'_>, l: &Listing) -> rusqlite::Result<bool> {
    let changed = run(
        tx,
        "UPDATE listings SET status = :status, title = :title, description = :description, \
         industry = :industry, state = :state, city = :city, city_key = :city_key, \
         year_established = :year_established, employees = :employees, \
         deal_type = :deal_type, asking_price_paise = :price, anonymous = :anonymous, \
         latest_revenue_paise = :revenue, latest_ebitda_paise = :ebitda, \
         rejection_reason = :reason, version = :version, updated_at = :updated_at, \
         published_at = :published_at \
         WHERE id = :id AND version = :version - 1",
        &bindings(l),
    )?;
    if changed == 0 {
        return Ok(false);
    }
    tx.execute(
        "DELETE FROM listing_financials WHERE listing_id = ?1",
        [l.id.as_str()],
    )?;
    insert_financials(tx, l).map(|()| true)
}

fn insert_financials(tx: &Transaction<'_>, l: &Listing) -> rusqlite::Result<()> {
    let mut st = tx.prepare_cached(&format!(
        "INSERT INTO listing_financials (listing_id, {YEAR_COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    ))?;
    for y in &l.content.financials {
        st.execute(params![
            l.id.as_str(),
            y.fiscal_year,
            y.revenue.get(),
            y.ebitda.get(),
            y.net_profit.get(),
            y.total_assets.get(),
            y.total_liabilities.get(),
            y.debt.get(),
        ])?;
    }
    Ok(())
}

/// Fills in a listing's financials, newest year first.
fn with_financials(c: &Connection, mut l: Listing) -> rusqlite::Result<Listing> {
    let sql = format!(
        "SELECT {YEAR_COLUMNS} FROM listing_financials WHERE listing_id = ?1 \
         ORDER BY fiscal_year DESC"
    );
    let mut st = c.prepare_cached(&sql)?;
    let years = st.query_map([l.id.as_str()], market_rows::year)?;
    l.content.financials = years.collect::<rusqlite::Result<_>>()?;
    Ok(l)
}

/// One listing, whole, read in one snapshot.
pub(crate) fn by_id(c: &Connection, id: &ListingId) -> rusqlite::Result<Option<Listing>> {
    let tx = c.unchecked_transaction()?;
    let sql = format!("SELECT {LISTING_COLUMNS} FROM listings WHERE id = ?1");
    let row = tx
        .prepare_cached(&sql)?
        .query_row([id.as_str()], market_rows::listing)
        .optional()?;
    let whole = row.map(|l| with_financials(&tx, l)).transpose()?;
    tx.finish()?;
    Ok(whole)
}

/// The listings `q` selects, whole, read in one snapshot.
pub(crate) fn query(c: &Connection, q: &ListingQuery) -> rusqlite::Result<Vec<Listing>> {
    let (sql, values) = select(q);
    let tx = c.unchecked_transaction()?;
    let rows: Vec<Listing> = tx
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(values), market_rows::listing)?
        .collect::<rusqlite::Result<_>>()?;
    let whole = rows
        .into_iter()
        .map(|l| with_financials(&tx, l))
        .collect::<rusqlite::Result<_>>()?;
    tx.finish()?;
    Ok(whole)
}

/// The `WHERE` clauses of `q`'s filters (not its cursor) and their values, in order.
fn filters(q: &ListingQuery) -> (Vec<String>, Vec<Value>) {
    let text = |s: &str| Value::Text(s.to_string());
    let price = |p: Option<msme_core::money::Paise>| p.map(|p| Value::Integer(p.get()));
    let optional = [
        ("seller_id = ?", q.seller.as_ref().map(|s| text(s.as_str()))),
        ("industry = ?", q.industry.map(|i| text(i.id))),
        ("state = ?", q.state.map(|s| text(s.name))),
        (
            "city_key = ?",
            q.city.as_deref().map(|c| Value::Text(city_key(c))),
        ),
        ("deal_type = ?", q.deal_type.map(|d| text(d.as_str()))),
        ("asking_price_paise >= ?", price(q.min_price)),
        ("asking_price_paise <= ?", price(q.max_price)),
    ];
    let (mut clauses, mut values): (Vec<String>, Vec<Value>) = optional
        .into_iter()
        .filter_map(|(clause, value)| value.map(|v| (clause.to_string(), v)))
        .unzip();
    if !q.statuses.is_empty() {
        let marks = vec!["?"; q.statuses.len()].join(", ");
        clauses.push(format!("status IN ({marks})"));
        values.extend(q.statuses.iter().map(|s| text(s.as_str())));
    }
    (clauses, values)
}

/// The statement and its values for `q`. Values go only through placeholders; the text varies
/// only in which fixed clauses it has and how many status placeholders.
fn select(q: &ListingQuery) -> (String, Vec<Value>) {
    let (mut clauses, mut values) = filters(q);
    // Keyset paging: the sort key, then the id, strictly past the cursor in sort order.
    let (key, dir, past) = match q.sort {
        ListingSort::Newest => ("created_at", "DESC", "<"),
        ListingSort::PriceAsc => ("asking_price_paise", "ASC", ">"),
        ListingSort::PriceDesc => ("asking_price_paise", "DESC", "<"),
    };
    if let Some(after) = &q.after {
        clauses.push(format!("({key}, id) {past} (?, ?)"));
        values.extend([Value::Integer(after.key), Value::Text(after.id.to_string())]);
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    values.push(Value::Integer(i64::from(q.limit)));
    let sql = format!(
        "SELECT {LISTING_COLUMNS} FROM listings {filter} \
         ORDER BY {key} {dir}, id {dir} LIMIT ?"
    );
    (sql, values)
}
