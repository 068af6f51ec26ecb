//! The login service (OAuth2 client credentials) and the bearer check of the APIs.
//!
//! Tokens are JWT-shaped, as Entra's app-only tokens are (contract section 8): a header, claims
//! (`aud`, `tid`, `appid`, `exp`, and from the seed `roles`, the Graph permissions granted, and
//! `wids`, the directory roles held) and a random third part that is not a signature. The claims
//! are there for clients that explain what is missing (`doctor`); what a token means to the
//! emulator stays in the server's state ([`IssuedToken`]), looked up by the whole token, so a
//! client that edits the claims gets nothing. A token binds every request to one tenant: the tenant
//! is never taken from the URL of an API call.
//!
//! The token endpoint checks in the order Entra ID does, and answers with the same `AADSTS` codes,
//! because the client surfaces those codes to users:
//!
//! | failure                               | status | `error`                  | AADSTS    |
//! |---------------------------------------|--------|--------------------------|-----------|
//! | tenant id/domain unknown              | 400    | `invalid_request`        | 90002     |
//! | a required parameter missing          | 400    | `invalid_request`        | 900144    |
//! | `grant_type` not `client_credentials` | 400    | `unsupported_grant_type` | 70003     |
//! | app not in the tenant                 | 400    | `unauthorized_client`    | 700016    |
//! | no secret nor assertion               | 401    | `invalid_client`         | 7000216   |
//! | assertion fails (see [`assertions`])  | 401    | `invalid_client`         | 700027, 700024, 70021, ... |
//! | wrong secret                          | 401    | `invalid_client`         | 7000215   |
//! | scope not Graph's nor Teams' `.default` | 400  | `invalid_scope`          | 70011     |
//!
//! The bearer check answers 401 for a missing, unknown or expired token and for a token of the
//! other API ("invalid audience"), and 403 when an app without the Teams Administrator role calls
//! the Teams API — the one failure the contract says must name the missing role — and when a Graph
//! call needs an application permission the app was not granted ([`graph_permission_for`]). Role
//! and permissions are read from the current state at each call, so a test can grant or revoke
//! them without new tokens.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::Rng;
use serde_json::json;

use super::assertions::{self, AppCredentials};
use super::error::{AadError, GraphError, TeamsError};
use super::frontdoor::{RequestCtx, Service, Who};
use super::state::{now_unix_ms, Audience, IssuedToken, PersistError};
use super::AppState;

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The authenticated caller of an API request, attached to the request by the front door.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub tenant_id: String,
    pub client_id: String,
}

/// A refused API request: why, and, when the token was known, whose it was. The front door renders
/// it in the shape of the service that was called.
#[derive(Debug)]
pub struct Rejected {
    pub status: StatusCode,
    pub message: String,
    pub who: Who,
}

impl Rejected {
    pub fn render(self, ctx: &RequestCtx) -> Response {
        let forbidden = self.status == StatusCode::FORBIDDEN;
        match ctx.service {
            Service::Graph => {
                let code = if forbidden {
                    "Authorization_RequestDenied"
                } else {
                    "InvalidAuthenticationToken"
                };
                GraphError::new(self.status, code, self.message, ctx).into_response()
            }
            _ if forbidden => TeamsError::forbidden(self.message).into_response(),
            _ => TeamsError::unauthorized(self.message).into_response(),
        }
    }
}

