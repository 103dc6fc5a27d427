//! # msme-contract
//!
//! The storage contract suite: one set of cases, written once against the traits in
//! [`msme_core::ports`], that every storage backend must pass. A backend's test file runs it with
//!
//! ```ignore
//! async fn fresh_store() -> std::sync::Arc<dyn msme_core::ports::Store> { /* empty, migrated */ }
//! msme_contract::contract_tests!(fresh_store);
//! ```
//!
//! which expands into one `#[tokio::test]` per case (the calling crate needs `tokio` with the
//! `macros` and `rt-multi-thread` features as a dev-dependency). The factory must return a
//! fresh, empty, migrated store on every call.
//!
//! The flow cases ([`escrow_flow`], [`payments_flow`]) run the platform's money flows through
//! the library on a store: `flow_tests!(fresh_flow_store)`, whose factory also hands over the
//! sandbox gateway's books ([`flow_fixtures::SandboxBooks`]), which a case changes behind the
//! platform's back.
//!
//! Beyond what the trait docs say, the suite pins down these rules, so that every backend
//! behaves alike:
//! - A method that takes an [`AuditEvent`](msme_core::audit::AuditEvent) appends exactly one
//!   entry when it changes something, and none when it changes nothing (returns `false`, or
//!   `0` from `revoke_sessions_of`) or fails. Methods without an event append nothing.
//! - `mark_outbox_sent` and `mark_outbox_failed` each count one delivery attempt.
//! - A lease ends at its `until` (a lease asked at that instant is granted); `set_consumer_cursor`
//!   leaves the lease alone; dead letters of one instant list by `seq` descending; recording
//!   one for an event again replaces it.
//! - Times round-trip to the microsecond.
//! - `create_listings` appends one entry per event it is given, all or none.
//! - Lists the traits give no order for: `assets_of` oldest first (`created_at`, then asset
//!   id); `access_grants` oldest grant first (then buyer id); documents oldest first (then id).
//! - Comparable deals come back in id order; one named again by source and reference is
//!   left out. At most one model version is active; activating another deactivates it.
//! - Saved searches list oldest first (then id), agent grants oldest grant first (then agent),
//!   interactions in id order; saved matches and `replace_saved_matches` write no audit entry.
//! - `valuations_of_listing`: newest first, then id descending; a valuation of an unknown
//!   listing is refused.
//! - `query_listings` orders and cursors are spelled out in [`listing_queries`].
//! - The search contract ([`search`]) is the same idea for [`msme_core::ports::SearchIndex`]:
//!   `search_contract_tests!(open)` runs it on an index.
//! - A listing has at most one open escrow (created, funded, partially released, disputed):
//!   `create_escrow` refuses another with `Duplicate("listing_escrow")`, writing nothing.
//! - Ledger writes that do not apply (replay, conflict, stale version, overdraft) write
//!   nothing at all: no rows, no idempotency key, no audit entry.
#![forbid(unsafe_code)]

#[doc(hidden)]
pub use msme_core as __core;
#[doc(hidden)]
pub use msme_sandbox as __sandbox;

pub mod audit;
pub mod documents;
pub mod escrow_flow;
pub mod events;
pub mod fixtures;
pub mod flow_fixtures;
pub mod kyc;
pub mod ledger;
pub mod ledger_batch;
pub mod ledger_fixtures;
pub mod ledger_more;
pub mod ledger_payments;
pub mod ledger_rows;
pub mod listing_queries;
pub mod listings;
pub mod matching;
pub mod models;
pub mod otp;
pub mod outbox;
pub mod payments_flow;
pub mod profiles;
pub mod runtime;
pub mod sandbox;
pub mod search;
pub mod sessions;
pub mod users;
pub mod valuations;

