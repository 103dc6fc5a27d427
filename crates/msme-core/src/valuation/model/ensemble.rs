//! A weighted mean of models' predictions (in log space), kept as one model file that holds
//! its members' files.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::engine::{Contributions, ModelEngine, Regressor, ENSEMBLE};
use super::features::{FeatureRow, FEATURE_COUNT};
use super::ModelError;

/// Members and their weights (adding up to 1).
pub struct Ensemble {
    members: Vec<(f64, Arc<dyn Regressor>)>,
}

#[derive(Serialize, Deserialize)]
struct File {
    members: Vec<Member>,
}

#[derive(Serialize, Deserialize)]
struct Member {
    kind: String,
    weight: f64,
    /// The member's own model file, base64.
    artifact: String,
}

impl Ensemble {
    pub fn new(members: Vec<(f64, Arc<dyn Regressor>)>) -> Self {
        Self { members }
    }

    /// Reads an ensemble file, loading each member through `engine`.
    pub fn load(engine: &dyn ModelEngine, artifact: &[u8]) -> Result<Self, ModelError> {
        let file: File = serde_json::from_slice(artifact)
            .map_err(|e| ModelError::Artifact(format!("not an ensemble file: {e}")))?;
        let mut members = Vec::with_capacity(file.members.len());
        for m in file.members {
            let bytes = STANDARD
                .decode(m.artifact)
                .map_err(|e| ModelError::Artifact(format!("ensemble member: {e}")))?;
            members.push((m.weight, engine.load(&m.kind, &bytes)?));
        }
        if members.is_empty() {
            return Err(ModelError::Artifact("an ensemble without members".into()));
        }
        Ok(Self { members })
    }
}

impl Regressor for Ensemble {
    fn kind(&self) -> &'static str {
        ENSEMBLE
    }

    fn predict(&self, rows: &[FeatureRow]) -> Result<Vec<f64>, ModelError> {
        let mut out = vec![0.0; rows.len()];
        for (w, m) in &self.members {
            for (o, p) in out.iter_mut().zip(m.predict(rows)?) {
                *o += w * p;
            }
        }
        Ok(out)
    }

    /// The members' contributions, weighted; `None` unless every member has its own.
    fn contributions(&self, row: &FeatureRow) -> Result<Option<Contributions>, ModelError> {
        let mut sum = Contributions {
            base: 0.0,
            per_feature: [0.0; FEATURE_COUNT],
        };
        for (w, m) in &self.members {
            let Some(c) = m.contributions(row)? else {
                return Ok(None);
            };
            sum.base += w * c.base;
            for (s, v) in sum.per_feature.iter_mut().zip(c.per_feature) {
                *s += w * v;
            }
        }
        Ok(Some(sum))
    }

    fn artifact(&self) -> Result<Vec<u8>, ModelError> {
        let members = self
            .members
            .iter()
            .map(|(w, m)| {
                Ok(Member {
                    kind: m.kind().into(),
                    weight: *w,
                    artifact: STANDARD.encode(m.artifact()?),
                })
            })
            .collect::<Result<Vec<_>, ModelError>>()?;
        serde_json::to_vec(&File { members }).map_err(|e| ModelError::Artifact(e.to_string()))
    }

    fn params(&self) -> serde_json::Value {
        let members: Vec<_> = self
            .members
            .iter()
            .map(|(w, m)| json!({"kind": m.kind(), "weight": w, "params": m.params()}))
            .collect();
        json!({ "members": members })
    }
}
