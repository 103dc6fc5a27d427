//! Cases for [`ComparableStore`](msme_core::ports::ComparableStore) and
//! [`ModelStore`](msme_core::ports::ModelStore).

use std::sync::Arc;

use msme_core::model::{
    ComparableDeal, ComparableInput, ComparableSource, JobStatus, Metrics, ModelJob, ModelJobId,
    ModelOrigin, ModelVersion, ModelVersionId, PartCounts, VersionReport,
};
use msme_core::ports::Store;
use serde_json::json;

use crate::fixtures::{assert_appended, at, event, head_seq, stored_user};

/// A deal with every field set (growth and employees optional), varied by `n`.
pub fn deal(source: ComparableSource, n: i64) -> ComparableDeal {
    let input = ComparableInput {
        industry: "machinery".into(),
        state: "Maharashtra".into(),
        city: "Pune — Chakan ✓".into(),
        year_established: 2008,
        fiscal_year: 2025,
        employees: (n % 2 == 0).then_some(40 + n),
        revenue_paise: 8_00_00_000_00 + n,
        ebitda_paise: -1_20_00_000 - n,
        net_profit_paise: -3_00_000_00,
        total_assets_paise: 5_00_00_000_00,
        total_liabilities_paise: 2_00_00_000_00,
        debt_paise: 1_00_00_000_00,
        revenue_growth_bps: (n % 2 == 1).then_some(-1200),
        sale_price_paise: 6_00_00_000_00 + n,
    };
    ComparableDeal::parse(&input, source, Some(format!("ref-{n}")), at(n)).expect("valid deal")
}

/// A version with every field of its report set.
pub fn version(secs: i64, kind: &str) -> ModelVersion {
    let m = |x: f64| Metrics {
        n: 150,
        mape: x,
        median_ape: x / 2.0,
        r2_log: 0.93,
        rmse_log: 0.41,
        coverage: Some(0.81),
    };
    ModelVersion {
        id: ModelVersionId::generate(),
        kind: kind.into(),
        origin: if kind == "catboost" {
            ModelOrigin::Imported
        } else {
            ModelOrigin::Trained
        },
        fingerprint: format!("{secs:064x}"),
        created_at: at(secs),
        created_by: None,
        active: false,
        activated_at: None,
        report: VersionReport {
            examples: PartCounts {
                train: 700,
                calibration: 150,
                test: 150,
            },
            params: json!({"budget": 1.0, "note": "\"quoted\" ✓"}),
            coverage: 0.8,
            half_width: 0.52,
            validation: m(0.3),
            test: m(0.35),
            selected: secs % 2 == 0,
            baseline: vec![
                Some(1.5),
                None,
                Some(f64::from(u8::try_from(secs % 7).unwrap_or(0))),
            ],
        },
    }
}

async fn add(store: &Arc<dyn Store>, deals: &[ComparableDeal]) -> usize {
    let audit = event("comparables.imported", deals[0].id.as_str());
    store
        .add_comparables(deals, audit)
        .await
        .expect("add deals")
}

/// Deals read back whole in id order, a deal named again by source and reference is left
/// out, and each add appends one entry.
pub async fn comparables_round_trip_and_repeats_are_left_out(store: Arc<dyn Store>) {
    let before = head_seq(&store).await;
    let mut deals: Vec<ComparableDeal> =
        (1..=4).map(|n| deal(ComparableSource::Import, n)).collect();
    assert_eq!(add(&store, &deals).await, 4);
    let again = deal(ComparableSource::Import, 2);
    let demo = deal(ComparableSource::Demo, 2);
    assert_eq!(add(&store, &[again, demo.clone()]).await, 1);
    assert_appended(&store, before, 2, "two adds").await;
    deals.push(demo);
    deals.sort_by(|a, b| a.id.cmp(&b.id));
    let first = store.comparables_page(None, 3).await.expect("page 1");
    let rest = store
        .comparables_page(Some(&first[2].id), 3)
        .await
        .expect("page 2");
    assert_eq!([first, rest].concat(), deals);
    assert_eq!(store.comparable_count().await.expect("count"), 5);
    assert!(store
        .has_comparable(ComparableSource::Demo, "ref-2")
        .await
        .expect("has"));
    assert!(!store
        .has_comparable(ComparableSource::Platform, "ref-2")
        .await
        .expect("has not"));
}

