//! The plugin binary Terraform starts: serves the `teamsphone` provider over the plugin protocol.

use teamsphone::provider::TeamsPhoneProvider;

fn main() -> anyhow::Result<()> {
    // tf-provider appends a captured backtrace to every diagnostic when backtraces are enabled, which
    // would bury a one-line "Invalid name" under a hundred frames for anyone with RUST_BACKTRACE=1 set.
    // RUST_LIB_BACKTRACE governs only such captures; panics still honour RUST_BACKTRACE. Set before the
    // runtime starts any thread.
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(tf_provider::serve(
            "teamsphone",
            TeamsPhoneProvider::default(),
        ))
}
