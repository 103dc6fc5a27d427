//! Razorpay's webhook bodies (`{"event": "payout.processed", "payload": {"payout":
//! {"entity": {...}}}}`), which `msme-sandbox` sends too, so one reader serves both.

use serde_json::{json, Value};

use msme_core::gateway::{
    CapturedPayment, GatewayError, GatewayPayout, GatewayPayoutStatus, WebhookEvent,
};
use msme_core::ledger::PayoutId;
use msme_core::money::Paise;

/// The body announcing a payout's status.
pub fn payout_body(p: &GatewayPayout) -> String {
    let (event, status, reason) = match &p.status {
        GatewayPayoutStatus::Processing => ("payout.updated", "processing", None),
        GatewayPayoutStatus::Processed => ("payout.processed", "processed", None),
        GatewayPayoutStatus::Failed(why) => ("payout.failed", "failed", Some(why.as_str())),
    };
    json!({
        "entity": "event",
        "event": event,
        "payload": { "payout": { "entity": {
            "id": p.id,
            "entity": "payout",
            "reference_id": p.reference.as_str(),
            "amount": p.amount.get(),
            "currency": "INR",
            "status": status,
            "failure_reason": reason,
        }}}
    })
    .to_string()
}

fn field<'a>(v: &'a Value, name: &str) -> Result<&'a Value, GatewayError> {
    v.get(name)
        .ok_or_else(|| GatewayError::BadWebhook(format!("no `{name}`")))
}

fn text(v: &Value, name: &str) -> Result<String, GatewayError> {
    field(v, name)?
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| GatewayError::BadWebhook(format!("`{name}` is not text")))
}

fn amount(v: &Value) -> Result<Paise, GatewayError> {
    field(v, "amount")?
        .as_i64()
        .map(Paise::new)
        .ok_or_else(|| GatewayError::BadWebhook("`amount` is not an integer".into()))
}

/// Reads a verified body.
pub fn parse(body: &[u8]) -> Result<WebhookEvent, GatewayError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|_| GatewayError::BadWebhook("not JSON".into()))?;
    let event = text(&v, "event")?;
    let payload = field(&v, "payload")?;
    if event == "payment.captured" {
        let p = field(field(payload, "payment")?, "entity")?;
        return Ok(WebhookEvent::PaymentCaptured(CapturedPayment {
            id: text(p, "id")?,
            order_id: text(p, "order_id")?,
            amount: amount(p)?,
        }));
    }
    if !event.starts_with("payout.") {
        return Err(GatewayError::BadWebhook(format!("unknown event {event:?}")));
    }
    let p = field(field(payload, "payout")?, "entity")?;
    let status = match text(p, "status")?.as_str() {
        "processed" => GatewayPayoutStatus::Processed,
        "failed" | "reversed" | "rejected" | "cancelled" => {
            let why = p.get("failure_reason").and_then(Value::as_str);
            GatewayPayoutStatus::Failed(why.unwrap_or("no reason given").to_string())
        }
        _ => GatewayPayoutStatus::Processing,
    };
    Ok(WebhookEvent::PayoutUpdated(GatewayPayout {
        id: text(p, "id")?,
        reference: PayoutId::from_trusted(text(p, "reference_id")?),
        amount: amount(p)?,
        status,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payout_bodies_read_back() {
        let p = GatewayPayout {
            id: "pout_1".into(),
            reference: PayoutId::generate(),
            amount: Paise::new(12_345),
            status: GatewayPayoutStatus::Failed("IMPS down".into()),
        };
        let event = parse(payout_body(&p).as_bytes()).unwrap();
        assert_eq!(event, WebhookEvent::PayoutUpdated(p));
        assert!(matches!(parse(b"{}"), Err(GatewayError::BadWebhook(_))));
    }
}
