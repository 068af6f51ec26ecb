//! Reading an answer's body without letting the server decide how much memory we spend.
//!
//! `reqwest::Response::bytes` keeps reading until the server stops, so a 256 MiB error page costs
//! 256 MiB (and more while it grows). Bodies are read here chunk by chunk instead, and reading stops
//! as soon as the cap is passed: a success body may be large (a page of 1,000 user configurations is a
//! few MiB, [`MAX_SUCCESS_BODY`] leaves ample room), an error body only needs its first part to say
//! what went wrong ([`MAX_ERROR_BODY`]). A declared `Content-Length` is not trusted either way: it can
//! lie, and the chunks are what count. What the caller does with a cut-off body differs: an error is decoded from what was
//! read, a success is refused, because half a JSON document is no answer.

/// Most bytes read of a 2xx answer.
pub const MAX_SUCCESS_BODY: usize = 32 * 1024 * 1024;
/// Most bytes read of any other answer (and of a token answer): enough for any real error.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// A body read up to a cap.
#[derive(Debug, PartialEq, Eq)]
pub enum Capped {
    /// The whole body.
    Whole(Vec<u8>),
    /// The first `cap` bytes; the server had more (or declared more).
    Cut(Vec<u8>),
}

impl Capped {
    /// The bytes read, cut or not.
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Capped::Whole(b) | Capped::Cut(b) => b,
        }
    }
}

/// Reads at most `cap` bytes of `answer`'s body, streaming, and says whether there was more.
pub async fn read_capped(
    mut answer: reqwest::Response,
    cap: usize,
) -> Result<Capped, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = answer.chunk().await? {
        let room = cap - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            // Dropping the answer closes the connection; the rest is never read.
            return Ok(Capped::Cut(body));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Capped::Whole(body))
}

/// `n` bytes in the unit a reader would use (`32 MiB`, `64 KiB`).
pub fn size(n: usize) -> String {
    if n >= 1024 * 1024 {
        format!("{} MiB", n / (1024 * 1024))
    } else {
        format!("{} KiB", n / 1024)
    }
}