/// Expands into one `#[tokio::test]` per contract case, each on a fresh store from `$factory`,
/// an `async fn() -> Arc<S>` for a backend's `S: Store + SandboxStore` (the sandbox gateway's
/// books are in the platform's database, outside `Store`).
#[macro_export]
macro_rules! contract_tests {
    ($factory:path) => {
        async fn __msme_contract_store() -> ::std::sync::Arc<dyn $crate::__core::ports::Store> {
            $factory().await
        }
        /// One database seen as the platform's store and as the sandbox's books.
        async fn __msme_contract_backend() -> (
            ::std::sync::Arc<dyn $crate::__core::ports::Store>,
            ::std::sync::Arc<dyn $crate::__sandbox::SandboxStore>,
        ) {
            let store = $factory().await;
            (store.clone(), store)
        }
        $crate::contract_tests!(@module __msme_contract_store, users;
            user_lookup_by_id_mobile_and_email,
            lookups_of_unknown_accounts_are_none,
            duplicate_mobile_is_refused_without_audit,
            duplicate_email_is_refused_without_audit,
            accounts_without_email_do_not_collide,
            list_users_pages_in_id_order,
            update_user_round_trips_every_mutable_field,
            update_user_to_taken_email_is_refused,
            update_of_missing_user_returns_false,
            failed_logins_count_exactly_under_concurrency,
            failed_login_after_an_expired_lock_starts_afresh,
            lock_user_sets_locked_until,
            totp_steps_cannot_be_replayed,
            times_keep_microseconds,
        );
        $crate::contract_tests!(@module __msme_contract_store, sessions;
            session_and_token_round_trip,
            create_session_clears_failed_logins_and_lock,
            session_for_unknown_user_is_refused_without_audit,
            rotation_marks_presented_and_stores_next,
            only_one_concurrent_rotation_wins,
            revoke_session_succeeds_once,
            revoke_sessions_of_counts_only_live_sessions,
            sessions_of_lists_newest_first,
        );
        $crate::contract_tests!(@module __msme_contract_store, otp;
            issue_otp_stores_code_and_outbox_row,
            otps_sent_since_is_newest_first_and_bounded,
            latest_otp_is_the_most_recent,
            otp_attempts_count_exactly_under_concurrency,
            otp_is_consumed_once_under_concurrency,
            issue_otp_without_sms_stores_only_the_code,
            consume_verifies_the_mobile_and_refuses_expired_codes,
        );
        $crate::contract_tests!(@module __msme_contract_store, outbox;
            outbox_pages_in_id_order,
            mark_outbox_sent_records_the_provider,
            mark_outbox_failed_records_the_error,
            secret_bodies_are_redacted_when_sent_or_expired,
            queued_outbox_lists_untried_live_messages_in_id_order,
        );
        $crate::contract_tests!(@module __msme_contract_store, audit;
            empty_store_has_no_audit,
            every_audited_method_appends_one_entry,
            entries_chain_and_verify,
            append_audit_returns_the_stored_entry,
            audit_page_starts_after_seq,
            seq_is_gapless_under_concurrency,
            consumer_cursors_default_to_zero_and_persist,
            store_meta_reports_health_and_schema,
        );
        $crate::contract_tests!(@module __msme_contract_store, events;
            leases_are_exclusive_until_they_expire,
            one_of_many_concurrent_leases_wins,
            advance_is_compare_and_set_and_records_dead_letters,
            release_frees_the_lease_at_once,
            set_consumer_cursor_keeps_the_lease,
            event_signal_changes_after_an_audited_commit,
        );
        $crate::contract_tests!(@module __msme_contract_store, runtime;
            an_embedders_consumer_sees_every_wanted_event_once_in_order,
            a_handler_failing_three_times_dead_letters_its_event_and_the_rest_go_on,
            a_dependency_down_is_retried_without_dead_letters,
            two_workers_on_one_store_never_handle_an_event_twice,
        );
        $crate::contract_tests!(@module __msme_contract_store, profiles;
            profile_round_trips_and_is_replaced,
            profiles_are_per_account,
        );
        $crate::contract_tests!(@module __msme_contract_store, kyc;
            put_kyc_is_guarded_by_the_expected_status,
            kyc_optional_identifiers_round_trip,
            list_kyc_filters_by_status_and_pages,
        );
        $crate::contract_tests!(@module __msme_contract_store, documents;
            documents_round_trip_and_list_oldest_first,
            delete_document_succeeds_once,
        );
        $crate::contract_tests!(@module __msme_contract_store, listings;
            listing_round_trips_every_field,
            create_listings_is_all_or_nothing,
            update_listing_is_optimistic,
            assets_are_put_listed_and_deleted,
            access_is_granted_and_revoked_once,
        );
        $crate::contract_tests!(@module __msme_contract_store, listing_queries;
            query_listings_applies_every_filter,
            query_listings_sorts_and_pages_exactly_once,
        );
        $crate::contract_tests!(@module __msme_contract_store, ledger;
            posted_entries_round_trip_with_balances,
            same_key_same_request_replays_without_writing,
            same_key_different_request_conflicts,
            overdrawing_a_guarded_account_is_refused,
        );
        $crate::contract_tests!(@module __msme_contract_store, ledger_rows;
            escrows_move_by_compare_and_set,
            a_listing_has_one_open_escrow_at_a_time,
            payouts_start_and_never_overdraw,
            payouts_move_by_compare_and_set,
        );
        $crate::contract_tests!(@module __msme_contract_store, ledger_more;
            holds_reserve_and_post_part,
            holds_void_and_list,
            concurrent_requests_with_one_key_apply_once,
            fifty_concurrent_posts_with_reused_keys_apply_each_key_once,
            concurrent_payouts_cannot_overdraw_a_payable,
        );
        $crate::contract_tests!(@backend sandbox;
            sandbox_objects_are_made_once_per_key,
        );
        $crate::contract_tests!(@module __msme_contract_store, ledger_batch;
            escrow_batches_commit_what_applies_and_roll_back_the_rest,
        );
        $crate::contract_tests!(@module __msme_contract_store, ledger_payments;
            fundings_store_their_payment_once,
            escrows_of_lists_each_partys_escrows,
        );
        $crate::contract_tests!(@module __msme_contract_store, matching;
            buyer_preferences_round_trip_replace_and_list,
            saved_searches_are_kept_per_owner,
            agent_grants_are_given_and_taken_once,
            interactions_are_recorded_in_order,
            saved_matches_are_replaced_whole,
            the_newest_adopted_model_is_in_use,
            latest_valuations_give_each_listings_newest_value,
            views_are_recorded_in_batches_without_audit,
        );
        $crate::contract_tests!(@module __msme_contract_store, valuations;
            valuation_round_trips_every_field,
            valuations_of_listing_are_newest_first,
            valuation_of_unknown_listing_is_refused_without_audit,
        );
        $crate::contract_tests!(@module __msme_contract_store, models;
            comparables_round_trip_and_repeats_are_left_out,
            model_versions_round_trip_with_their_files,
            one_version_is_active_and_an_older_one_can_come_back,
            model_jobs_are_created_and_updated_in_place,
        );
    };
    (@backend $module:ident; $($case:ident),* $(,)?) => {
        mod $module {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let (store, books) = super::__msme_contract_backend().await;
                    $crate::$module::$case(store, books).await;
                }
            )*
        }
    };
    (@module $factory:ident, $module:ident; $($case:ident),* $(,)?) => {
        mod $module {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    $crate::$module::$case(super::$factory().await).await;
                }
            )*
        }
    };
}

