//! A small HTTP/1 client for the wiring tests, on hyper 1.
//!
//! The tests used to call the emulator through reqwest, the provider's own HTTP client. The
//! emulator must not depend on the provider's side, not even in its tests, so this module offers
//! the few calls they make with the same shape (`client.get(url).bearer_auth(..).json(..).send()`,
//! then `status()`, `headers()`, `json()`, `text()`) and the test bodies read as before.
//!
//! It is deliberately plain: one connection per request (no pool), no proxy (a proxy variable in the
//! test environment must not intercept loopback calls), no TLS (the emulator serves plain http), and
//! the whole body is read in `send`, so `json()` and `text()` only decode. Errors are returned, not
//! panicked on, so a failing test says which call failed.

use std::fmt::Display;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
pub use hyper::{HeaderMap, Method, StatusCode};
use hyper_util::rt::TokioIo;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Any failure of a request, as text: the tests only print it.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Entry point of a request; holds no state, since every request opens its own connection.
#[derive(Clone, Copy, Debug, Default)]
pub struct Client;

impl Client {
    pub fn new() -> Client {
        Client
    }

    pub fn request(&self, method: Method, url: impl Into<String>) -> RequestBuilder {
        RequestBuilder {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            error: None,
        }
    }

    pub fn get(&self, url: impl Into<String>) -> RequestBuilder {
        self.request(Method::GET, url)
    }

    pub fn post(&self, url: impl Into<String>) -> RequestBuilder {
        self.request(Method::POST, url)
    }

    pub fn delete(&self, url: impl Into<String>) -> RequestBuilder {
        self.request(Method::DELETE, url)
    }
}

/// A request being put together. A body or header that cannot be encoded is kept as an error and
/// returned by [`RequestBuilder::send`], as reqwest does.
pub struct RequestBuilder {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    error: Option<Error>,
}

impl RequestBuilder {
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn bearer_auth(self, token: impl Display) -> Self {
        self.header(AUTHORIZATION.as_str(), format!("Bearer {token}"))
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// A JSON body with `content-type: application/json`.
    pub fn json<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => {
                self.body = bytes;
                self.header(CONTENT_TYPE.as_str(), "application/json")
            }
            Err(e) => {
                self.error = Some(e.into());
                self
            }
        }
    }

    /// A form body (`application/x-www-form-urlencoded`), as the token endpoint expects.
    pub fn form<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        match serde_urlencoded::to_string(value) {
            Ok(text) => {
                self.body = text.into_bytes();
                self.header(CONTENT_TYPE.as_str(), "application/x-www-form-urlencoded")
            }
            Err(e) => {
                self.error = Some(e.into());
                self
            }
        }
    }

    /// Connects, sends the request and reads the whole answer.
    pub async fn send(self) -> Result<Response, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let uri: hyper::Uri = self.url.parse()?;
        if uri.scheme_str() != Some("http") {
            return Err(format!("only http:// URLs are supported, not {uri}").into());
        }
        let authority = uri
            .authority()
            .ok_or_else(|| format!("{uri} has no host"))?
            .clone();
        let path = uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/")
            .to_string();
        let mut request = hyper::Request::builder()
            .method(self.method)
            .uri(path)
            .header(HOST, authority.as_str());
        for (name, value) in &self.headers {
            request = request.header(
                HeaderName::try_from(name.as_str())?,
                HeaderValue::try_from(value.as_str())?,
            );
        }
        let request = request.body(Full::new(Bytes::from(self.body)))?;

        let port = authority.port_u16().unwrap_or(80);
        // `[::1]` is written with brackets in a URL but connected to without them.
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']');
        let stream = tokio::net::TcpStream::connect((host, port)).await?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        // The connection runs beside the request and ends when `sender` is dropped.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let answer = sender.send_request(request).await?;
        let (parts, body) = answer.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok(Response {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }
}

/// A complete answer.
#[derive(Debug)]
pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub async fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        Ok(serde_json::from_slice(&self.body)?)
    }

    pub async fn text(self) -> Result<String, Error> {
        Ok(String::from_utf8(self.body.to_vec())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bad_urls_are_errors_not_panics() {
        let client = Client::new();
        assert!(client.get("not a url").send().await.is_err());
        assert!(client.get("https://127.0.0.1:1/").send().await.is_err());
        // Checked before connecting, so no server is needed to see it refused.
        let e = client
            .get("http://127.0.0.1:1/")
            .header("bad header", "x")
            .send()
            .await
            .unwrap_err();
        assert!(e.to_string().contains("header"), "{e}");
    }
}
