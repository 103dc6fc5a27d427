//! Money in: collecting an escrow's amount through the platform's gateway.

use crate::escrow_service::MoneyError;
use crate::ledger::{Escrow, IdempotencyKey};
use crate::platform::Platform;
use crate::ports::{CapturedPayment, OrderRequest};

/// Creates the order for the whole amount and captures its payment. The request's key goes to
/// the gateway, so a retry finds the same order and payment instead of charging twice. A
/// declined payment is an error and nothing is written; an order not yet paid is
/// [`MoneyError::AwaitingPayment`].
pub(super) async fn collect(
    p: &Platform,
    escrow: &Escrow,
    key: &IdempotencyKey,
) -> Result<CapturedPayment, MoneyError> {
    let gateway = p.gateway();
    let amount = escrow.terms.amount();
    let order = gateway
        .create_order(&OrderRequest {
            amount,
            receipt: escrow.id.to_string(),
            idempotency_key: key.clone(),
        })
        .await?;
    let payment = order
        .authorized_payment
        .ok_or(MoneyError::AwaitingPayment {
            order_id: order.id.clone(),
        })?;
    Ok(gateway.capture_payment(&payment, amount).await?)
}