/// Expands into one `#[tokio::test]` per flow case ([`escrow_flow`], [`payments_flow`]): the
/// platform's money flows through the library, each over a fresh store from `$factory`, an
/// `async fn() -> `[`FlowStore`](flow_fixtures::FlowStore).
#[macro_export]
macro_rules! flow_tests {
    ($factory:path) => {
        async fn __msme_flow_store() -> $crate::flow_fixtures::FlowStore {
            $factory().await
        }
        $crate::contract_tests!(@module __msme_flow_store, escrow_flow;
            an_escrow_needs_a_published_listing_of_its_seller,
            create_fund_release_pay_out_and_verify,
            a_declined_funding_leaves_no_entries_and_keys_cannot_be_reused_for_another_request,
            gateway_timeouts_are_retried_under_the_same_key_with_backoff,
            a_rejected_payout_puts_the_money_back_in_the_payable,
        );
        $crate::contract_tests!(@module __msme_flow_store, payments_flow;
            fundings_record_their_payment_and_bank_transfers_fund_once,
            a_signed_webhook_settles_a_late_payout_once,
            reconciliation_lists_what_the_gateways_books_disagree_on,
            a_batch_of_releases_answers_each_one,
            racing_fundings_under_different_keys_charge_the_buyer_once,
        );
    };
}
