use super::*;
use crate::ledger::verify::violations_of;

#[test]
fn a_sound_ledger_verifies_clean() {
    let mut b = Balances::default();
    let mut entries = Vec::new();
    let e = opened();
    let e = [fund(), release("deposit")].iter().fold(e, |e, c| {
        let t = e.apply(c, &ctx("k")).unwrap();
        entries.extend(t.entries);
        t.escrow
    });
    let mut v = LedgerVerifier::default();
    entries.iter().for_each(|x| v.check_entry(x));
    v.check_escrow(&e);
    entries.iter().for_each(|x| b.record_entry(x).unwrap());
    assert_eq!(v.finish(), (2, vec![]));
    let mut out = Vec::new();
    violations_of(&b, &mut out);
    assert!(out.is_empty());
}

#[test]
fn each_broken_invariant_is_named() {
    let escrow = opened();
    let account = escrow.account();
    let clearing = LedgerAccount::GatewayClearing(sandbox());
    let mut v = LedgerVerifier::default();
    // A stored entry edited to be unbalanced, and one that overdraws the escrow.
    let id = EntryId::generate();
    v.check_postings(
        id.clone(),
        &[
            Posting::debit(clearing.clone(), p(100)),
            Posting::credit(account.clone(), p(90)),
        ],
    );
    v.check_postings(
        EntryId::generate(),
        &[
            Posting::debit(account.clone(), p(200)),
            Posting::credit(clearing, p(200)),
        ],
    );
    let mut hold = Hold::reserve(
        HoldId::generate(),
        clearing_of(),
        account.clone(),
        p(10),
        None,
        &Balances::default(),
    )
    .unwrap();
    hold.state = HoldState::Posted(p(11));
    v.check_hold(&hold);
    v.check_escrow(&escrow);
    let (count, found) = v.finish();
    assert_eq!(count, 2);
    assert_eq!(
        found,
        vec![
            Violation::Unbalanced {
                entry: id,
                problem: LedgerError::UnbalancedEntry {
                    debits: p(100),
                    credits: p(90)
                }
            },
            Violation::HoldOverPosted {
                hold: hold.id.clone()
            },
            Violation::NonZeroTotal { total: 10 },
            Violation::Overdrawn {
                account: account.clone(),
                balance: p(-110)
            },
            Violation::EscrowMismatch {
                escrow: escrow.id.clone(),
                ledger: p(-110),
                record: Paise::ZERO
            },
        ]
    );
}

fn clearing_of() -> LedgerAccount {
    LedgerAccount::GatewayClearing(GatewayName::parse("bank_transfer").unwrap())
}
