//! Verifying client assertions at the token endpoint: certificate credentials and federated tokens.
//!
//! An app may sign in with a JWT instead of a secret. Entra checks it two ways, and so does the
//! emulator, for real: a **certificate credential** is an RS256 JWT the app signed itself, found by the
//! `x5t#S256` thumbprint among the app's registered certificates, with `iss` = `sub` = the client id and
//! `aud` = the token endpoint; a **federated credential** is a token another issuer (a CI system) signed,
//! matched on issuer, subject and audience against the app's federated identity records and verified
//! with that issuer's certificate. Both must be within their `nbf`..`exp` window (five minutes' skew).
//! The error codes are Entra's, since the provider shows them to users.

use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::signature::{UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use x509_cert::der::{DecodePem, Encode};

use super::error::AadError;
use super::state::now_unix_ms;

/// Clock skew tolerated on `nbf` and `exp`, as Entra does.
const SKEW_SECONDS: u64 = 300;

/// A federated identity record on an app: which foreign tokens it accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FederatedCredential {
    pub issuer: String,
    pub subject: String,
    /// Usually `api://AzureADTokenExchange`.
    pub audience: String,
    /// PEM certificate of the issuer's signing key (stands in for the issuer's JWKS).
    pub issuer_certificate: String,
}

/// An RSA public key with the thumbprint of the certificate it came from.
struct CertKey {
    thumbprint_s256: String,
    rsa_public_key: Vec<u8>,
}

fn cert_key(pem: &str) -> Result<CertKey, String> {
    let cert = x509_cert::Certificate::from_pem(pem.as_bytes())
        .map_err(|e| format!("not a PEM certificate: {e}"))?;
    let der = cert.to_der().map_err(|e| e.to_string())?;
    let digest = ring::digest::digest(&ring::digest::SHA256, &der);
    let rsa_public_key = cert
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes()
        .to_vec();
    Ok(CertKey {
        thumbprint_s256: URL_SAFE_NO_PAD.encode(digest.as_ref()),
        rsa_public_key,
    })
}

/// Checks that every seeded certificate parses, so a bad seed fails at start-up.
pub fn check_certificate(pem: &str) -> Result<(), String> {
    cert_key(pem).map(drop)
}

struct Jwt {
    header: Value,
    claims: Value,
    signing_input: String,
    signature: Vec<u8>,
}

fn invalid_client(code: u32, message: impl Into<String>) -> AadError {
    AadError::new(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        code,
        message.into(),
    )
}

fn parse(assertion: &str) -> Result<Jwt, AadError> {
    let malformed = || invalid_client(50027, "JWT token is invalid or malformed.");
    let mut parts = assertion.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|_| malformed());
    let header: Value = serde_json::from_slice(&decode(h)?).map_err(|_| malformed())?;
    let claims: Value = serde_json::from_slice(&decode(c)?).map_err(|_| malformed())?;
    if header["alg"] != "RS256" {
        return Err(invalid_client(
            5002738,
            format!(
                "The assertion's algorithm {} is not supported; use RS256.",
                header["alg"]
            ),
        ));
    }
    Ok(Jwt {
        header,
        claims,
        signing_input: format!("{h}.{c}"),
        signature: decode(s)?,
    })
}

fn verify_signature(jwt: &Jwt, key: &CertKey) -> bool {
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &key.rsa_public_key)
        .verify(jwt.signing_input.as_bytes(), &jwt.signature)
        .is_ok()
}

fn check_time(claims: &Value) -> Result<(), AadError> {
    let now = now_unix_ms() / 1000;
    let exp = claims["exp"].as_u64().unwrap_or(0);
    let nbf = claims["nbf"].as_u64().unwrap_or(0);
    if exp + SKEW_SECONDS < now || nbf > now + SKEW_SECONDS {
        return Err(invalid_client(
            700024,
            format!("Client assertion is not within its valid time range. Current time: {now}, assertion valid from {nbf}, expiry time of assertion {exp}."),
        ));
    }
    Ok(())
}

