//! Net asset value: what the assets would fetch, less what the business owes.

use super::{
    add, f, pct, sub, to_paise, AssetCategory, AssetInventory, MethodOutcome, MethodResult,
    ValuationAssumptions, ValuationError, ValuationInput, NET_ASSET_VALUE,
};
use crate::money::Paise;

const M: &str = NET_ASSET_VALUE;

/// Net asset value. From the asset inventory when there is one (each category's book value
/// times its realisable factor, the unitemised rest at the `other` factor), less the latest
/// total liabilities; otherwise the balance sheet's book net worth (total assets − total
/// liabilities). The notes say which. Refuses without either.
pub fn net_asset_value(input: &ValuationInput, a: &ValuationAssumptions) -> MethodOutcome {
    a.check()?;
    let latest = input.latest();
    let (liabilities, mut notes, mut used) = match latest {
        Some(y) => (
            y.total_liabilities,
            vec![format!(
                "liabilities {} from FY{}",
                y.total_liabilities, y.fiscal_year
            )],
            vec!["financials[0].total_liabilities".to_string()],
        ),
        None => match input.current_liabilities {
            Some(cl) => (
                cl,
                vec![format!("liabilities: current liabilities {cl} only")],
                vec!["current_liabilities".to_string()],
            ),
            None => (
                Paise::ZERO,
                vec!["no liabilities known: the value is of the assets alone".to_string()],
                vec![],
            ),
        },
    };
    let (value, low, high) = match (&input.assets, latest) {
        (Some(inv), _) => {
            used.push("assets".into());
            let (realisable, book) = realisable_value(inv, a, &mut notes)?;
            let value = sub(realisable, liabilities, (M, "net asset value"))?;
            let high = sub(book, liabilities, (M, "net asset value"))?;
            notes.push(format!(
                "from the asset inventory: realisable {realisable} − liabilities {liabilities} \
                 = {value}; high: book {book} − liabilities"
            ));
            (value, None, Some(high))
        }
        (None, Some(y)) if y.total_assets.get() > 0 => {
            used.push("financials[0].total_assets".into());
            let value = sub(y.total_assets, liabilities, (M, "net asset value"))?;
            let blanket = a.realisable.other;
            let realisable = to_paise(f(y.total_assets) * blanket, M, "realisable assets")?;
            let low = sub(realisable, liabilities, (M, "net asset value"))?;
            notes.push(format!(
                "from the balance sheet of FY{}: book net worth = total assets {} − liabilities \
                 = {value}, at book value (no asset inventory to adjust it); low: assets at {} \
                 of book",
                y.fiscal_year,
                y.total_assets,
                pct(blanket)
            ));
            (value, Some(low), None)
        }
        _ => {
            return Err(ValuationError::not_applicable(
                M,
                "no asset inventory and no balance sheet",
            ))
        }
    };
    Ok(MethodResult {
        method: M,
        value,
        low,
        high,
        notes,
        inputs_used: used,
    })
}

/// Realisable and book value of an inventory, with one note per category present.
fn realisable_value(
    inv: &AssetInventory,
    a: &ValuationAssumptions,
    notes: &mut Vec<String>,
) -> Result<(Paise, Paise), ValuationError> {
    let mut by_category = Vec::new();
    let mut itemised = Paise::ZERO;
    for c in AssetCategory::ALL {
        let mut book = Paise::ZERO;
        for item in inv.items.iter().filter(|i| i.category == c) {
            book = add(book, item.book_value, (M, "book value"))?;
        }
        itemised = add(itemised, book, (M, "book value"))?;
        by_category.push((c, book));
    }
    let rest = sub(inv.total_book_value, itemised, (M, "book value"))?;
    let book = if rest.is_negative() {
        notes.push(format!(
            "the items add up to {itemised}, more than the stated total {}; the items are used",
            inv.total_book_value
        ));
        itemised
    } else {
        by_category.push((AssetCategory::Other, rest));
        inv.total_book_value
    };
    let mut realisable = Paise::ZERO;
    for (c, book) in by_category.into_iter().filter(|(_, b)| b.get() != 0) {
        let factor = a.realisable.factor(c);
        let value = to_paise(f(book) * factor, M, "realisable value")?;
        realisable = add(realisable, value, (M, "realisable value"))?;
        notes.push(format!(
            "{}: book {book} at {} = {value}",
            c.as_str(),
            pct(factor)
        ));
    }
    Ok((realisable, book))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::valuation::test_support::{input, year, CRORE};
    use crate::valuation::AssetItem;

    fn item(category: AssetCategory, v: i64) -> AssetItem {
        AssetItem {
            category,
            book_value: Paise::new(v),
        }
    }

    #[test]
    fn inventory_is_haircut_per_category_less_liabilities() {
        let mut i = input(vec![year(2026, 8 * CRORE, CRORE)]); // liabilities ₹1.6 crore
        i.assets = Some(AssetInventory {
            total_book_value: Paise::new(4 * CRORE),
            items: vec![
                item(AssetCategory::Land, CRORE),
                item(AssetCategory::PlantMachinery, 2 * CRORE),
                item(AssetCategory::Inventory, CRORE / 2),
            ],
        });
        let r = net_asset_value(&i, &ValuationAssumptions::default()).unwrap();
        // Land 1 × 100% + machinery 2 × 60% + stock 0.5 × 70% + unitemised 0.5 × 50%
        // = ₹2.8 crore; less ₹1.6 crore.
        assert_eq!(r.value, Paise::new(CRORE * 12 / 10));
        assert_eq!(r.high, Some(Paise::new(CRORE * 24 / 10)));
        assert!(r.notes.iter().any(|n| n.contains("plant_machinery")));
        assert!(r
            .notes
            .iter()
            .any(|n| n.contains("from the asset inventory")));
    }

    #[test]
    fn balance_sheet_gives_book_net_worth_and_says_so() {
        let i = input(vec![year(2026, 8 * CRORE, CRORE)]); // assets ₹4 crore
        let r = net_asset_value(&i, &ValuationAssumptions::default()).unwrap();
        assert_eq!(r.value, Paise::new(CRORE * 24 / 10));
        assert_eq!(r.low, Some(Paise::new(CRORE * 4 / 10)));
        assert!(r.notes.iter().any(|n| n.contains("from the balance sheet")));
    }

    #[test]
    fn items_over_the_total_are_used_and_said() {
        let mut i = input(vec![]);
        i.assets = Some(AssetInventory {
            total_book_value: Paise::new(10),
            items: vec![item(AssetCategory::Cash, 100)],
        });
        let r = net_asset_value(&i, &ValuationAssumptions::default()).unwrap();
        assert_eq!(r.value, Paise::new(100));
        assert!(r.notes.iter().any(|n| n.contains("assets alone")));
    }

    #[test]
    fn nothing_to_value_does_not_apply() {
        let r = net_asset_value(&input(vec![]), &ValuationAssumptions::default());
        assert!(matches!(r, Err(ValuationError::NotApplicable { .. })));
    }

    #[test]
    fn overflow_is_refused() {
        let mut i = input(vec![]);
        i.assets = Some(AssetInventory {
            total_book_value: Paise::new(i64::MAX),
            items: vec![
                item(AssetCategory::Land, i64::MAX),
                item(AssetCategory::Cash, 1),
            ],
        });
        assert!(matches!(
            net_asset_value(&i, &ValuationAssumptions::default()),
            Err(ValuationError::Overflow { .. })
        ));
    }
}