/// Versions read back whole with their files, newest first; none is active until asked.
pub async fn model_versions_round_trip_with_their_files(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let before = head_seq(&store).await;
    let mut a = version(10, "gbt");
    a.created_by = Some(u.id.clone());
    let b = version(11, "ridge");
    let files = vec![
        (a.clone(), vec![0u8, 1, 2, 255]),
        (b.clone(), b"{}".to_vec()),
    ];
    let audit = event("model.trained", a.id.as_str());
    store
        .save_model_versions(&files, None, audit)
        .await
        .expect("save");
    assert_appended(&store, before, 1, "one training run").await;
    assert_eq!(
        store.model_versions().await.expect("all"),
        vec![b.clone(), a.clone()]
    );
    assert_eq!(
        store.model_version_by_id(&a.id).await.expect("a"),
        Some(a.clone())
    );
    assert_eq!(
        store.model_artifact(&a.id).await.expect("file"),
        Some(vec![0u8, 1, 2, 255])
    );
    assert_eq!(store.active_model_version().await.expect("active"), None);
    let unknown = ModelVersionId::generate();
    assert_eq!(
        store.model_version_by_id(&unknown).await.expect("unknown"),
        None
    );
    assert_eq!(store.model_artifact(&unknown).await.expect("no file"), None);
}

/// Saving with `activate` makes that version the only active one; activating an older one
/// rolls back; an unknown version changes nothing and appends nothing.
pub async fn one_version_is_active_and_an_older_one_can_come_back(store: Arc<dyn Store>) {
    let (old, new) = (version(10, "gbt"), version(20, "ensemble"));
    for v in [&old, &new] {
        let audit = event("model.trained", v.id.as_str());
        store
            .save_model_versions(&[(v.clone(), vec![1])], Some(&v.id), audit)
            .await
            .expect("save active");
    }
    let active = store
        .active_model_version()
        .await
        .expect("active")
        .expect("one");
    assert_eq!(
        (active.id.clone(), active.activated_at),
        (new.id.clone(), Some(at(20)))
    );
    let before = head_seq(&store).await;
    let audit = event("model.activated", old.id.as_str());
    assert!(store
        .activate_model_version(&old.id, at(30), audit)
        .await
        .expect("rollback"));
    let all = store.model_versions().await.expect("all");
    let flags: Vec<(bool, Option<_>)> = all.iter().map(|v| (v.active, v.activated_at)).collect();
    assert_eq!(flags, vec![(false, Some(at(20))), (true, Some(at(30)))]);
    let audit = event("model.activated", "nothing");
    let unknown = ModelVersionId::generate();
    assert!(!store
        .activate_model_version(&unknown, at(40), audit)
        .await
        .expect("unknown"));
    assert_appended(&store, before, 1, "one rollback").await;
    let active = store
        .active_model_version()
        .await
        .expect("active")
        .expect("one");
    assert_eq!(active.id, old.id);
}

/// A job is created, updated in place (progress without an audit entry, the outcome with
/// one) and read back whole.
pub async fn model_jobs_are_created_and_updated_in_place(store: Arc<dyn Store>) {
    let u = stored_user(&store, 1).await;
    let v = version(5, "gbt");
    let audit = event("model.trained", v.id.as_str());
    store
        .save_model_versions(&[(v.clone(), vec![1])], None, audit)
        .await
        .expect("version");
    let before = head_seq(&store).await;
    let mut job = ModelJob {
        id: ModelJobId::generate(),
        status: JobStatus::Queued,
        stage: "queued".into(),
        progress: 0.0,
        requested_by: Some(u.id.clone()),
        created_at: at(10),
        updated_at: at(10),
        version_id: None,
        error: None,
    };
    let audit = event("model.training_requested", job.id.as_str());
    store
        .save_model_job(&job, Some(audit))
        .await
        .expect("create");
    (job.status, job.stage, job.progress, job.updated_at) =
        (JobStatus::Running, "training gbt".into(), 0.25, at(11));
    store.save_model_job(&job, None).await.expect("progress");
    assert_eq!(
        store.model_job_by_id(&job.id).await.expect("read"),
        Some(job.clone())
    );
    (job.status, job.version_id, job.error) = (
        JobStatus::Failed,
        Some(v.id.clone()),
        Some("it \"broke\"".into()),
    );
    let audit = event("model.training_failed", job.id.as_str());
    store
        .save_model_job(&job, Some(audit))
        .await
        .expect("finish");
    assert_appended(&store, before, 2, "request and outcome").await;
    assert_eq!(
        store.model_job_by_id(&job.id).await.expect("read"),
        Some(job)
    );
    let unknown = store.model_job_by_id(&ModelJobId::generate()).await;
    assert_eq!(unknown.expect("unknown"), None);
}
