//! Creates that must not happen twice: auto attendants, their schedules and call queues.
//!
//! A shared calling policy or a resource account has a unique name, so a create repeated after its
//! answer was lost meets a 409 and the resource adopts what the first attempt made. Auto
//! attendants, schedules and call queues have no unique key: the service would simply make a
//! second one. So their creates are sent with `Transport::send_unrepeated`, which retries only
//! what the service surely did not act on (throttling, no connection), and a failure that may
//! have written (`ApiError::may_have_written`: a cut connection or answer, 503/504, 500/502) is
//! settled here by looking before sending again:
//!
//! - found exactly one object this attempt made: it is adopted, as if the answer had arrived;
//! - found none: the write did not happen; a transient failure is sent again (on the
//!   [`Backoff::CONSISTENCY`] schedule, within [`CREATE_BOUND`]), a 500/502 is reported;
//! - found several: nobody can tell which is ours, so nothing is adopted or repeated, and the
//!   error names them.
//!
//! "Made by this attempt" is what the caller's `find` says: an object carrying a marker the
//! client chose (an auto attendant's default call flow id), or one with the name or content asked
//! for that was not there before the first attempt (`domain::voice_apps::made_since`).

use std::future::Future;
use std::time::Duration;

use crate::client::api::call_queues::{CallQueue, CallQueueSettings};
use crate::client::http::error::Service;
use crate::client::waits::{Backoff, Wait};
use crate::client::{ApiError, Client};
use crate::domain::voice_apps::made_since;

/// How long a create keeps trying after answers that said nothing.
pub const CREATE_BOUND: Duration = Duration::from_secs(300);

/// The error for a look-up that found several objects a lost create could have made.
pub fn ambiguous(call: &str, what: &str, ids: &[String]) -> ApiError {
    ApiError::InvalidResponse {
        service: Service::Teams,
        status: 200,
        detail: format!(
            "{call} got no answer, and since it was sent {} {what}s like the one it asked for have appeared ({}); this apply cannot tell which one it made, so it adopts none and does not send it again. Remove the extra ones and import the one to keep",
            ids.len(),
            ids.join(", ")
        ),
    }
}

impl Client {
    /// Runs the create `post` until it is answered, never making a second object (see the module
    /// essay). `find` looks for what an unanswered attempt made: `Ok(None)` when it made nothing.
    pub async fn create_unrepeated<T, P, PF, F, FF>(
        &self,
        call: &str,
        mut post: P,
        mut find: F,
    ) -> Result<T, ApiError>
    where
        P: FnMut() -> PF,
        PF: Future<Output = Result<T, ApiError>>,
        F: FnMut() -> FF,
        FF: Future<Output = Result<Option<T>, ApiError>>,
    {
        let mut wait = Wait::for_at_most(Backoff::CONSISTENCY, CREATE_BOUND);
        loop {
            let error = match post().await {
                Ok(made) => return Ok(made),
                Err(e) if e.may_have_written() => e,
                Err(e) => return Err(e),
            };
            if let Some(made) = find().await? {
                tracing::info!("{call} got no answer but had been carried out; adopted: {error}");
                return Ok(made);
            }
            let ApiError::Unanswered { retry_after, .. } = &error else {
                return Err(error);
            };
            tracing::debug!("{call} got no answer and made nothing; sending it again: {error}");
            if !wait.pause(*retry_after).await {
                return Err(error);
            }
        }
    }

