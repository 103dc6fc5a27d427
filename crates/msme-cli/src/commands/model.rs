//! `msme model train|list|activate|evaluate|import`: the model registry from the terminal.
//! `import-comps` and `export` (files of deals) are in [`data`].

mod data;

use std::fmt::Write as _;
use std::sync::Arc;

use anyhow::Context;
use msme_core::model::engine::CATBOOST;
use msme_core::model::{ModelVersion, ModelVersionId, TrainSettings, TrainingOptions};
use msme_server::wire::model::{MetricsBody, ModelVersionBody};
use serde_json::json;

use super::Ctx;
use crate::cli::{
    ImportModelArgs, ModelCommand, ModelEvaluateArgs, ModelFormat, TrainArgs, VersionArg,
};
use crate::error::InputError;
use crate::progress;

/// Runs one `msme model` command.
pub async fn run(ctx: &Ctx, cmd: ModelCommand) -> anyhow::Result<()> {
    match cmd {
        ModelCommand::Train(args) => train(ctx, &args).await,
        ModelCommand::List => list(ctx).await,
        ModelCommand::Activate(args) => activate(ctx, &args).await,
        ModelCommand::Evaluate(args) => evaluate(ctx, &args).await,
        ModelCommand::ImportComps(args) => data::import_comps(ctx, &args).await,
        ModelCommand::Import(args) => import(ctx, &args).await,
        ModelCommand::Export(args) => data::export(ctx, &args).await,
    }
}

/// Trains with a progress bar (per stage: reading, each kind, calibration).
async fn train(ctx: &Ctx, args: &TrainArgs) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let opts = TrainingOptions {
        kinds: args.kinds.iter().map(|k| k.as_str().to_string()).collect(),
        coverage: args.coverage,
        settings: TrainSettings {
            budget: args.budget,
            threads: None,
        },
    };
    let bar = progress::bar(
        &ctx.out,
        1000,
        "training",
        "{msg:<28} [{bar:40}] {percent:>3}% ({elapsed})",
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let shown = bar.clone();
    let report = Arc::new(move |stage: &str, share: f64| {
        shown.set_message(stage.to_string());
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        shown.set_position((share.clamp(0.0, 1.0) * 1000.0) as u64);
    });
    let outcome = platform
        .models()
        .train(
            &ctx.meta(),
            &ctx.operator(),
            opts,
            !args.no_activate,
            report,
        )
        .await
        .context("training")?;
    bar.finish_and_clear();
    let items: Vec<ModelVersionBody> = outcome
        .versions
        .iter()
        .map(ModelVersionBody::from)
        .collect();
    let json = json!({
        "selected": outcome.selected.as_str(),
        "activated": outcome.activated,
        "sales_added": outcome.sales_added,
        "versions": items,
    });
    ctx.out.emit(&json, || {
        let mut out = table(&outcome.versions);
        let verb = if outcome.activated {
            "active"
        } else {
            "chosen (not activated)"
        };
        let _ = write!(out, "\n{} {verb}", outcome.selected);
        out
    })
}

async fn list(ctx: &Ctx) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let versions = platform.models().versions(&ctx.operator()).await?;
    let items: Vec<ModelVersionBody> = versions.iter().map(ModelVersionBody::from).collect();
    ctx.out
        .emit(&json!({ "items": items, "next_cursor": null }), || {
            if versions.is_empty() {
                "no model versions yet: run `msme model train`".into()
            } else {
                table(&versions)
            }
        })
}

async fn activate(ctx: &Ctx, args: &VersionArg) -> anyhow::Result<()> {
    let id = ModelVersionId::parse(&args.version)?;
    let platform = ctx.platform().await?;
    let v = platform
        .models()
        .activate(&ctx.meta(), &ctx.operator(), &id)
        .await
        .with_context(|| format!("activating {id}"))?;
    let body = ModelVersionBody::from(&v);
    ctx.out.emit(&serde_json::to_value(&body)?, || {
        format!("{} ({}) is now the active model", v.id, v.kind)
    })
}

async fn evaluate(ctx: &Ctx, args: &ModelEvaluateArgs) -> anyhow::Result<()> {
    let id = args
        .version
        .as_deref()
        .map(ModelVersionId::parse)
        .transpose()?;
    let platform = ctx.platform().await?;
    let spinner = progress::spinner(&ctx.out, "evaluating");
    let e = platform
        .models()
        .evaluate(&ctx.operator(), id.as_ref())
        .await
        .context("evaluating")?;
    spinner.finish_and_clear();
    let json = json!({
        "version": ModelVersionBody::from(&e.version),
        "data_fingerprint": e.fingerprint,
        "validation": MetricsBody::from(&e.validation),
        "test": MetricsBody::from(&e.test),
    });
    ctx.out.emit(&json, || {
        let same = if e.fingerprint == e.version.fingerprint {
            "the same deals it was trained on"
        } else {
            "the deals kept now (changed since training)"
        };
        format!(
            "{} ({}) on {same}\ncalibration  {}\ntest         {}",
            e.version.id,
            e.version.kind,
            metrics(&MetricsBody::from(&e.validation)),
            metrics(&MetricsBody::from(&e.test))
        )
    })
}

async fn import(ctx: &Ctx, args: &ImportModelArgs) -> anyhow::Result<()> {
    let kind = match args.format {
        ModelFormat::Catboost => CATBOOST,
    };
    let file = std::fs::read(&args.file)
        .map_err(|e| InputError(format!("cannot read {}: {e}", args.file.display())))?;
    let platform = ctx.platform().await?;
    let v = platform
        .models()
        .import_model(
            &ctx.meta(),
            &ctx.operator(),
            kind,
            file,
            args.coverage,
            args.activate,
        )
        .await
        .with_context(|| format!("importing {}", args.file.display()))?;
    let body = ModelVersionBody::from(&v);
    ctx.out.emit(&serde_json::to_value(&body)?, || {
        table(std::slice::from_ref(&v))
    })
}

fn metrics(m: &MetricsBody) -> String {
    format!(
        "MAPE {:>5.1}%  median APE {:>5.1}%  R² log {:.3}  coverage {}  ({} deals)",
        m.mape * 100.0,
        m.median_ape * 100.0,
        m.r2_log,
        m.coverage
            .map_or("-".to_string(), |c| format!("{:.1}%", c * 100.0)),
        m.deals
    )
}

/// Versions as a table: id, kind, active, test metrics.
fn table(versions: &[ModelVersion]) -> String {
    let mut out = format!(
        "{:<36}  {:<8} {:<8} {:>6}  TEST\n",
        "VERSION", "KIND", "ORIGIN", "ACTIVE"
    );
    for v in versions {
        let _ = writeln!(
            out,
            "{:<36}  {:<8} {:<8} {:>6}  {}",
            v.id,
            v.kind,
            v.origin.as_str(),
            if v.active { "yes" } else { "" },
            metrics(&MetricsBody::from(&v.report.test))
        );
    }
    out
}