/// `POST /{tenant}/oauth2/v2.0/token`.
pub async fn token(
    State(app): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    Path(tenant_ref): Path<String>,
    body: Bytes,
) -> Response {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let mut who = Who::default();
    let result = issue(&app, &tenant_ref, &field, &mut who);
    let mut response = match result {
        Ok(body) => {
            let mut r = Json(body).into_response();
            // Tokens must not be cached by intermediaries, as with the real endpoint.
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => e.render(&ctx),
    };
    response.extensions_mut().insert(who);
    response
}

fn issue<'a>(
    app: &AppState,
    tenant_ref: &str,
    field: &dyn Fn(&str) -> Option<&'a str>,
    who: &mut Who,
) -> Result<serde_json::Value, AadError> {
    let mut store = app.store();
    let state = store.state();
    let Some(tenant) = state.tenant_by_ref(tenant_ref) else {
        return Err(AadError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            format!(
                "Tenant '{tenant_ref}' not found. Check to make sure you have the correct tenant ID \
                 and are signing into the correct cloud."
            ),
        ));
    };
    who.tenant_id = Some(tenant.tenant_id.clone());
    let required = |name: &str| {
        field(name).filter(|v| !v.is_empty()).ok_or_else(|| {
            AadError::new(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                900144,
                format!("The request body must contain the following parameter: '{name}'."),
            )
        })
    };

    let grant_type = required("grant_type")?;
    if grant_type != "client_credentials" {
        return Err(AadError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            format!(
                "The app requested an unsupported grant type '{grant_type}'; this emulator \
                 supports 'client_credentials' only."
            ),
        ));
    }

    let client_id = required("client_id")?;
    who.client_id = Some(client_id.to_string());
    let Some(app_reg) = tenant
        .apps
        .iter()
        .find(|a| a.client_id.eq_ignore_ascii_case(client_id))
    else {
        return Err(AadError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory '{}'. \
                 This can happen if the application has not been installed by the administrator \
                 of the tenant or consented to by any user in the tenant. You may have sent your \
                 authentication request to the wrong tenant.",
                tenant.domain
            ),
        ));
    };
    who.client_id = Some(app_reg.client_id.clone());

    match (
        field("client_secret").filter(|s| !s.is_empty()),
        field("client_assertion").filter(|s| !s.is_empty()),
    ) {
        (Some(secret), _)
            if !app_reg.client_secret.is_empty() && secret == app_reg.client_secret => {}
        (Some(_), _) => {
            return Err(AadError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7000215,
                format!(
                "Invalid client secret provided. Ensure the secret being sent in the request is \
                     the client secret value, not the client secret ID, for a secret added to app \
                     '{}'.",
                app_reg.client_id
            ),
            ))
        }
        (None, Some(assertion)) => {
            let assertion_type = field("client_assertion_type").unwrap_or_default();
            if assertion_type != JWT_BEARER {
                return Err(AadError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    900144,
                    format!("The request body must contain the following parameter: 'client_assertion_type' = '{JWT_BEARER}'."),
                ));
            }
            assertions::verify(
                assertion,
                &AppCredentials {
                    client_id: &app_reg.client_id,
                    certificates: &app_reg.certificates,
                    federated: &app_reg.federated_credentials,
                },
                &format!("/{tenant_ref}/oauth2/v2.0/token"),
            )?;
        }
        (None, None) => {
            return Err(AadError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                7000216,
                "'client_assertion', 'client_secret' or 'request' is required for the \
                 'client_credentials' grant type.",
            ))
        }
    }

    let scope = required("scope")?;
    let Some(audience) = Audience::from_scope(scope) else {
        return Err(AadError::new(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            70011,
            format!(
                "The provided request must include a 'scope' input parameter. The provided value \
                 for the input parameter 'scope' is not valid. The scope '{scope}' is not valid: \
                 use '{}' or '{}'.",
                Audience::Graph.scope(),
                Audience::Teams.scope()
            ),
        ));
    };

    let lifetime = state.settings.token_lifetime_seconds;
    let grant = IssuedToken {
        tenant_id: tenant.tenant_id.clone(),
        client_id: app_reg.client_id.clone(),
        audience,
        expires_at_unix_ms: now_unix_ms().saturating_add(lifetime.saturating_mul(1000)),
    };
    let access_token = new_token(&token_claims(&grant, app_reg));
    store
        .mutate(|s| -> Result<(), PersistError> {
            let now = now_unix_ms();
            // Expired tokens are dropped here, the only place tokens are added.
            s.tokens.retain(|_, t| !t.expired(now));
            s.tokens.insert(access_token.clone(), grant);
            Ok(())
        })
        .map_err(|e| {
            AadError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                50000,
                format!("The emulator could not save the token: {e}"),
            )
        })?;
    Ok(json!({
        "token_type": "Bearer",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": access_token,
    }))
}

