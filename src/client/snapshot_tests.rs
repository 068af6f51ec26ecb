//! The tenant snapshot against the emulator over real HTTP: one pass shared by concurrent callers,
//! and the cost rule's bound (never more than twice the cheaper of per-user reads and one pass),
//! counted by the emulator's request counts.

use std::time::Duration;

use serde_json::json;
use url::Url;

use crate::client::http::retry::RetryPolicy;
use crate::client::{Client, ClientConfig, Credential, Environment, Secret};
use teamsphone_emulator::{Emulator, EmulatorConfig, EmulatorHandle, Seed};

const TENANT: &str = "11111111-2222-3333-4444-555555555555";
const APP: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const SECRET: &str = "snapshot-secret";
const USERS: usize = 2500;
/// Pages of one pass at 999 users a page.
const PAGES: u64 = 3;

async fn start(generator: u64) -> (EmulatorHandle, Client) {
    start_with(USERS, generator).await
}

async fn start_with(users: usize, generator: u64) -> (EmulatorHandle, Client) {
    println!("--generate-seed {generator}");
    let seed = json!({"tenants": [{
        "tenant_id": TENANT, "domain": "contoso.onmicrosoft.com",
        "apps": [{"client_id": APP, "client_secret": SECRET, "teams_administrator": true}],
    }]});
    let mut seed = Seed::from_json(&seed.to_string()).unwrap();
    seed.add_generated_users(users, generator).unwrap();
    let emulator = Emulator::start(EmulatorConfig::new("127.0.0.1:0".parse().unwrap(), seed))
        .await
        .unwrap();
    let url = Url::parse(&emulator.url()).unwrap();
    let client = Client::new(ClientConfig {
        tenant_id: TENANT.into(),
        client_id: APP.into(),
        credential: Credential::ClientSecret(Secret::new(SECRET)),
        environment: Environment::Global,
        login_endpoint: url.clone(),
        graph_endpoint: url.clone(),
        teams_endpoint: url,
        retry: RetryPolicy::default(),
        request_timeout: Duration::from_secs(10),
        max_concurrent_requests: 4,
        policy_assignment_route: Default::default(),
        wire_log: None,
    })
    .unwrap();
    (emulator, client)
}

