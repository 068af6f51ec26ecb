//! Client assertions: the signed JWT an app presents instead of a client secret.
//!
//! Certificate sign-in sends an RS256 JWT signed with the app's private key, whose header names the
//! certificate by its SHA-256 thumbprint (`x5t#S256`) so Entra can pick the registered public key. The
//! certificate and key come from one file, PEM (certificate plus unencrypted key) or PKCS#12 (with its
//! password). Each token request gets a fresh assertion, valid for ten minutes, with a unique `jti`.
//! Workload identity federation needs no signing: the federated token read from a file is the assertion.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rustls_pemfile::Item;
use serde_json::json;

use super::Secret;

/// How long an assertion is valid; Entra accepts up to an hour, less limits replay.
const ASSERTION_LIFETIME: Duration = Duration::from_secs(600);

/// An app certificate with its private key, ready to sign assertions.
pub struct ClientCertificate {
    key: RsaKeyPair,
    /// Base64url SHA-256 of the certificate's DER encoding.
    thumbprint_s256: String,
    path: PathBuf,
}

impl std::fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("path", &self.path)
            .field("x5t#S256", &self.thumbprint_s256)
            .finish_non_exhaustive()
    }
}

/// Why a certificate file could not be used; the text names the file, never the password.
#[derive(Debug, thiserror::Error)]
#[error("client certificate {path}: {problem}")]
pub struct CertificateError {
    pub path: String,
    pub problem: String,
}

impl ClientCertificate {
    /// Loads a PEM or PKCS#12 file; the password is for PKCS#12 only.
    pub fn load(path: &Path, password: Option<&Secret>) -> Result<Self, CertificateError> {
        let fail = |problem: String| CertificateError {
            path: path.display().to_string(),
            problem,
        };
        let data = std::fs::read(path).map_err(|e| fail(format!("cannot be read: {e}")))?;
        let (cert_der, key_der) = if data.windows(11).any(|w| w == b"-----BEGIN ") {
            from_pem(&data).map_err(fail)?
        } else {
            from_pkcs12(&data, password.map(Secret::expose).unwrap_or("")).map_err(fail)?
        };
        let key = RsaKeyPair::from_pkcs8(&key_der)
            .or_else(|_| RsaKeyPair::from_der(&key_der))
            .map_err(|e| fail(format!("the private key is not a usable RSA key ({e})")))?;
        let digest = ring::digest::digest(&ring::digest::SHA256, &cert_der);
        Ok(ClientCertificate {
            key,
            thumbprint_s256: URL_SAFE_NO_PAD.encode(digest.as_ref()),
            path: path.to_path_buf(),
        })
    }

    pub fn thumbprint_s256(&self) -> &str {
        &self.thumbprint_s256
    }

    /// A signed assertion for `client_id` towards the token endpoint `audience`.
    pub fn assertion(&self, client_id: &str, audience: &str) -> Result<Secret, String> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let header = json!({"alg": "RS256", "typ": "JWT", "x5t#S256": self.thumbprint_s256});
        let claims = json!({
            "aud": audience,
            "iss": client_id,
            "sub": client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "nbf": now,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME.as_secs(),
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| "signing the client assertion failed".to_string())?;
        Ok(Secret::new(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        )))
    }
}

fn from_pem(data: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let mut cert = None;
    let mut key = None;
    let mut reader = std::io::BufReader::new(data);
    for item in rustls_pemfile::read_all(&mut reader) {
        match item.map_err(|e| format!("is not valid PEM: {e}"))? {
            Item::X509Certificate(der) if cert.is_none() => cert = Some(der.to_vec()),
            Item::Pkcs8Key(der) => key = Some(der.secret_pkcs8_der().to_vec()),
            Item::Pkcs1Key(der) => key = Some(der.secret_pkcs1_der().to_vec()),
            _ => {}
        }
    }
    if data
        .windows(29)
        .any(|w| w == b"BEGIN ENCRYPTED PRIVATE KEY--")
    {
        return Err("holds an encrypted PEM key, which is not supported: use PKCS#12 with client_certificate_password, or an unencrypted key".into());
    }
    match (cert, key) {
        (Some(cert), Some(key)) => Ok((cert, key)),
        (None, _) => Err("holds no certificate (expected -----BEGIN CERTIFICATE-----)".into()),
        (_, None) => Err(
            "holds no private key (expected -----BEGIN PRIVATE KEY----- or RSA PRIVATE KEY)".into(),
        ),
    }
}

fn from_pkcs12(data: &[u8], password: &str) -> Result<(Vec<u8>, Vec<u8>), String> {
    let store = p12_keystore::KeyStore::from_pkcs12(
        data,
        password,
        p12_keystore::Pkcs12ImportPolicy::Relaxed,
    )
    .map_err(|e| {
        format!(
            "is not a PKCS#12 file this password opens ({e}); check client_certificate_password"
        )
    })?;
    let (_, chain) = store
        .private_key_chain()
        .ok_or_else(|| "holds no private key with its certificate".to_string())?;
    let cert = chain
        .certs()
        .first()
        .ok_or_else(|| "holds a private key without its certificate".to_string())?;
    Ok((cert.as_der().to_vec(), chain.key().as_der().to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/auth")
            .join(name)
    }

    fn decode_part(jwt: &str, index: usize) -> serde_json::Value {
        let part = jwt.split('.').nth(index).unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn pem_and_pkcs12_give_the_same_certificate() {
        let pem = ClientCertificate::load(&fixture("app-cert.pem"), None).unwrap();
        let p12 = ClientCertificate::load(
            &fixture("app-cert.p12"),
            Some(&Secret::new("fixture-password")),
        )
        .unwrap();
        assert_eq!(pem.thumbprint_s256(), p12.thumbprint_s256());
        let other = ClientCertificate::load(&fixture("wrong-cert.pem"), None).unwrap();
        assert_ne!(pem.thumbprint_s256(), other.thumbprint_s256());
    }

    #[test]
    fn assertion_carries_the_claims_entra_checks() {
        let cert = ClientCertificate::load(&fixture("app-cert.pem"), None).unwrap();
        let jwt = cert
            .assertion("client-1", "https://login/t/oauth2/v2.0/token")
            .unwrap();
        let header = decode_part(jwt.expose(), 0);
        let claims = decode_part(jwt.expose(), 1);
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["x5t#S256"], cert.thumbprint_s256());
        assert_eq!(claims["iss"], "client-1");
        assert_eq!(claims["sub"], "client-1");
        assert_eq!(claims["aud"], "https://login/t/oauth2/v2.0/token");
        assert!(claims["exp"].as_u64().unwrap() > claims["nbf"].as_u64().unwrap());
        let again = cert.assertion("client-1", "a").unwrap();
        assert_ne!(decode_part(again.expose(), 1)["jti"], claims["jti"]);
    }

    #[test]
    fn wrong_password_and_missing_file_are_explained() {
        let err = ClientCertificate::load(&fixture("app-cert.p12"), Some(&Secret::new("nope")))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("check client_certificate_password"),
            "{err}"
        );
        assert!(!err.to_string().contains("nope"));
        let err = ClientCertificate::load(&fixture("missing.pem"), None).unwrap_err();
        assert!(err.to_string().contains("cannot be read"), "{err}");
        let err = ClientCertificate::load(&fixture("app.crt"), None).unwrap_err();
        assert!(err.to_string().contains("no private key"), "{err}");
    }
}
