//! The `doctor` verdict: from what sign-in, the tokens' claims and the probes showed, what is
//! granted, what each resource type needs, and whether the provider is ready. Pure, so every
//! verdict is unit-tested without a server; [`render`] turns it into text for people, and the
//! report serialises as it is for `--json`.
//!
//! Evidence is weighed in this order: an API that answered 403 proves a grant missing, whatever a
//! token says; then the token's claims (`roles`, `wids`); then an API that answered proves the
//! grant it needs. What none of these shows is `unknown`, reported but not failed: a preflight
//! that fails on what it cannot see would be ignored.

use serde::Serialize;

use super::claims::{grants, Claims};
use crate::client::http::error::{Permission, Service};
use crate::client::probe::Probe;
use crate::provider::registry;
use teamsphone_contract::{GRAPH_PERMISSIONS, TEAMS_ADMINISTRATOR_ROLE_ID};

/// The directory role the Teams admin API needs, as reports name it.
pub const TEAMS_ADMINISTRATOR: &str = "Teams Administrator (directory role)";

/// What each resource type needs: Graph permissions, and whether the Teams Administrator role
/// (docs/index.md, "What each type needs", says the same).
pub const NEEDS: [(&str, &[&str], bool); 10] = [
    (
        registry::SHARED_CALLING_POLICY,
        &["TeamsUserConfiguration.Read.All"],
        true,
    ),
    (registry::RESOURCE_ACCOUNT, &["User.ReadWrite.All"], true),
    (
        registry::PHONE_NUMBER_ASSIGNMENT,
        &["TeamsTelephoneNumber.ReadWrite.All"],
        false,
    ),
    (
        registry::USER_POLICY_ASSIGNMENT,
        &[
            "TeamsPolicyUserAssign.ReadWrite.All",
            "TeamsUserConfiguration.Read.All",
            "User.Read.All",
        ],
        false,
    ),
    (
        registry::POLICY_ASSIGNMENT_SET,
        &[
            "TeamsPolicyUserAssign.ReadWrite.All",
            "TeamsUserConfiguration.Read.All",
            "User.Read.All",
        ],
        false,
    ),
    (registry::GROUP_POLICY_ASSIGNMENT, &[], true),
    (
        registry::ENTERPRISE_VOICE_USERS,
        &["TeamsUserConfiguration.Read.All", "User.Read.All"],
        true,
    ),
    // Its delete counts the users still granted it, as the shared calling policy's does.
    (
        registry::EMERGENCY_CALL_ROUTING_POLICY,
        &["TeamsUserConfiguration.Read.All"],
        true,
    ),
    (registry::RESOURCE_ACCOUNT_ASSOCIATION, &[], true),
    (registry::CALL_QUEUE, &[], true),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Granted,
    Missing,
    Unknown,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignIn {
    pub api: &'static str,
    pub ok: bool,
    /// The sign-in error, or what the token's claims showed.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    pub name: String,
    pub status: Status,
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeVerdict {
    pub type_name: &'static str,
    pub needs: Vec<String>,
    pub missing: Vec<String>,
    pub unknown: Vec<String>,
    pub ready: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Read {
    pub what: &'static str,
    pub call: &'static str,
    pub service: String,
    pub status: Option<u16>,
    pub elapsed_ms: u64,
    pub shape: Option<&'static str>,
    pub decodes: bool,
    pub items: Option<usize>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub tenant_id: String,
    pub client_id: String,
    pub sign_in_method: &'static str,
    pub sign_in: Vec<SignIn>,
    pub grants: Vec<Grant>,
    pub resource_types: Vec<TypeVerdict>,
    pub reads: Vec<Read>,
    /// Everything needed works: exit code 0.
    pub ready: bool,
    /// What is not, one sentence each.
    pub problems: Vec<String>,
}

/// What a sign-in gave: the token's claims, or the error.
pub type SignInResult = Result<Claims, String>;

/// Who is asking, for the report's head.
pub struct Identity {
    pub tenant_id: String,
    pub client_id: String,
    pub method: &'static str,
}

fn sign_in(api: &'static str, result: &SignInResult) -> SignIn {
    let detail = match result {
        Err(e) => e.clone(),
        Ok(Claims::Unreadable(why)) => {
            format!("signed in; the token is not a readable JWT ({why}), so grants are judged by the API's answers")
        }
        Ok(Claims::Read { roles, wids }) => format!(
            "signed in; token roles: {}; wids: {}",
            if roles.is_empty() {
                "none".to_string()
            } else {
                roles.join(", ")
            },
            match wids {
                None => "absent".to_string(),
                Some(w) if w.is_empty() => "none".to_string(),
                Some(w) => w.join(", "),
            }
        ),
    };
    SignIn {
        api,
        ok: result.is_ok(),
        detail,
    }
}

fn answered(p: &Probe) -> bool {
    p.status.is_some_and(|s| (200..300).contains(&s))
}

fn graph_grant(permission: &str, graph: &SignInResult, probes: &[Probe]) -> Grant {
    let relevant: Vec<&Probe> = probes
        .iter()
        .filter(|p| {
            matches!(p.needs, Permission::Graph(n) if n == permission || grants(&[n.to_string()], permission))
        })
        .collect();
    let (status, evidence) = if let Some(p) = relevant.iter().find(|p| p.status == Some(403)) {
        (Status::Missing, format!("{} answered 403", p.call))
    } else {
        match graph {
            Err(_) => (Status::Unknown, "the Graph sign-in failed".to_string()),
            Ok(Claims::Read { roles, .. }) if grants(roles, permission) => {
                (Status::Granted, "in the Graph token's roles".to_string())
            }
            Ok(Claims::Read { .. }) => (
                Status::Missing,
                "not in the Graph token's roles (grant it and give admin consent)".to_string(),
            ),
            Ok(Claims::Unreadable(_)) => match relevant.iter().find(|p| answered(p)) {
                Some(p) => (Status::Granted, format!("{} answered", p.call)),
                None => (
                    Status::Unknown,
                    "the token is unreadable and no read shows it".into(),
                ),
            },
        }
    };
    Grant {
        name: permission.to_string(),
        status,
        evidence,
    }
}

fn teams_grant(graph: &SignInResult, teams: &SignInResult, probes: &[Probe]) -> Grant {
    let teams_probes: Vec<&Probe> = probes
        .iter()
        .filter(|p| p.needs == Permission::TeamsAdministrator)
        .collect();
    let wids: Vec<&Vec<String>> = [graph, teams]
        .into_iter()
        .filter_map(|r| match r {
            Ok(Claims::Read { wids: Some(w), .. }) => Some(w),
            _ => None,
        })
        .collect();
    let in_wids = wids.iter().any(|w| {
        w.iter()
            .any(|id| id.eq_ignore_ascii_case(TEAMS_ADMINISTRATOR_ROLE_ID))
    });
    let (status, evidence) = if let Some(p) = teams_probes.iter().find(|p| p.status == Some(403)) {
        (Status::Missing, format!("{} answered 403", p.call))
    } else if in_wids {
        (Status::Granted, "in the token's wids".to_string())
    } else if let Some(p) = teams_probes.iter().find(|p| answered(p)) {
        (Status::Granted, format!("{} answered", p.call))
    } else if !wids.is_empty() {
        (
            Status::Missing,
            "not in the token's wids (assign the role to the app's service principal)".into(),
        )
    } else {
        (
            Status::Unknown,
            "no token lists wids and no Teams read answered".into(),
        )
    };
    Grant {
        name: TEAMS_ADMINISTRATOR.to_string(),
        status,
        evidence,
    }
}

fn read(p: &Probe) -> Read {
    Read {
        what: p.what,
        call: p.call,
        service: p.service.to_string(),
        status: p.status,
        elapsed_ms: p.elapsed.as_millis() as u64,
        shape: p.shape.map(|s| s.describe()),
        decodes: p.outcome.is_ok(),
        items: p.outcome.as_ref().ok().copied(),
        error: p.outcome.as_ref().err().cloned(),
    }
}

/// The verdict from what was seen.
pub fn evaluate(
    who: Identity,
    graph: &SignInResult,
    teams: &SignInResult,
    probes: &[Probe],
) -> Report {
    let mut names: Vec<&str> = GRAPH_PERMISSIONS.to_vec();
    for (_, needs, _) in NEEDS {
        for n in needs {
            if !names.contains(n) {
                names.push(n);
            }
        }
    }
    let mut grants_seen: Vec<Grant> = names
        .iter()
        .map(|p| graph_grant(p, graph, probes))
        .collect();
    grants_seen.push(teams_grant(graph, teams, probes));
    let status_of = |name: &str| {
        grants_seen
            .iter()
            .find(|g| g.name == name)
            .map_or(Status::Unknown, |g| g.status)
    };
    let resource_types: Vec<TypeVerdict> = NEEDS
        .iter()
        .map(|(type_name, needs, teams_admin)| {
            let mut all: Vec<String> = needs.iter().map(|s| s.to_string()).collect();
            if *teams_admin {
                all.push(TEAMS_ADMINISTRATOR.to_string());
            }
            let with = |s: Status| -> Vec<String> {
                all.iter().filter(|n| status_of(n) == s).cloned().collect()
            };
            let missing = with(Status::Missing);
            TypeVerdict {
                type_name,
                ready: missing.is_empty(),
                unknown: with(Status::Unknown),
                missing,
                needs: all,
            }
        })
        .collect();
    let mut problems = Vec::new();
    for (api, result) in [("Microsoft Graph", graph), ("the Teams admin API", teams)] {
        if let Err(e) = result {
            problems.push(format!("signing in for {api} failed: {e}"));
        }
    }
    for g in grants_seen.iter().filter(|g| g.status == Status::Missing) {
        problems.push(format!("{} is missing: {}", g.name, g.evidence));
    }
    for p in probes {
        if let Err(e) = &p.outcome {
            problems.push(format!("reading {} ({}) failed: {e}", p.what, p.call));
        }
    }
    Report {
        tenant_id: who.tenant_id,
        client_id: who.client_id,
        sign_in_method: who.method,
        sign_in: vec![
            sign_in(service_name(Service::Graph), graph),
            sign_in(service_name(Service::Teams), teams),
        ],
        grants: grants_seen,
        resource_types,
        reads: probes.iter().map(read).collect(),
        ready: problems.is_empty(),
        problems,
    }
}

fn service_name(service: Service) -> &'static str {
    match service {
        Service::Graph => "Microsoft Graph",
        Service::Teams => "Teams admin API",
        Service::Login => "Microsoft Entra sign-in",
    }
}

/// The report as text for people.
pub fn render(r: &Report) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "teamsphone doctor: tenant {}, app {}, signing in with {}\n\nSign-in",
        r.tenant_id, r.client_id, r.sign_in_method
    );
    for s in &r.sign_in {
        let mark = if s.ok { "ok" } else { "FAILED" };
        let _ = writeln!(out, "  {:<16} {:<7} {}", s.api, mark, s.detail);
    }
    let _ = writeln!(out, "\nPermissions and role");
    for g in &r.grants {
        let mark = match g.status {
            Status::Granted => "granted",
            Status::Missing => "MISSING",
            Status::Unknown => "unknown",
        };
        let _ = writeln!(out, "  {:<38} {:<8} {}", g.name, mark, g.evidence);
    }
    let _ = writeln!(out, "\nResource types");
    for t in &r.resource_types {
        let verdict = if !t.ready {
            format!("NOT READY, missing {}", t.missing.join(", "))
        } else if !t.unknown.is_empty() {
            format!("unverified: {}", t.unknown.join(", "))
        } else {
            "ready".to_string()
        };
        let _ = writeln!(out, "  {:<38} {verdict}", t.type_name);
        let _ = writeln!(out, "      needs {}", t.needs.join(", "));
    }
    let _ = writeln!(out, "\nReads (one smallest page each)");
    for c in &r.reads {
        let status = c.status.map_or("---".to_string(), |s| s.to_string());
        let result = match (&c.error, c.items) {
            (None, Some(n)) => format!("decodes ({n} item{})", if n == 1 { "" } else { "s" }),
            (Some(e), _) => format!("FAILED: {e}"),
            _ => "decodes".to_string(),
        };
        let _ = writeln!(
            out,
            "  {:<40} {status:>3} {:>6} ms  {:<16} {result}",
            c.call,
            c.elapsed_ms,
            c.shape.unwrap_or("-"),
        );
    }
    if r.ready {
        let _ = writeln!(out, "\nReady: everything the provider needs works.");
    } else {
        let _ = writeln!(out, "\nNot ready:");
        for p in &r.problems {
            let _ = writeln!(out, "  - {p}");
        }
    }
    out
}

#[cfg(test)]
mod tests;
