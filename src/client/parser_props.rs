//! Property tests of every parser of server-supplied headers and numbers.
//!
//! A `Retry-After`, an `expires_in`, an association's per-endpoint results, a `Location`, a `skipToken` or an `@odata.nextLink` is whatever
//! the server sent. The hostile-endpoint tests try the values known to have hurt; these feed arbitrary
//! strings (and strings shaped like the real thing, so the interesting branches are reached) and
//! require that nothing panics and every answer stays within its bounds.

use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use serde::Deserialize;
use url::Url;

use super::api::number_operations::operation_id_from_location;
use super::api::voice_apps::{AssociationResult, Listed};
use super::auth::{refresh_at, token_lifetime, MAX_TOKEN_LIFETIME};
use super::http::decode::CaseInsensitive;
use super::http::error::location_target;
use super::http::retry::{parse_retry_after, MAX_RETRY_AFTER};
use super::http::scrub::Scrubber;
use super::paging::{Continuation, Pages};
use super::{Client, ClientConfig, Credential, Environment, Secret};
use crate::client::http::error::Service;
use crate::client::http::retry::RetryPolicy;

/// Anything, or something close to a number, a date, or a URL.
fn server_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+]?[0-9]{0,30}(\\.[0-9]{0,10})?([eE][-+]?[0-9]{0,4})?",
        "(NaN|nan|inf|-inf|Infinity|1e20|18446744073709551616|-5| 7 |)",
        "(Mon|Fri|Sun), [0-9]{1,2} (Jan|Dec) [0-9]{1,5} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT",
        "(https?://[a-z0-9.:\\[\\]@-]{0,30})?(/[a-zA-Z0-9('%._-]{0,12}){0,5}(\\?[a-z=&$0-9]{0,20})?(#.*)?",
    ]
}

fn client() -> Client {
    Client::new(ClientConfig {
        tenant_id: "t".into(),
        client_id: "c".into(),
        credential: Credential::ClientSecret(Secret::new("property-secret")),
        environment: Environment::Global,
        login_endpoint: Url::parse("http://127.0.0.1:1/").unwrap(),
        graph_endpoint: Url::parse("http://127.0.0.1:1/").unwrap(),
        teams_endpoint: Url::parse("http://127.0.0.1:1/").unwrap(),
        retry: RetryPolicy::default(),
        request_timeout: Duration::from_secs(1),
        max_concurrent_requests: 1,
        policy_assignment_route: Default::default(),
        wire_log: None,
    })
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn retry_after_is_absent_or_bounded(value in server_text(), epoch in any::<u32>()) {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(epoch));
        if let Some(wait) = parse_retry_after(&value, now) {
            prop_assert!(wait <= MAX_RETRY_AFTER, "{value:?} -> {wait:?}");
        }
    }

    #[test]
    fn expires_in_is_bounded_whatever_its_shape(text in server_text(), number in any::<f64>(), big in any::<u64>(), small in any::<i64>()) {
        let now = std::time::Instant::now();
        for value in [
            serde_json::json!(text),
            serde_json::json!(number),
            serde_json::json!(big),
            serde_json::json!(small),
        ] {
            let life = token_lifetime(&value);
            prop_assert!(life >= Duration::from_secs(1) && life <= MAX_TOKEN_LIFETIME, "{value} -> {life:?}");
            prop_assert!(refresh_at(now, life) >= now);
        }
    }

    #[test]
    fn location_parsers_never_panic(location in server_text()) {
        if let Some(id) = operation_id_from_location(&location) {
            prop_assert!(!id.is_empty() && !id.contains('/'));
        }
        let base = Url::parse("https://graph.microsoft.com/v1.0/x").unwrap();
        let target = location_target(&base, Some(&location));
        // Only a host is ever named, never a path or a query.
        prop_assert!(!target.contains('?') && !target.contains('/'), "{location:?} -> {target}");
    }

    #[test]
    fn next_links_are_followed_only_on_the_graph_origin(link in server_text()) {
        let c = client();
        if let Ok(url) = c.same_origin_link(&link) {
            prop_assert_eq!(url.origin(), Url::parse("http://127.0.0.1:1/").unwrap().origin());
        }
    }

    #[test]
    fn continuations_never_loop_and_never_exceed_the_cap(tokens in prop::collection::vec(server_text(), 0..40), cap in 1usize..20) {
        let scrub = Scrubber::default();
        for kind in [Continuation::SkipToken, Continuation::NextLink] {
            let mut pages = Pages::new("x", Service::Teams, kind, cap);
            let mut followed = std::collections::HashSet::new();
            for token in &tokens {
                match pages.next(token, &scrub) {
                    Ok(()) => prop_assert!(followed.insert(token.clone()), "{token:?} followed twice"),
                    Err(e) => {
                        let text = e.to_string();
                        prop_assert!(text.contains("already followed") || text.contains("pages"), "{text}");
                        break;
                    }
                }
            }
            prop_assert!(pages.read() <= cap);
        }
    }

    #[test]
    fn association_results_decode_or_fail_but_status_is_always_one_of_four(
        id in server_text(),
        status in prop_oneof![
            any::<i64>().prop_map(|n| serde_json::json!(n)),
            any::<f64>().prop_map(|f| serde_json::json!(f)),
            server_text().prop_map(|t| serde_json::json!(t)),
            Just(serde_json::Value::Null),
        ],
        code in proptest::option::of(server_text()),
        copies in 0usize..4,
        wrapped in any::<bool>(),
    ) {
        let one = serde_json::json!({"Id": id, "Status": status, "ErrorCode": code, "Message": id});
        let list = serde_json::Value::Array(vec![one; copies]);
        let answer = if wrapped { serde_json::json!({"Results": list}) } else { list };
        if let Ok(Listed(results)) = Listed::<AssociationResult>::deserialize(CaseInsensitive(answer)) {
            prop_assert_eq!(results.len(), copies);
            for r in results {
                prop_assert!(r.status <= 3, "{r:?}");
                let _ = r.problem();
            }
        }
    }

    #[test]
    fn scrubbing_removes_known_values_and_bounds_length(text in any::<String>(), secret in "[ -)+-~]{6,30}", max in 0usize..400) {
        let scrub = Scrubber::default();
        scrub.remember(&secret);
        let echoed = format!("{text}{secret}{text}");
        let clean = scrub.clean(&echoed, max);
        prop_assert!(!clean.contains(&secret), "{clean:?}");
        prop_assert!(clean.chars().count() <= max + 1);
    }
}