    /// `New-CsCallQueue`, made safe against a lost answer: the queues named like it before the
    /// first attempt are noted, and a new one with its name afterwards is the one it made.
    pub async fn create_call_queue(
        &self,
        settings: &CallQueueSettings,
    ) -> Result<CallQueue, ApiError> {
        let named = |q: &CallQueue| q.name.eq_ignore_ascii_case(&settings.name);
        let before: Vec<String> = self
            .list_cs_call_queues()
            .await?
            .into_iter()
            .filter(named)
            .map(|q| q.identity)
            .collect();
        let before = &before;
        self.create_unrepeated(
            "New-CsCallQueue",
            || self.new_cs_call_queue(settings, before),
            || async move {
                let all = self.list_cs_call_queues().await?;
                made_since(all, before, |q| &q.identity, named)
                    .map_err(|ids| ambiguous("New-CsCallQueue", "call queue", &ids))
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn unanswered() -> ApiError {
        ApiError::Unanswered {
            last: Box::new(ApiError::Communication {
                service: Service::Teams,
                url: "http://x".into(),
                detail: "connection closed".into(),
            }),
            retry_after: Some(Duration::ZERO),
        }
    }

    fn failed(status: u16) -> ApiError {
        ApiError::InvalidResponse {
            service: Service::Teams,
            status,
            detail: "boom".into(),
        }
    }

    async fn run(
        client: &Client,
        answers: Vec<Result<u32, ApiError>>,
        found: Vec<Option<u32>>,
    ) -> (Result<u32, ApiError>, u32, u32) {
        let (posts, finds) = (Cell::new(0), Cell::new(0));
        let answers = std::cell::RefCell::new(answers.into_iter());
        let found = std::cell::RefCell::new(found.into_iter());
        let result = client
            .create_unrepeated(
                "New-Thing",
                || {
                    posts.set(posts.get() + 1);
                    let next = answers.borrow_mut().next().expect("no more posts expected");
                    async move { next }
                },
                || {
                    finds.set(finds.get() + 1);
                    let next = found.borrow_mut().next().expect("no more finds expected");
                    async move { Ok(next) }
                },
            )
            .await;
        (result, posts.get(), finds.get())
    }

    /// A client that is never used to send anything: the posts and finds are the test's own.
    fn client() -> Client {
        use crate::client::{ClientConfig, Credential, Environment, Secret};
        let nowhere = url::Url::parse("http://127.0.0.1:9").unwrap();
        Client::new(ClientConfig {
            tenant_id: "t".into(),
            client_id: "c".into(),
            credential: Credential::ClientSecret(Secret::new("s")),
            environment: Environment::Global,
            login_endpoint: nowhere.clone(),
            graph_endpoint: nowhere.clone(),
            teams_endpoint: nowhere,
            retry: Default::default(),
            request_timeout: Duration::from_secs(1),
            max_concurrent_requests: 1,
            policy_assignment_route: Default::default(),
            wire_log: None,
        })
        .unwrap()
    }

    #[tokio::test]
    async fn a_lost_answer_is_adopted_and_not_sent_again() {
        let c = client();
        let (made, posts, finds) = run(&c, vec![Err(unanswered())], vec![Some(7)]).await;
        assert_eq!((made.unwrap(), posts, finds), (7, 1, 1));
    }

    #[tokio::test]
    async fn nothing_found_is_sent_again_and_a_refusal_is_not() {
        let c = client();
        let (made, posts, finds) = run(&c, vec![Err(unanswered()), Ok(3)], vec![None]).await;
        assert_eq!((made.unwrap(), posts, finds), (3, 2, 1));
        // A 500 may have written: looked for, but not repeated when nothing is found.
        let (made, posts, finds) = run(&c, vec![Err(failed(500))], vec![None]).await;
        assert_eq!(
            (made.unwrap_err().status(), posts, finds),
            (Some(500), 1, 1)
        );
        // A 400 did not write: neither looked for nor repeated.
        let (made, posts, finds) = run(&c, vec![Err(failed(400))], vec![]).await;
        assert_eq!(
            (made.unwrap_err().status(), posts, finds),
            (Some(400), 1, 0)
        );
    }

    #[test]
    fn several_candidates_are_named() {
        let text =
            ambiguous("New-CsCallQueue", "call queue", &["a".into(), "b".into()]).to_string();
        assert!(
            text.contains("2 call queues") && text.contains("a, b"),
            "{text}"
        );
    }
}
