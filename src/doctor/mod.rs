//! `terraform-provider-teamsphone doctor [--json]`: a read-only preflight against a real tenant.
//!
//! Before the first apply, a voice admin wants to know whether the app registration can do what
//! the configuration asks, without a half-applied plan to find out. `doctor` signs in exactly as
//! the provider does with an empty provider block (`TEAMSPHONE_*`, then `ARM_*`; every sign-in
//! method), for both scopes; reads the tokens' claims ([`claims`]); sends one smallest-page read
//! to each endpoint the provider reads ([`crate::client::probe`]); and says, in [`report`], which
//! Graph permissions and which directory role each resource type needs and whether they are
//! granted, and how each read answered. It never writes. Exit code 0 when everything needed works,
//! 1 otherwise (also for bad settings); `--json` prints the same report for machines. Retries are
//! kept short ([`RETRY_BUDGET`]) so an unreachable endpoint is reported in seconds, not minutes.

pub mod claims;
pub mod report;

use std::time::Duration;

use anyhow::bail;

use crate::client::http::retry::RetryPolicy;
use crate::client::Client;
use crate::provider::settings::client_config_from_environment;
use report::{Identity, SignInResult};
use teamsphone_contract::{GRAPH_SCOPE, TEAMS_SCOPE};

/// How long one read (or sign-in) keeps retrying transient failures.
pub const RETRY_BUDGET: Duration = Duration::from_secs(5);

const USAGE: &str = "usage: terraform-provider-teamsphone doctor [--json]

Checks, without changing anything, that the app registration can manage the tenant: signs in for
Microsoft Graph and the Teams admin API, reads the tokens' roles and wids, reads one smallest page
of each endpoint the provider reads, and says which permission or role each resource type needs
and whether it is granted. Sign-in settings come from the environment, as for the provider:
TEAMSPHONE_TENANT_ID, TEAMSPHONE_CLIENT_ID, TEAMSPHONE_CLIENT_SECRET (or a certificate / OIDC), or
the ARM_* variables; TEAMSPHONE_*_ENDPOINT and TEAMSPHONE_ENVIRONMENT pick the hosts.
Exit code 0 when everything needed works, 1 otherwise. --json prints the report as JSON.";

/// Parses the arguments after `doctor`: `Ok(Some(json))`, or `Ok(None)` for help.
pub fn parse_args(args: &[String]) -> anyhow::Result<Option<bool>> {
    let mut json = false;
    for arg in args {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--json" => json = true,
            other => bail!("unknown argument {other:?}\n\n{USAGE}"),
        }
    }
    Ok(Some(json))
}

async fn sign_in(client: &Client, scope: &str) -> SignInResult {
    client
        .access_token(scope)
        .await
        .map(|token| claims::read(token.expose()))
        .map_err(|e| e.to_string())
}

/// Runs `doctor`; the result is the process's exit code.
pub fn run(args: &[String]) -> anyhow::Result<i32> {
    let Some(json) = parse_args(args)? else {
        println!("{USAGE}");
        return Ok(0);
    };
    let mut config = client_config_from_environment()
        .map_err(|e| anyhow::anyhow!("the sign-in settings are incomplete:\n{e}"))?;
    config.retry = RetryPolicy {
        budget: RETRY_BUDGET,
        ..RetryPolicy::default()
    };
    config.request_timeout = RETRY_BUDGET * 2;
    let who = Identity {
        tenant_id: config.tenant_id.clone(),
        client_id: config.client_id.clone(),
        method: config.credential.method(),
    };
    let client = Client::new(config)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(async {
        let (graph, teams) =
            tokio::join!(sign_in(&client, GRAPH_SCOPE), sign_in(&client, TEAMS_SCOPE));
        let probes = client.probe_reads().await;
        report::evaluate(who, &graph, &teams, &probes)
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report::render(&report));
    }
    Ok(if report.ready { 0 } else { 1 })
}
