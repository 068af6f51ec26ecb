//! The plugin binary Terraform starts: serves the `teamsphone` provider over the plugin protocol.
//! `terraform-provider-teamsphone docs` instead regenerates `docs/` from the schemas, and
//! `terraform-provider-teamsphone export --out DIR` writes a tenant's setup as Terraform files, and
//! `terraform-provider-teamsphone doctor [--json]` checks a tenant's sign-in, grants and reads.

use teamsphone::provider::TeamsPhoneProvider;

fn main() -> anyhow::Result<()> {
    // tf-provider appends a captured backtrace to every diagnostic when backtraces are enabled, which
    // would bury a one-line "Invalid name" under a hundred frames for anyone with RUST_BACKTRACE=1 set.
    // RUST_LIB_BACKTRACE governs only such captures; panics still honour RUST_BACKTRACE. Set before any
    // thread starts (`export` reports settings problems through the same diagnostics).
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
    if std::env::args().nth(1).as_deref() == Some("docs") {
        for page in teamsphone::docs::write_all(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))? {
            println!("wrote {page}");
        }
        return Ok(());
    }
    if std::env::args().nth(1).as_deref() == Some("export") {
        let args: Vec<String> = std::env::args().skip(2).collect();
        if let Err(e) = teamsphone::export::run(&args) {
            eprintln!("Error: {e:#}");
            std::process::exit(1);
        }
        return Ok(());
    }
    if std::env::args().nth(1).as_deref() == Some("doctor") {
        let args: Vec<String> = std::env::args().skip(2).collect();
        match teamsphone::doctor::run(&args) {
            Ok(code) => std::process::exit(code),
            Err(e) => {
                eprintln!("Error: {e:#}");
                std::process::exit(1);
            }
        }
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(tf_provider::serve(
            "teamsphone",
            TeamsPhoneProvider::default(),
        ))
}
