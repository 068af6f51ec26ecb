//! The guard every paged read walks its pages with: a page cap and a loop check.
//!
//! Graph pages with `@odata.nextLink`, the Teams platform API with `skipToken`; both are chosen by
//! the server. A server that links a page to itself, alternates two tokens, or invents a new link for
//! ever once kept a read going for as long as memory lasted (a self-link ran 335 pages in 15 s). The
//! contract (section 7) asks every paged read to stop at a page cap and on a link it has already
//! followed, and to say so: an error, never a silently short list, because a resource deciding what
//! to create or delete from a partial list would be wrong. Links are remembered as SHA-256 digests,
//! so a thousand long links cost 32 KiB, not whatever the server made them.

use std::collections::HashSet;

use super::http::error::{ApiError, Service};
use super::http::scrub::Scrubber;

/// How a paged read continues: a full URL (`@odata.nextLink`) or an opaque token (`skipToken`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Continuation {
    NextLink,
    SkipToken,
}

impl Continuation {
    fn name(self) -> &'static str {
        match self {
            Continuation::NextLink => "@odata.nextLink",
            Continuation::SkipToken => "skipToken",
        }
    }
}

/// Walks one paged read: [`Pages::next`] is told each continuation before it is followed.
pub struct Pages {
    what: &'static str,
    service: Service,
    kind: Continuation,
    max_pages: usize,
    read: usize,
    seen: HashSet<[u8; 32]>,
}

impl Pages {
    /// A read of `what` (for messages, e.g. `"userConfigurations"`) that may take `max_pages` pages.
    pub fn new(what: &'static str, service: Service, kind: Continuation, max_pages: usize) -> Self {
        Pages {
            what,
            service,
            kind,
            max_pages,
            read: 1,
            seen: HashSet::new(),
        }
    }

    /// Pages read so far (the first one counts).
    pub fn read(&self) -> usize {
        self.read
    }

    /// Accepts `continuation` as the way to the next page, or says why the read must stop: it was
    /// followed before (a loop), or the page cap is reached.
    pub fn next(&mut self, continuation: &str, scrub: &Scrubber) -> Result<(), ApiError> {
        let digest = ring::digest::digest(&ring::digest::SHA256, continuation.as_bytes());
        let mut key = [0u8; 32];
        key.copy_from_slice(digest.as_ref());
        let name = self.kind.name();
        if !self.seen.insert(key) {
            return Err(self.error(format!(
                "the {name} after page {} ({}) was already followed; the server's pages loop, so the read stopped instead of going round for ever",
                self.read,
                scrub.clean(continuation, 120)
            )));
        }
        if self.read >= self.max_pages {
            return Err(self.error(format!(
                "the server still named a next page ({name}) after {} pages, the most this read follows; the read stopped instead of going on without end",
                self.max_pages
            )));
        }
        self.read += 1;
        Ok(())
    }

    fn error(&self, detail: String) -> ApiError {
        ApiError::InvalidResponse {
            service: self.service,
            status: 200,
            detail: format!("listing {}: {detail}", self.what),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_continuation_stops_the_read() {
        let scrub = Scrubber::default();
        let mut pages = Pages::new("x", Service::Teams, Continuation::SkipToken, 100);
        pages.next("A", &scrub).unwrap();
        pages.next("B", &scrub).unwrap();
        let e = pages.next("A", &scrub).unwrap_err().to_string();
        assert!(
            e.contains("already followed") && e.contains("skipToken"),
            "{e}"
        );
        assert_eq!(pages.read(), 3);
    }

    #[test]
    fn the_cap_stops_an_endless_read() {
        let scrub = Scrubber::default();
        let mut pages = Pages::new("users", Service::Graph, Continuation::NextLink, 3);
        pages.next("p2", &scrub).unwrap();
        pages.next("p3", &scrub).unwrap();
        let e = pages.next("p4", &scrub).unwrap_err().to_string();
        assert!(
            e.contains("after 3 pages") && e.contains("listing users"),
            "{e}"
        );
    }
}
