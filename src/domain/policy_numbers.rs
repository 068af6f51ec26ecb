//! The number rules of a shared calling policy, checked before it is written.
//!
//! Microsoft documents three (contract section 1): the resource account's number must have an
//! emergency location; each emergency number must have the same number type and country as that
//! number; and each must be assigned to nobody (no user, no resource account, no other policy).
//! The service refuses a policy that breaks one, but only the first, and as an error on the whole
//! request. Checked here from the inventory first, every broken rule is named at once, on the
//! attribute to fix: the account's problems on `resource_account_id`, each number's on
//! `emergency_numbers`. Facts come in as [`NumberFacts`], so this knows nothing of Graph.

/// What the rule needs of one number of the tenant's inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberFacts<'a> {
    pub telephone_number: &'a str,
    /// Graph's `numberType` (`directRouting`, ...), compared case-insensitively.
    pub number_type: &'a str,
    pub country: &'a str,
    pub has_location: bool,
    pub activated: bool,
    /// `assignmentStatus`: `unassigned`, `userAssigned`, `policyAssigned`, ...
    pub status: &'a str,
    pub target: Option<&'a str>,
}

/// The attribute a problem belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyAttribute {
    ResourceAccount,
    EmergencyNumbers,
}

/// Every broken rule, each with its attribute and a sentence naming the number. `account_numbers`
/// are the numbers the resource account holds; `emergency` pairs each emergency number as written
/// with what the inventory shows of it (`None`: not in the tenant). `policy_identity` is the
/// policy's own id (`Tag:<name>`): its own emergency numbers show as assigned to it.
pub fn policy_number_problems(
    account_numbers: &[NumberFacts<'_>],
    emergency: &[(&str, Option<NumberFacts<'_>>)],
    policy_identity: &str,
) -> Vec<(PolicyAttribute, String)> {
    let mut out = Vec::new();
    let Some(account_number) = account_numbers.iter().find(|n| n.activated) else {
        out.push((
            PolicyAttribute::ResourceAccount,
            "the resource account holds no activated phone number: assign it one (teamsphone_phone_number_assignment, with depends_on from this policy) before a shared calling policy can use it".to_string(),
        ));
        return out;
    };
    if !account_number.has_location {
        out.push((
            PolicyAttribute::ResourceAccount,
            format!(
                "the resource account's number {} has no emergency location: set location_id on its number assignment",
                account_number.telephone_number
            ),
        ));
    }
    for (written, facts) in emergency {
        let Some(n) = facts else {
            out.push((
                PolicyAttribute::EmergencyNumbers,
                format!("{written} is not a number of this tenant"),
            ));
            continue;
        };
        if !n
            .number_type
            .eq_ignore_ascii_case(account_number.number_type)
            || !n.country.eq_ignore_ascii_case(account_number.country)
        {
            out.push((
                PolicyAttribute::EmergencyNumbers,
                format!(
                    "{written} is a {} number of {}, but the resource account's number {} is a {} number of {}: emergency numbers must have the same number type and country",
                    n.number_type, n.country, account_number.telephone_number,
                    account_number.number_type, account_number.country
                ),
            ));
        }
        let ours = n.status.eq_ignore_ascii_case("policyAssigned")
            && n.target
                .is_some_and(|t| t.eq_ignore_ascii_case(policy_identity));
        if let (Some(target), false) = (n.target.filter(|t| !t.is_empty()), ours) {
            out.push((
                PolicyAttribute::EmergencyNumbers,
                format!("{written} is assigned to {target} ({}): an emergency number must be assigned to nobody", n.status),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(n: &'static str, kind: &'static str, country: &'static str) -> NumberFacts<'static> {
        NumberFacts {
            telephone_number: n,
            number_type: kind,
            country,
            has_location: true,
            activated: true,
            status: "unassigned",
            target: None,
        }
    }

    #[test]
    fn a_ready_account_and_free_numbers_pass() {
        let account = [number("+12065550140", "directRouting", "US")];
        let free = number("+12065550150", "DirectRouting", "us");
        let mine = NumberFacts {
            status: "policyAssigned",
            target: Some("Tag:Seattle"),
            ..number("+12065550151", "directRouting", "US")
        };
        let emergency = [
            ("+12065550150", Some(free)),
            ("+1 206 555 0151", Some(mine)),
        ];
        assert!(policy_number_problems(&account, &emergency, "tag:seattle").is_empty());
    }

    #[test]
    fn an_account_without_a_number_is_one_problem_on_the_account() {
        let pending = NumberFacts {
            activated: false,
            ..number("+12065550140", "directRouting", "US")
        };
        let problems = policy_number_problems(&[pending], &[("+1", None)], "Tag:X");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, PolicyAttribute::ResourceAccount);
        assert!(problems[0].1.contains("holds no activated phone number"));
    }

    #[test]
    fn every_broken_rule_is_named_on_its_attribute() {
        let account = [NumberFacts {
            has_location: false,
            ..number("+12065550140", "directRouting", "US")
        }];
        let uk = number("+442079460958", "callingPlan", "GB");
        let taken = NumberFacts {
            status: "userAssigned",
            target: Some("user-1"),
            ..number("+12065550101", "directRouting", "US")
        };
        let other_policy = NumberFacts {
            status: "policyAssigned",
            target: Some("Tag:Other"),
            ..number("+12065550100", "directRouting", "US")
        };
        let emergency = [
            ("+442079460958", Some(uk)),
            ("+12065550101", Some(taken)),
            ("+12065550100", Some(other_policy)),
            ("+12065550199", None),
        ];
        let problems = policy_number_problems(&account, &emergency, "Tag:Seattle");
        let on = |attr| problems.iter().filter(|(a, _)| *a == attr).count();
        assert_eq!(on(PolicyAttribute::ResourceAccount), 1, "{problems:?}");
        assert_eq!(on(PolicyAttribute::EmergencyNumbers), 4, "{problems:?}");
        assert!(problems[1].1.contains("callingPlan number of GB"));
        assert!(problems[2].1.contains("assigned to user-1"));
        assert!(problems[3].1.contains("Tag:Other"));
        assert!(problems[4].1.contains("not a number of this tenant"));
    }
}
