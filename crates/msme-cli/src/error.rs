//! How a failed command ends: one line on stderr and an exit status that says whose fault.

use std::process::ExitCode;

use msme_core::auth::AuthError;
use msme_core::error::ValidationError;
use msme_core::kyc::KycError;
use msme_core::listing::ListingError;
use msme_core::model::ModelError;
use msme_core::ports::SearchError;
use msme_core::valuation::ValuationRequestError;
use msme_core::{DomainError, ErrorKind};

/// Exit status when the command line or its values are wrong (clap uses it too).
pub const EXIT_INPUT: u8 = 2;
/// Exit status for every other failure.
pub const EXIT_FAILURE: u8 = 1;

/// The operator gave something unusable; exits with [`EXIT_INPUT`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// A check found a problem (a broken audit chain); the details were already printed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Finding(pub String);

/// 2 when what the operator typed is at fault (invalid value, unknown account or listing, a
/// mobile already taken, a move the workflow does not allow), 1 otherwise (database, files,
/// settings, a failed check).
pub fn exit_code(e: &anyhow::Error) -> u8 {
    let input = e.downcast_ref::<InputError>().is_some()
        || e.downcast_ref::<ValidationError>().is_some()
        || operator_fault(e.downcast_ref::<AuthError>())
        || operator_fault(e.downcast_ref::<ListingError>())
        || operator_fault(e.downcast_ref::<KycError>())
        || operator_fault(e.downcast_ref::<ValuationRequestError>())
        || operator_fault(e.downcast_ref::<SearchError>())
        || operator_fault(e.downcast_ref::<ModelError>())
        || operator_fault(e.downcast_ref::<msme_core::escrow_service::MoneyError>())
        || operator_fault(e.downcast_ref::<msme_core::matching::MatchError>())
        || operator_fault(e.downcast_ref::<msme_core::runtime::RuntimeError>())
        || operator_fault(e.downcast_ref::<msme_core::rbac::AccessError>());
    if input {
        EXIT_INPUT
    } else {
        EXIT_FAILURE
    }
}

/// Whether a domain error is about what was asked for rather than about the system.
fn operator_fault(e: Option<&impl DomainError>) -> bool {
    e.is_some_and(|e| {
        matches!(
            e.kind(),
            ErrorKind::InvalidInput | ErrorKind::NotFound | ErrorKind::Conflict
        )
    })
}

/// Prints `error: <message: cause: ...>` as one line and gives the exit status.
pub fn report(e: &anyhow::Error) -> ExitCode {
    let line = format!("{e:#}").replace(['\n', '\r'], " ");
    eprintln!("error: {line}");
    ExitCode::from(exit_code(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_errors_exit_2_and_others_1() {
        let taken = anyhow::Error::new(AuthError::MobileTaken).context("creating the account");
        assert_eq!(exit_code(&taken), EXIT_INPUT);
        let missing = anyhow::Error::new(AuthError::UserNotFound);
        assert_eq!(exit_code(&missing), EXIT_INPUT);
        let io = anyhow::Error::new(std::io::Error::other("disk full"));
        assert_eq!(exit_code(&io), EXIT_FAILURE);
        let store = anyhow::Error::new(AuthError::Store(msme_core::error::StoreError::backend(
            "boom",
        )));
        assert_eq!(exit_code(&store), EXIT_FAILURE);
        let illegal = anyhow::Error::new(ListingError::NotFound).context("approving");
        assert_eq!(exit_code(&illegal), EXIT_INPUT);
        let kyc = anyhow::Error::new(KycError::IllegalTransition("verified", "rejected"));
        assert_eq!(exit_code(&kyc), EXIT_INPUT);
        let kyc_store = anyhow::Error::new(KycError::Store(msme_core::error::StoreError::backend(
            "boom",
        )));
        assert_eq!(exit_code(&kyc_store), EXIT_FAILURE);
    }
}
