//! Money in: collecting an escrow's amount through the platform's gateway, an admin's
//! confirmation of a bank transfer, and the payments recorded with each funding.

use serde_json::json;

use crate::audit::RequestMeta;
use crate::escrow_service::escrows::{may_see, Party};
use crate::escrow_service::moves::{fingerprint, Move};
use crate::escrow_service::MoneyCtx;
use crate::escrow_service::{MoneyError, Receipt};
use crate::gateway::{CapturedPayment, OrderRequest};
use crate::ledger::{
    BankReference, Escrow, EscrowCommand, EscrowId, GatewayName, IdempotencyKey, Payment,
    PaymentId, BANK_TRANSFER,
};
use crate::money::Paise;
use crate::rbac::{Actor, Permission};

/// Creates the order for the whole amount and captures its payment. An escrow has one order:
/// its key is derived from the escrow, not from the request, so a retry, or a second request
/// under another key racing the first, finds the same order and payment instead of charging
/// the buyer twice (one of the racing requests then records it; the other finds the escrow
/// funded). A declined payment is an error and nothing is written; an order not yet paid is
/// [`MoneyError::AwaitingPayment`].
pub(super) async fn collect(
    c: MoneyCtx<'_>,
    escrow: &Escrow,
) -> Result<CapturedPayment, MoneyError> {
    let gateway = c.gateway;
    let amount = escrow.terms.amount();
    // `order.` and a UUID: well within the key's alphabet and length.
    let order_key =
        IdempotencyKey::parse(&format!("order.{}", escrow.id)).expect("a derived key is valid");
    let order = gateway
        .create_order(&OrderRequest {
            amount,
            receipt: escrow.id.to_string(),
            idempotency_key: order_key,
        })
        .await?;
    let payment = order
        .authorized_payment
        .ok_or(MoneyError::AwaitingPayment {
            order_id: order.id.clone(),
        })?;
    Ok(gateway.capture_payment(&payment, amount).await?)
}

/// Payments; get one from [`Platform::payments`](crate::Platform::payments).
pub struct Payments<'a> {
    pub(crate) c: MoneyCtx<'a>,
}

impl Payments<'_> {
    /// One payment, for the parties of the escrow it funded and admins.
    pub async fn get(&self, actor: &Actor, id: &PaymentId) -> Result<Payment, MoneyError> {
        let store = self.c.store;
        let payment = store
            .payment_by_id(id)
            .await?
            .ok_or(MoneyError::NotFound("payment"))?;
        if actor.can(Permission::ReadLedger) {
            return Ok(payment);
        }
        let escrow = store.escrow_by_id(&payment.escrow_id).await?;
        match escrow {
            Some(e) if may_see(actor, &e) => Ok(payment),
            _ => Err(MoneyError::NotFound("payment")),
        }
    }

    /// The payments that funded an escrow the actor may see.
    pub async fn of_escrow(
        &self,
        actor: &Actor,
        escrow: &EscrowId,
    ) -> Result<Vec<Payment>, MoneyError> {
        self.c.escrows().get(actor, escrow).await?;
        Ok(self.c.store.payments_of_escrow(escrow).await?)
    }

    /// Every payment, in id order after `after` (admins).
    pub async fn list(
        &self,
        actor: &Actor,
        after: Option<&PaymentId>,
        limit: u32,
    ) -> Result<Vec<Payment>, MoneyError> {
        actor.require(Permission::ReadLedger)?;
        Ok(self.c.store.payments_page(after, limit).await?)
    }

    /// An admin confirms that the escrow's whole amount arrived by bank transfer under
    /// `reference` (its UTR): the escrow is funded from `clearing:bank_transfer`, and the
    /// payment recorded with it. A reference can fund only one escrow.
    pub async fn confirm_bank_transfer(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        key: &IdempotencyKey,
        id: &EscrowId,
        reference: &BankReference,
        amount: Paise,
    ) -> Result<Receipt<Payment>, MoneyError> {
        actor.require(Permission::ManageEscrows)?;
        let escrows = self.c.escrows();
        let what = format!("{}/{}", reference.as_str(), amount.get());
        let fp = fingerprint("payment.bank_transfer", actor, id, &what);
        let escrow = escrows.get(actor, id).await?;
        if amount != escrow.terms.amount() {
            let why = format!(
                "must be the escrow's whole amount, {}",
                escrow.terms.amount()
            );
            return Err(crate::error::ValidationError::new("amount_paise", why).into());
        }
        let source = GatewayName::parse(BANK_TRANSFER).expect("a valid name");
        let payment = Payment {
            id: PaymentId::generate(),
            escrow_id: id.clone(),
            source: source.clone(),
            gateway_ref: reference.as_str().to_string(),
            order_id: None,
            amount,
            created_at: self.c.stamp.now(),
        };
        let mut mv = Move::new(key, fp, id, Party::Buyer, EscrowCommand::Fund { source });
        mv.payment = Some(payment);
        let details = json!({ "reference": reference.as_str(), "amount_paise": amount.get() });
        let receipt = escrows.run(meta, actor, mv.details(details)).await?;
        let recorded = self.c.store.payments_of_escrow(id).await?;
        let payment = recorded
            .into_iter()
            .find(|p| p.is_bank_transfer() && p.gateway_ref == reference.as_str())
            .ok_or(MoneyError::PaymentAlreadyRecorded)?;
        Ok(Receipt {
            value: payment,
            replayed: receipt.replayed,
        })
    }
}
