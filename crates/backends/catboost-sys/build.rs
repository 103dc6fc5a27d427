//! Unpacks the bundled CatBoost model library and links it. The Rust bindings are not generated
//! here (that needs libclang): `vendor/bindings.rs` was generated once from `vendor/c_api.h`; to do it
//! again, `bindgen vendor/c_api.h -o vendor/bindings.rs` with bindgen 0.59.

use std::{
    env,
    fs::File,
    path::{Path, PathBuf},
};
use tar::Archive;

fn main() {
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    extract_libraries(&out_dir).expect("unpacking libs.tar");
    println!("cargo:rerun-if-changed=libs.tar");
    println!("cargo:rustc-link-search={}/libs", out_dir.display());
    println!("cargo:rustc-link-lib=dylib=catboostmodel");
}

fn extract_libraries(out_dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = out_dir.join("libs");
    std::fs::create_dir_all(&out_dir)?;
    let libs = File::open(Path::new(env!("CARGO_MANIFEST_DIR")).join("libs.tar"))?;
    let mut archive = Archive::new(zstd::Decoder::new(libs)?);
    for file in archive.entries()? {
        let mut file = file?;
        let out_file = out_dir.join(file.path()?);
        file.unpack(out_file)?;
    }
    Ok(())
}