/// The claims of a token for `grant`, as Entra writes them for an app-only token: `roles` (the
/// Graph permissions, on Graph tokens only) and `wids` (directory role template ids) left out when
/// empty, as Entra does.
fn token_claims(grant: &IssuedToken, app: &super::state::App) -> serde_json::Value {
    let now = now_unix_ms() / 1000;
    let mut claims = json!({
        "aud": match grant.audience {
            Audience::Graph => "https://graph.microsoft.com",
            Audience::Teams => "48ac35b8-9aa8-4d74-927d-1f4a14a0b239",
        },
        "iss": format!("https://sts.windows.net/{}/", grant.tenant_id),
        "iat": now,
        "nbf": now,
        "exp": grant.expires_at_unix_ms / 1000,
        "appid": grant.client_id,
        "idtyp": "app",
        "tid": grant.tenant_id,
    });
    let roles = app.graph_roles();
    if grant.audience == Audience::Graph && !roles.is_empty() {
        claims["roles"] = json!(roles);
    }
    let wids = app.directory_roles();
    if !wids.is_empty() {
        claims["wids"] = json!(wids);
    }
    claims
}

/// A JWT-shaped token carrying `claims`: the third part is 256 random bits, which also makes every
/// token distinct. It is not a signature; clients never check one (contract section 8).
fn new_token(claims: &serde_json::Value) -> String {
    let header = json!({"typ": "JWT", "alg": "RS256", "kid": "emulator"});
    let random: [u8; 32] = rand::thread_rng().gen();
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(random)
    )
}

/// The Graph application permission a call needs, and the lesser one that also allows it when the
/// call only reads (contract: Authentication). `None`: no permission checked.
pub fn graph_permission_for(
    method: &Method,
    path: &str,
) -> Option<(&'static str, Option<&'static str>)> {
    let read = method == Method::GET;
    let rules: [(&str, &'static str, Option<&'static str>); 4] = [
        (
            "/v1.0/admin/teams/telephoneNumberManagement",
            "TeamsTelephoneNumber.ReadWrite.All",
            Some("TeamsTelephoneNumber.Read.All"),
        ),
        (
            "/v1.0/admin/teams/policy",
            "TeamsPolicyUserAssign.ReadWrite.All",
            None,
        ),
        (
            "/v1.0/admin/teams/userConfigurations",
            "TeamsUserConfiguration.Read.All",
            None,
        ),
        ("/v1.0/users", "User.ReadWrite.All", Some("User.Read.All")),
    ];
    rules
        .into_iter()
        .find(|(prefix, _, _)| path.starts_with(prefix))
        .map(|(_, needed, lesser)| (needed, lesser.filter(|_| read)))
}