/// `userConfigurations` requests so far: (pages of the list, single-user reads).
async fn configuration_reads(emulator: &EmulatorHandle) -> (u64, u64) {
    let counts: serde_json::Map<String, serde_json::Value> =
        reqwest::get(format!("{}/_emulator/requests/counts", emulator.url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let count = |suffix: &str| {
        counts
            .iter()
            .filter(|(k, _)| k.ends_with(suffix))
            .map(|(_, v)| v.as_u64().unwrap())
            .sum()
    };
    (count("userConfigurations"), count("userConfigurations/{}"))
}

#[tokio::test]
async fn concurrent_callers_share_one_pass() {
    let (emulator, client) = start(11).await;
    let (a, b, c, d) = tokio::join!(
        client.tenant_view(),
        client.tenant_view(),
        client.tenant_view(),
        client.tenant_view()
    );
    for view in [a, b, c, d] {
        assert_eq!(view.unwrap().users().len(), USERS);
    }
    assert_eq!(configuration_reads(&emulator).await, (PAGES, 0));
    // A pass begun after a moment serves every later caller too.
    let since = std::time::Instant::now();
    let (a, b, c) = tokio::join!(
        client.tenant_view_since(since),
        client.tenant_view_since(since),
        client.tenant_view_since(since)
    );
    assert!(a.is_ok() && b.is_ok() && c.is_ok());
    assert_eq!(configuration_reads(&emulator).await, (2 * PAGES, 0));
}

#[tokio::test]
async fn per_user_reads_cost_at_most_twice_the_cheaper_plan() {
    let (emulator, client) = start(12).await;
    let view = client.tenant_view_since(std::time::Instant::now()).await;
    // The ids, from a separate client's pass (not the one under test).
    let ids: Vec<String> = view
        .unwrap()
        .users()
        .iter()
        .rev()
        .map(|u| u.id().to_string())
        .collect();
    let fresh = start_client_like(&client, &emulator);
    let before = configuration_reads(&emulator).await;
    // One user: a direct read and one page, twice the cheapest (one direct read).
    let one = fresh.user_record(&ids[0]).await.unwrap().unwrap();
    assert_eq!(one.id(), ids[0]);
    let after_one = configuration_reads(&emulator).await;
    assert_eq!((after_one.0 - before.0, after_one.1 - before.1), (1, 1));
    // Many users: the pass completes after PAGES direct reads and answers the rest for free.
    for id in ids.iter().take(200) {
        assert!(fresh.user_record(id).await.unwrap().is_some());
    }
    let after = configuration_reads(&emulator).await;
    let spent = (after.0 - before.0) + (after.1 - before.1);
    assert!(
        spent <= 2 * PAGES,
        "{spent} requests for 201 users, pass of {PAGES}"
    );
    assert_eq!(after.0 - before.0, PAGES, "exactly one pass");
    // A user that does not exist is absent, at no cost once the pass is complete.
    assert!(fresh
        .user_record("00000000-0000-4000-8000-000000000000")
        .await
        .unwrap()
        .is_none());
    assert_eq!(configuration_reads(&emulator).await, after);
}

/// A second client for the same emulator and tenant: its own snapshot, as a new provider process.
fn start_client_like(_: &Client, emulator: &EmulatorHandle) -> Client {
    let url = Url::parse(&emulator.url()).unwrap();
    Client::new(ClientConfig {
        tenant_id: TENANT.into(),
        client_id: APP.into(),
        credential: Credential::ClientSecret(Secret::new(SECRET)),
        environment: Environment::Global,
        login_endpoint: url.clone(),
        graph_endpoint: url.clone(),
        teams_endpoint: url,
        retry: RetryPolicy::default(),
        request_timeout: Duration::from_secs(10),
        max_concurrent_requests: 4,
        policy_assignment_route: Default::default(),
        wire_log: None,
    })
    .unwrap()
}

#[tokio::test]
async fn waiters_share_one_confirmation_scan_and_never_get_older_reads() {
    let (emulator, client) = start(13).await;
    let view = client.tenant_view().await.unwrap();
    let ids: Vec<String> = view.users().iter().map(|u| u.id().to_string()).collect();
    drop(view);
    let since = std::time::Instant::now();
    // Users of the first, second and last page, one waiter each (two users or more: one would be
    // read directly at this size); the first also waits on a user
    // that does not exist, which takes one full cycle to know.
    let absent = "00000000-0000-4000-8000-000000000000".to_string();
    let first = vec![ids[0].clone(), ids[10].clone(), absent.clone()];
    let second = vec![ids[1500].clone(), ids[1600].clone()];
    let last = vec![ids[USERS - 1].clone(), ids[1].clone()];
    let before = configuration_reads(&emulator).await;
    let (a, b, c) = tokio::join!(
        client.confirmation_view(since, &first),
        client.confirmation_view(since, &second),
        client.confirmation_view(since, &last)
    );
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert_eq!(configuration_reads(&emulator).await.0 - before.0, PAGES);
    assert!(a.get(&ids[0]).is_some() && a.get(&ids[10]).is_some());
    assert!(a.get(&absent).is_none() && a.get(&ids[1500]).is_none());
    assert!(b.get(&ids[1500]).is_some());
    assert!(c.get(&ids[USERS - 1]).is_some() && c.get(&ids[1]).is_some());
    // Asked again from now on: the reads above are too old, so the scan goes round again.
    let later = std::time::Instant::now();
    let again = client.confirmation_view(later, &last).await.unwrap();
    assert!(again.get(&ids[USERS - 1]).is_some());
    let after = configuration_reads(&emulator).await;
    assert!(after.0 - before.0 > PAGES, "no new page was read");
    assert_eq!(after.1, before.1, "no single-user reads at this size");
}

#[tokio::test]
async fn a_few_users_of_a_big_tenant_are_confirmed_one_by_one() {
    // 12,000 users: 13 pages a pass, so up to 6 users are cheaper read directly.
    let (emulator, client) = start_with(12_000, 14).await;
    let ids: Vec<String> = client
        .tenant_view()
        .await
        .unwrap()
        .users()
        .iter()
        .map(|u| u.id().to_string())
        .collect();
    let before = configuration_reads(&emulator).await;
    let few = vec![ids[11_999].clone(), ids[3].clone()];
    let view = client
        .confirmation_view(std::time::Instant::now(), &few)
        .await
        .unwrap();
    assert!(view.get(&ids[11_999]).is_some() && view.get(&ids[3]).is_some());
    let after = configuration_reads(&emulator).await;
    assert_eq!((after.0 - before.0, after.1 - before.1), (0, 2));
    // Seven users are more than half a pass's pages: a scan, no direct reads, that stops at the
    // page of the last user waited on (user 10,200: page 11).
    let seven: Vec<String> = ids.iter().step_by(1700).cloned().collect();
    assert_eq!(seven.len(), 8);
    let view = client
        .confirmation_view(std::time::Instant::now(), &seven[..7])
        .await
        .unwrap();
    assert!(seven[..7].iter().all(|id| view.get(id).is_some()));
    let last = configuration_reads(&emulator).await;
    assert_eq!((last.0 - after.0, last.1 - after.1), (11, 0));
}
