//! Puts the CatBoost model library beside the `msme` binary and tells the binary to look for it
//! there (rpath `$ORIGIN`, then `$ORIGIN/../lib`), so it runs without `LD_LIBRARY_PATH`: from
//! `cargo run`, from `target/<profile>/msme`, and installed as `bin/msme` with the library in
//! `bin/` or `lib/`.
//!
//! `catboost2-sys` unpacks `libcatboostmodel.so` into its build directory; it is also a
//! build-dependency here, so its build script has run before this one and the file exists.

use std::path::{Path, PathBuf};

/// The file name the binary asks for (the library's soname).
const SONAME: &str = "libcatboostmodel.so.1";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    println!("cargo::rustc-link-arg-bins=-Wl,-rpath,$ORIGIN:$ORIGIN/../lib");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    // OUT_DIR is <target>/<profile>/build/msme-cli-<hash>/out.
    let Some(profile_dir) = out.ancestors().nth(3) else {
        return;
    };
    let Some(library) = newest_library(&profile_dir.join("build")) else {
        println!("cargo::warning=libcatboostmodel.so not found in the build directory");
        return;
    };
    for dir in [profile_dir.to_path_buf(), profile_dir.join("deps")] {
        let target = dir.join(SONAME);
        if let Err(e) = std::fs::copy(&library, &target) {
            println!(
                "cargo::warning=copying {} to {}: {e}",
                library.display(),
                target.display()
            );
        }
    }
}

/// The most recently unpacked `catboost2-sys-*/out/libs/libcatboostmodel.so`.
fn newest_library(build: &Path) -> Option<PathBuf> {
    std::fs::read_dir(build)
        .ok()?
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("catboost2-sys-")
        })
        .map(|e| e.path().join("out/libs/libcatboostmodel.so"))
        .filter(|p| p.is_file())
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
}
