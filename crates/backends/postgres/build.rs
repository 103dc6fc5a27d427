//! Compiles the PostgreSQL contract suite in only when a test server is named: the shared suite
//! has one test per case and no way to skip at run time. Not used by the library itself.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=MSME_TEST_POSTGRES_URL");
    println!("cargo::rustc-check-cfg=cfg(msme_pg_contract)");
    let named = std::env::var("MSME_TEST_POSTGRES_URL").is_ok_and(|u| !u.trim().is_empty());
    if named {
        println!("cargo::rustc-cfg=msme_pg_contract");
    }
}