/// Checks the bearer token of a Teams or Graph request.
pub fn authenticate(
    app: &AppState,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    ctx: &RequestCtx,
) -> Result<Caller, Rejected> {
    let needed = match ctx.service {
        Service::Graph => Audience::Graph,
        _ => Audience::Teams,
    };
    let api = match needed {
        Audience::Graph => "Microsoft Graph",
        Audience::Teams => "the Teams admin API",
    };
    let reject = |status: StatusCode, message: String, who: Who| Rejected {
        status,
        message,
        who,
    };
    let unauthorized = |message: String| reject(StatusCode::UNAUTHORIZED, message, Who::default());

    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(unauthorized(format!(
            "Authentication failed: the request has no Authorization header; {api} needs \
             'Authorization: Bearer <access token>'."
        )));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(unauthorized(
            "Authentication failed: the Authorization header must be 'Bearer <access token>'."
                .to_string(),
        ));
    };

    let store = app.store();
    let state = store.state();
    let Some(grant) = state.tokens.get(token) else {
        return Err(unauthorized(
            "Authentication failed: the access token is not valid (this emulator did not issue \
             it, or it was discarded)."
                .to_string(),
        ));
    };
    let who = Who {
        tenant_id: Some(grant.tenant_id.clone()),
        client_id: Some(grant.client_id.clone()),
    };
    if grant.expired(now_unix_ms()) {
        return Err(reject(
            StatusCode::UNAUTHORIZED,
            "Authentication failed: lifetime validation failed, the access token is expired; \
             request a new one."
                .to_string(),
            who,
        ));
    }
    if grant.audience != needed {
        return Err(reject(
            StatusCode::UNAUTHORIZED,
            format!(
                "Authentication failed: invalid audience. The access token was issued for scope \
                 '{}', but {api} needs a token for scope '{}'.",
                grant.audience.scope(),
                needed.scope()
            ),
            who,
        ));
    }
    let app_reg = state
        .tenant(&grant.tenant_id)
        .and_then(|t| t.apps.iter().find(|a| a.client_id == grant.client_id));
    let Some(app_reg) = app_reg else {
        return Err(reject(
            StatusCode::UNAUTHORIZED,
            "Authentication failed: the application this token was issued to no longer exists."
                .to_string(),
            who,
        ));
    };
    if needed == Audience::Teams && !app_reg.teams_administrator {
        return Err(reject(
            StatusCode::FORBIDDEN,
            format!(
                "Access denied: application '{}' does not hold the Teams Administrator directory \
                 role in tenant '{}'. The Teams admin API needs that role (not an API permission); \
                 assign Teams Administrator to the app's service principal.",
                grant.client_id, grant.tenant_id
            ),
            who,
        ));
    }
    if needed == Audience::Graph {
        if let Some((permission, lesser)) = graph_permission_for(method, path) {
            let granted = app_reg.graph_roles();
            let holds = |p: &str| granted.iter().any(|g| g.eq_ignore_ascii_case(p));
            if !holds(permission) && !lesser.is_some_and(holds) {
                return Err(reject(
                    StatusCode::FORBIDDEN,
                    format!(
                        "Insufficient privileges to complete the operation. Application '{}' \
                         lacks the application permission {permission}.",
                        grant.client_id
                    ),
                    who,
                ));
            }
        }
    }
    Ok(Caller {
        tenant_id: grant.tenant_id.clone(),
        client_id: grant.client_id.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(
        teams_administrator: bool,
        graph_permissions: Option<Vec<String>>,
    ) -> super::super::state::App {
        super::super::state::App {
            client_id: "c".into(),
            client_secret: "s".into(),
            certificates: vec![],
            federated_credentials: vec![],
            teams_administrator,
            graph_permissions,
        }
    }

    fn claims_of(token: &str) -> serde_json::Value {
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "{token}");
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
    }

    #[test]
    fn tokens_are_jwt_shaped_distinct_and_carry_roles_and_wids() {
        let grant = |audience| IssuedToken {
            tenant_id: "t".into(),
            client_id: "c".into(),
            audience,
            expires_at_unix_ms: 4_000_000_000_000,
        };
        let full = app(true, None);
        let claims = token_claims(&grant(Audience::Graph), &full);
        let (a, b) = (new_token(&claims), new_token(&claims));
        assert_ne!(a, b);
        let read = claims_of(&a);
        assert_eq!(read["tid"], "t");
        assert_eq!(read["exp"], 4_000_000_000u64);
        assert_eq!(read["roles"].as_array().unwrap().len(), 4);
        assert_eq!(
            read["wids"][0],
            teamsphone_contract::TEAMS_ADMINISTRATOR_ROLE_ID
        );
        // Teams tokens carry no Graph roles; an app without the role carries no wids.
        let lacking = app(false, Some(vec!["User.ReadWrite.All".into()]));
        let teams = claims_of(&new_token(&token_claims(&grant(Audience::Teams), &lacking)));
        assert!(
            teams.get("roles").is_none() && teams.get("wids").is_none(),
            "{teams}"
        );
        let graph = claims_of(&new_token(&token_claims(&grant(Audience::Graph), &lacking)));
        assert_eq!(graph["roles"], json!(["User.ReadWrite.All"]));
    }

    #[test]
    fn graph_calls_map_to_the_permissions_they_need() {
        assert_eq!(
            graph_permission_for(&Method::GET, "/v1.0/users/x"),
            Some(("User.ReadWrite.All", Some("User.Read.All")))
        );
        assert_eq!(
            graph_permission_for(&Method::PATCH, "/v1.0/users/x"),
            Some(("User.ReadWrite.All", None))
        );
        assert_eq!(
            graph_permission_for(&Method::GET, "/v1.0/admin/teams/userConfigurations"),
            Some(("TeamsUserConfiguration.Read.All", None))
        );
        assert_eq!(
            graph_permission_for(&Method::GET, "/v1.0/organization"),
            None
        );
    }

    #[test]
    fn scopes_map_to_audiences() {
        assert_eq!(
            Audience::from_scope(teamsphone_contract::TEAMS_SCOPE),
            Some(Audience::Teams)
        );
        assert_eq!(
            Audience::from_scope(teamsphone_contract::GRAPH_SCOPE),
            Some(Audience::Graph)
        );
        assert_eq!(
            Audience::from_scope("https://graph.microsoft.com/User.Read"),
            None
        );
    }
}
