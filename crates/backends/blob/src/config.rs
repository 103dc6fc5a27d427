//! [`S3Config`] and reading it from the environment.

use msme_core::types::Secret;

/// The region used when `AWS_REGION` is unset: Mumbai, nearest the marketplace's users.
pub const DEFAULT_REGION: &str = "ap-south-1";

/// Where an [`crate::S3BlobStore`] keeps blobs. `Debug` prints the secret as `[redacted]`.
#[derive(Debug, Clone)]
pub struct S3Config {
    /// An S3-compatible server's URL (`http://127.0.0.1:5055`); `None` for AWS itself. With an
    /// endpoint, requests are path-style (`<endpoint>/<bucket>/<key>`), which every
    /// S3-compatible server understands.
    pub endpoint: Option<String>,
    /// The bucket's region, used in request signatures.
    pub region: String,
    /// The bucket, which must already exist.
    pub bucket: String,
    /// `AWS_ACCESS_KEY_ID`.
    pub access_key_id: String,
    /// `AWS_SECRET_ACCESS_KEY`; never printed, never put in an error.
    pub secret_access_key: Secret,
    /// Whether a plain `http://` endpoint is allowed (local test servers).
    pub allow_http: bool,
}

impl S3Config {
    /// Reads the S3 settings through `get` (usually `|name| std::env::var(name).ok()`).
    ///
    /// `None` when `S3_BUCKET_NAME` is unset or empty: no S3, use the file store. Otherwise
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are required (the error names each one
    /// missing), `AWS_REGION` defaults to [`DEFAULT_REGION`], and `S3_ENDPOINT_URL` optionally
    /// names an S3-compatible server; plain HTTP is allowed only when that URL starts with
    /// `http://`.
    pub fn from_env(get: &dyn Fn(&str) -> Option<String>) -> Option<Result<S3Config, String>> {
        let var = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let bucket = var("S3_BUCKET_NAME")?;
        let access_key_id = var("AWS_ACCESS_KEY_ID");
        let secret = var("AWS_SECRET_ACCESS_KEY");
        let missing: Vec<&str> = [
            ("AWS_ACCESS_KEY_ID", access_key_id.is_none()),
            ("AWS_SECRET_ACCESS_KEY", secret.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, absent)| absent.then_some(name))
        .collect();
        let (Some(access_key_id), Some(secret)) = (access_key_id, secret) else {
            return Some(Err(format!(
                "S3_BUCKET_NAME is set, but {} {} not",
                missing.join(" and "),
                if missing.len() == 1 { "is" } else { "are" }
            )));
        };
        let endpoint = var("S3_ENDPOINT_URL").map(|e| e.trim_end_matches('/').to_owned());
        let allow_http = endpoint
            .as_deref()
            .is_some_and(|e| e.starts_with("http://"));
        Some(Ok(S3Config {
            endpoint,
            region: var("AWS_REGION").unwrap_or_else(|| DEFAULT_REGION.to_owned()),
            bucket,
            access_key_id,
            secret_access_key: Secret::new(secret),
            allow_http,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(vars: &[(&str, &str)]) -> Option<Result<S3Config, String>> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        S3Config::from_env(&|name| map.get(name).cloned())
    }

    #[test]
    fn no_bucket_means_no_s3() {
        assert!(read(&[]).is_none());
        assert!(read(&[("AWS_ACCESS_KEY_ID", "AKIA"), ("S3_BUCKET_NAME", "")]).is_none());
    }

    #[test]
    fn full_settings() {
        let config = read(&[
            ("S3_BUCKET_NAME", "msme-docs"),
            ("AWS_ACCESS_KEY_ID", "AKIA1"),
            ("AWS_SECRET_ACCESS_KEY", "s3cr3t-value"),
            ("AWS_REGION", "eu-west-1"),
            ("S3_ENDPOINT_URL", "http://127.0.0.1:5055/"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(config.bucket, "msme-docs");
        assert_eq!(config.region, "eu-west-1");
        assert_eq!(config.endpoint.as_deref(), Some("http://127.0.0.1:5055"));
        assert!(config.allow_http);
        assert_eq!(config.secret_access_key.expose(), "s3cr3t-value");
        assert!(!format!("{config:?}").contains("s3cr3t"));
    }

    #[test]
    fn defaults_to_mumbai_over_https() {
        let config = read(&[
            ("S3_BUCKET_NAME", "b"),
            ("AWS_ACCESS_KEY_ID", "k"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(config.region, "ap-south-1");
        assert_eq!(config.endpoint, None);
        assert!(!config.allow_http);
    }

    #[test]
    fn names_missing_variables() {
        let err = read(&[("S3_BUCKET_NAME", "b"), ("AWS_ACCESS_KEY_ID", "k")])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            err,
            "S3_BUCKET_NAME is set, but AWS_SECRET_ACCESS_KEY is not"
        );
        let err = read(&[("S3_BUCKET_NAME", "b")]).unwrap().unwrap_err();
        assert!(err.contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not"));
    }
}