fn audiences(claims: &Value) -> Vec<&str> {
    match &claims["aud"] {
        Value::String(a) => vec![a.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// What the app registration offers to check an assertion against.
pub struct AppCredentials<'a> {
    pub client_id: &'a str,
    pub certificates: &'a [String],
    pub federated: &'a [FederatedCredential],
}

/// Verifies `assertion` for an app; `token_path` is this request's `/{tenant}/oauth2/v2.0/token`.
pub fn verify(assertion: &str, app: &AppCredentials<'_>, token_path: &str) -> Result<(), AadError> {
    let jwt = parse(assertion)?;
    if let Some(thumbprint) = jwt.header["x5t#S256"].as_str() {
        return verify_certificate(&jwt, thumbprint, app, token_path);
    }
    verify_federated(&jwt, app)
}

fn verify_certificate(
    jwt: &Jwt,
    thumbprint: &str,
    app: &AppCredentials<'_>,
    token_path: &str,
) -> Result<(), AadError> {
    let key = app
        .certificates
        .iter()
        .filter_map(|pem| cert_key(pem).ok())
        .find(|k| k.thumbprint_s256 == thumbprint)
        .ok_or_else(|| {
            invalid_client(
                700027,
                format!("Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '{thumbprint}'. Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{}'.]", app.client_id),
            )
        })?;
    if !verify_signature(jwt, &key) {
        return Err(invalid_client(
            700027,
            "Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]",
        ));
    }
    let claims = &jwt.claims;
    if !claims["iss"]
        .as_str()
        .is_some_and(|v| v.eq_ignore_ascii_case(app.client_id))
        || !claims["sub"]
            .as_str()
            .is_some_and(|v| v.eq_ignore_ascii_case(app.client_id))
    {
        return Err(invalid_client(
            700021,
            format!("Client assertion application identifier doesn't match 'client_id' parameter: iss and sub must be '{}'.", app.client_id),
        ));
    }
    if !audiences(claims)
        .iter()
        .any(|aud| aud.ends_with(token_path))
    {
        return Err(invalid_client(
            700016,
            format!("The audience of the client assertion must be the token endpoint (ending in '{token_path}'), not {}.", claims["aud"]),
        ));
    }
    check_time(claims)
}

fn verify_federated(jwt: &Jwt, app: &AppCredentials<'_>) -> Result<(), AadError> {
    let claims = &jwt.claims;
    let iss = claims["iss"].as_str().unwrap_or_default();
    let sub = claims["sub"].as_str().unwrap_or_default();
    let auds = audiences(claims);
    let record = app
        .federated
        .iter()
        .find(|f| f.issuer == iss && f.subject == sub && auds.contains(&f.audience.as_str()))
        .ok_or_else(|| {
            invalid_client(
                70021,
                format!("No matching federated identity record found for presented assertion. Assertion Issuer: '{iss}'. Assertion Subject: '{sub}'. Assertion Audience: '{}'.", auds.join(",")),
            )
        })?;
    let key = cert_key(&record.issuer_certificate).map_err(|e| {
        invalid_client(
            700027,
            format!("The issuer's signing certificate is unusable: {e}"),
        )
    })?;
    if !verify_signature(jwt, &key) {
        return Err(invalid_client(
            700027,
            format!("Client assertion failed signature validation: the token was not signed by issuer '{iss}'."),
        ));
    }
    check_time(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app<'a>(certs: &'a [String]) -> AppCredentials<'a> {
        AppCredentials {
            client_id: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            certificates: certs,
            federated: &[],
        }
    }

    fn jwt(header: Value, claims: Value) -> String {
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string()),
            URL_SAFE_NO_PAD.encode(b"not-a-signature")
        )
    }

    fn code(e: AadError) -> String {
        format!("{e:?}")
    }

    #[test]
    fn malformed_and_unsigned_assertions_are_refused() {
        let err = verify("not.a.jwt.at-all", &app(&[]), "/t/oauth2/v2.0/token").unwrap_err();
        assert!(code(err).contains("50027"));
        let none = jwt(serde_json::json!({"alg": "none"}), serde_json::json!({}));
        let err = verify(&none, &app(&[]), "/t/oauth2/v2.0/token").unwrap_err();
        assert!(code(err).contains("RS256"));
    }

    #[test]
    fn a_forged_signature_is_refused_even_with_a_known_thumbprint() {
        // The workspace's one set of test certificates, shared with the provider's tests.
        let pem = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/auth/app.crt"
        ))
        .unwrap();
        let key = cert_key(&pem).unwrap();
        let forged = jwt(
            serde_json::json!({"alg": "RS256", "x5t#S256": key.thumbprint_s256}),
            serde_json::json!({"iss": "x", "sub": "x"}),
        );
        let certs = [pem];
        let err = verify(&forged, &app(&certs), "/t/oauth2/v2.0/token").unwrap_err();
        assert!(code(err).contains("did not match"));
    }

    #[test]
    fn federated_tokens_need_a_matching_record() {
        let token = jwt(
            serde_json::json!({"alg": "RS256"}),
            serde_json::json!({"iss": "https://issuer", "sub": "repo:x", "aud": "api://AzureADTokenExchange"}),
        );
        let err = verify(&token, &app(&[]), "/t/oauth2/v2.0/token").unwrap_err();
        let text = code(err);
        assert!(text.contains("70021") && text.contains("repo:x"), "{text}");
    }
}
