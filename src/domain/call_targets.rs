//! Where a voice application sends a call: the target kinds an admin writes (`user`,
//! `resource_account`, `external_pstn`, `shared_voicemail`, `operator`) and what each needs as `id`.
//!
//! Auto attendants and call queues both forward calls to targets, so the kinds and their rules live
//! here once. Directory objects (users, resource accounts, groups for shared voicemail) are named by
//! object id; an external number is written `tel:+E.164` (checked through [`crate::domain::phone`]);
//! `operator` means "the auto attendant's operator" and takes no id. How each kind is spelled on the
//! wire is the client's business, not this module's.

use super::phone::{same_number, TelephoneNumber};
use super::text::is_guid;

/// A kind of call target, as configurations spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    User,
    ResourceAccount,
    ExternalPstn,
    SharedVoicemail,
    Operator,
}

impl TargetKind {
    pub const ALL: [TargetKind; 5] = [
        TargetKind::User,
        TargetKind::ResourceAccount,
        TargetKind::ExternalPstn,
        TargetKind::SharedVoicemail,
        TargetKind::Operator,
    ];

    /// The configuration's spelling.
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::User => "user",
            TargetKind::ResourceAccount => "resource_account",
            TargetKind::ExternalPstn => "external_pstn",
            TargetKind::SharedVoicemail => "shared_voicemail",
            TargetKind::Operator => "operator",
        }
    }

    /// Parses the configuration's spelling, exactly.
    pub fn parse(text: &str) -> Result<TargetKind, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "{text:?} is not a call target type; use one of: {}",
                    names.join(", ")
                )
            })
    }

    /// Whether a target of this kind is named by a directory object id.
    pub fn takes_object_id(self) -> bool {
        matches!(
            self,
            TargetKind::User | TargetKind::ResourceAccount | TargetKind::SharedVoicemail
        )
    }
}

/// Checks the `id` a target of `kind` needs: an object id (GUID), `tel:+E.164`, or none for the
/// operator. The message says what to write.
pub fn validate_target_id(kind: TargetKind, id: Option<&str>) -> Result<(), String> {
    match (kind, id) {
        (TargetKind::Operator, None) => Ok(()),
        (TargetKind::Operator, Some(_)) => Err(
            "a target of type \"operator\" takes no id (it is the auto attendant's operator)"
                .into(),
        ),
        (kind, None) => Err(format!("a target of type {:?} needs an id", kind.name())),
        (TargetKind::ExternalPstn, Some(id)) => external_number(id).map(|_| ()),
        (kind, Some(id)) if is_guid(id) => {
            debug_assert!(kind.takes_object_id());
            Ok(())
        }
        (kind, Some(id)) => Err(format!(
            "{id:?} is not an object id; a target of type {:?} is named by its {} (a GUID)",
            kind.name(),
            match kind {
                TargetKind::SharedVoicemail => "Microsoft 365 group's object id",
                TargetKind::ResourceAccount => "resource account's object id",
                _ => "user's object id",
            }
        )),
    }
}

/// The canonical `tel:+E.164` spelling of an external number written `tel:+...`.
pub fn external_number(id: &str) -> Result<String, String> {
    let Some(number) = id.trim().strip_prefix("tel:") else {
        return Err(format!(
            "{id:?} is not an external number; write it as tel:+E.164, for example tel:+12065550100"
        ));
    };
    let parsed = TelephoneNumber::parse(number).map_err(|e| e.to_string())?;
    Ok(format!("tel:{}", parsed.canonical()))
}

/// Whether two ids of a target of `kind` name the same thing: object ids ignore case, numbers
/// compare as numbers (with or without `tel:`).
pub fn same_target_id(kind: TargetKind, a: &str, b: &str) -> bool {
    match kind {
        TargetKind::ExternalPstn => {
            let strip = |s: &str| s.trim().trim_start_matches("tel:").to_string();
            same_number(&strip(a), &strip(b))
        }
        _ => a.eq_ignore_ascii_case(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "11111111-2222-3333-4444-555555555555";

    #[test]
    fn kinds_round_trip_and_unknown_ones_list_the_choices() {
        for kind in TargetKind::ALL {
            assert_eq!(TargetKind::parse(kind.name()), Ok(kind));
        }
        let e = TargetKind::parse("User").unwrap_err();
        assert!(e.contains("user, resource_account, external_pstn"), "{e}");
    }

    #[test]
    fn each_kind_needs_its_own_id() {
        assert!(validate_target_id(TargetKind::User, Some(ID)).is_ok());
        assert!(validate_target_id(TargetKind::SharedVoicemail, Some("x"))
            .unwrap_err()
            .contains("group"));
        assert!(validate_target_id(TargetKind::ResourceAccount, None)
            .unwrap_err()
            .contains("needs an id"));
        assert!(validate_target_id(TargetKind::Operator, None).is_ok());
        assert!(validate_target_id(TargetKind::Operator, Some(ID)).is_err());
        assert!(validate_target_id(TargetKind::ExternalPstn, Some("tel:+12065550100")).is_ok());
        let e = validate_target_id(TargetKind::ExternalPstn, Some("+12065550100")).unwrap_err();
        assert!(e.contains("tel:+E.164"), "{e}");
        assert!(validate_target_id(TargetKind::ExternalPstn, Some("tel:+1206")).is_err());
    }

    #[test]
    fn numbers_and_ids_compare_by_meaning() {
        assert_eq!(
            external_number("tel:+1 (206) 555-0100").unwrap(),
            "tel:+12065550100"
        );
        assert!(same_target_id(
            TargetKind::ExternalPstn,
            "tel:+1 206 555 0100",
            "tel:+12065550100"
        ));
        assert!(same_target_id(TargetKind::User, ID, &ID.to_uppercase()));
        assert!(!same_target_id(TargetKind::User, ID, "other"));
    }
}
