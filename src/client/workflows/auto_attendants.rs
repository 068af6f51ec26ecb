//! An auto attendant with its schedules, written as one thing (contract section 5c).
//!
//! The API keeps business hours and holidays as schedules of their own, referenced from the auto
//! attendant's call handling associations; the Terraform resource owns them all. So:
//!
//! - create: the schedules first (`New-CsOnlineSchedule`), then the auto attendant referencing
//!   them. If anything fails, the schedules made so far are removed again; those that cannot be
//!   are named in the error ([`PartialWrite`]), so nothing is left behind unrecorded. Neither
//!   has a unique key, so an unanswered create is looked for before it is sent again
//!   (`workflows::creates`): a schedule by its content among those that are new since this write
//!   began, the auto attendant by the id of its default call flow, which the client chose.
//! - update: the business hours schedule is changed in place (`Set-CsOnlineSchedule`, same type);
//!   holiday schedules are replaced (new ones made, the old ones removed after the auto attendant
//!   points at the new ones), since replacing a holiday set through `Set-CsAutoAttendant` alone
//!   is known to do nothing. A holiday whose schedule is unchanged keeps it. New schedules of a
//!   failed update are removed as on create.
//! - delete: the auto attendant, then every schedule it referenced (a schedule in use cannot be
//!   removed, so the order matters).
//!
//! Holidays take priority over after hours: priorities 1..n in the user's order, after hours n+1.

use std::fmt;

use crate::client::api::auto_attendants::{AutoAttendant, CallHandlingAssociation, Schedule};
use crate::client::workflows::creates::ambiguous;
use crate::client::{ApiError, Client};
use teamsphone_contract::{AA_ASSOCIATION_AFTER_HOURS, AA_ASSOCIATION_HOLIDAY, AA_MAX_HOLIDAYS};

/// A schedule and the call flow (by its id in `CallFlows`) that runs while it applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub schedule: Schedule,
    pub call_flow_id: String,
}

/// What the resource wants: the auto attendant (all call flows, with their ids; associations are
/// filled in here) and the schedules its call flows hang on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AutoAttendantDesign {
    pub aa: AutoAttendant,
    pub after_hours: Option<Scheduled>,
    pub holidays: Vec<Scheduled>,
}

/// An auto attendant and the schedules its associations reference, those that exist.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AutoAttendantRead {
    pub aa: AutoAttendant,
    pub schedules: Vec<Schedule>,
}

impl AutoAttendantRead {
    pub fn schedule(&self, id: &str) -> Option<&Schedule> {
        self.schedules
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(id))
    }
}

/// A write that failed part way: the error, and the schedules it made and could not remove.
#[derive(Debug)]
pub struct PartialWrite {
    pub error: ApiError,
    pub left_behind: Vec<String>,
}

impl fmt::Display for PartialWrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        if !self.left_behind.is_empty() {
            write!(
                f,
                "\n\nSchedules made by this apply could not be removed again; remove them by hand (Remove-CsOnlineSchedule -Id): {}",
                self.left_behind.join(", ")
            )?;
        }
        Ok(())
    }
}

/// The same schedule, ignoring its id.
fn same_schedule(a: &Schedule, b: &Schedule) -> bool {
    let strip = |s: &Schedule| Schedule {
        id: String::new(),
        ..s.clone()
    };
    strip(a) == strip(b)
}

/// The associations for the schedule ids chosen (holidays in order, then after hours).
fn associations(
    design: &AutoAttendantDesign,
    after_hours: Option<&str>,
    holidays: &[String],
) -> Vec<CallHandlingAssociation> {
    let mut all: Vec<CallHandlingAssociation> = design
        .holidays
        .iter()
        .zip(holidays)
        .enumerate()
        .map(|(i, (h, id))| CallHandlingAssociation {
            r#type: AA_ASSOCIATION_HOLIDAY.into(),
            schedule_id: id.clone(),
            call_flow_id: h.call_flow_id.clone(),
            priority: i as u32 + 1,
        })
        .collect();
    if let (Some(a), Some(id)) = (&design.after_hours, after_hours) {
        all.push(CallHandlingAssociation {
            r#type: AA_ASSOCIATION_AFTER_HOURS.into(),
            schedule_id: id.to_string(),
            call_flow_id: a.call_flow_id.clone(),
            priority: design.holidays.len() as u32 + 1,
        });
    }
    all
}

fn referenced(aa: &AutoAttendant, kind: &str) -> Vec<String> {
    aa.call_handling_associations
        .iter()
        .filter(|a| a.r#type.eq_ignore_ascii_case(kind))
        .map(|a| a.schedule_id.clone())
        .collect()
}

impl Client {
    /// The auto attendant `id` with its schedules; `None` when it is gone.
    pub async fn read_auto_attendant(
        &self,
        id: &str,
    ) -> Result<Option<AutoAttendantRead>, ApiError> {
        let Some(aa) = self.get_cs_auto_attendant(id).await? else {
            return Ok(None);
        };
        self.with_schedules(aa).await.map(Some)
    }

    /// `aa` (as read or listed) with the schedules its associations reference. An answer naming
    /// more schedules than Teams allows (one after hours, 20 holidays) is refused before any is
    /// read: what a server sends is bounded here, not followed.
    pub async fn with_schedules(&self, aa: AutoAttendant) -> Result<AutoAttendantRead, ApiError> {
        let most = AA_MAX_HOLIDAYS + 1;
        if aa.call_handling_associations.len() > most {
            return Err(ApiError::InvalidResponse {
                service: crate::client::http::error::Service::Teams,
                status: 200,
                detail: format!(
                    "Get-CsAutoAttendant answered {} call handling associations for {}, more than the {most} Teams allows",
                    aa.call_handling_associations.len(),
                    aa.id
                ),
            });
        }
        let mut schedules: Vec<Schedule> = Vec::new();
        for a in &aa.call_handling_associations {
            if schedules
                .iter()
                .any(|s| s.id.eq_ignore_ascii_case(&a.schedule_id))
            {
                continue;
            }
            // A schedule removed behind the auto attendant's back reads as missing: drift.
            if let Some(s) = self.get_cs_online_schedule(&a.schedule_id).await? {
                schedules.push(s);
            }
        }
        Ok(AutoAttendantRead { aa, schedules })
    }

    /// Removes `ids`, ignoring those already gone; answers the ids it could not remove.
    async fn remove_schedules(&self, ids: &[String]) -> Vec<String> {
        let mut left = Vec::new();
        for id in ids {
            if self.remove_cs_online_schedule(id).await.is_err() {
                left.push(id.clone());
            }
        }
        left
    }

    /// Makes `schedule`, recording its id in `made`; on failure removes everything in `made`.
    /// Never twice (`workflows::creates`): `before` holds the schedule ids that existed before
    /// this write's first schedule create, listed when first needed, so a schedule found after a
    /// lost answer is known to be this write's own.
    async fn make_schedule(
        &self,
        schedule: &Schedule,
        made: &mut Vec<String>,
        before: &mut Option<Vec<String>>,
    ) -> Result<String, PartialWrite> {
        if before.is_none() {
            match self.list_cs_online_schedules().await {
                Ok(all) => *before = Some(all.into_iter().map(|s| s.id).collect()),
                Err(error) => {
                    return Err(PartialWrite {
                        error,
                        left_behind: self.remove_schedules(made).await,
                    })
                }
            }
        }
        let mut known = before.clone().unwrap_or_default();
        known.extend(made.iter().cloned());
        let known = &known;
        let created = self
            .create_unrepeated(
                "New-CsOnlineSchedule",
                || self.new_cs_online_schedule(schedule, known),
                || async move {
                    self.find_cs_online_schedule_made(schedule, known)
                        .await?
                        .map_err(|ids| ambiguous("New-CsOnlineSchedule", "schedule", &ids))
                },
            )
            .await;
        match created {
            Ok(s) => {
                made.push(s.id.clone());
                Ok(s.id)
            }
            Err(error) => Err(PartialWrite {
                error,
                left_behind: self.remove_schedules(made).await,
            }),
        }
    }

    /// Creates the schedules, then the auto attendant referencing them; neither twice
    /// (`workflows::creates`: the auto attendant is found by its default call flow's id).
    pub async fn create_auto_attendant(
        &self,
        design: &AutoAttendantDesign,
    ) -> Result<AutoAttendant, PartialWrite> {
        let mut made = Vec::new();
        let mut before = None;
        let after_hours = match &design.after_hours {
            Some(a) => Some(
                self.make_schedule(&a.schedule, &mut made, &mut before)
                    .await?,
            ),
            None => None,
        };
        let mut holidays = Vec::new();
        for h in &design.holidays {
            holidays.push(
                self.make_schedule(&h.schedule, &mut made, &mut before)
                    .await?,
            );
        }
        let mut aa = design.aa.clone();
        aa.call_handling_associations = associations(design, after_hours.as_deref(), &holidays);
        let aa = &aa;
        let created = self
            .create_unrepeated(
                "New-CsAutoAttendant",
                || self.new_cs_auto_attendant(aa),
                || self.find_cs_auto_attendant_made(aa),
            )
            .await;
        match created {
            Ok(created) => Ok(created),
            Err(error) => Err(PartialWrite {
                error,
                left_behind: self.remove_schedules(&made).await,
            }),
        }
    }

    /// Writes `design` over the auto attendant `id` (see the module essay). `Ok(None)`: it is
    /// gone. `Ok(Some(warnings))`: done, with old schedules that could not be removed.
    pub async fn update_auto_attendant(
        &self,
        id: &str,
        design: &AutoAttendantDesign,
    ) -> Result<Option<Vec<String>>, PartialWrite> {
        let no_leftovers = |error| PartialWrite {
            error,
            left_behind: Vec::new(),
        };
        let Some(current) = self.read_auto_attendant(id).await.map_err(no_leftovers)? else {
            return Ok(None);
        };
        let before: Vec<String> = current
            .aa
            .call_handling_associations
            .iter()
            .map(|a| a.schedule_id.clone())
            .collect();
        let mut made = Vec::new();
        let mut listed = None;
        let current_hours = referenced(&current.aa, AA_ASSOCIATION_AFTER_HOURS)
            .into_iter()
            .find_map(|sid| current.schedule(&sid).cloned());
        let after_hours = match (&design.after_hours, current_hours) {
            (Some(want), Some(have)) if have.r#type == want.schedule.r#type => {
                if !same_schedule(&want.schedule, &have) {
                    let changed = Schedule {
                        id: have.id.clone(),
                        ..want.schedule.clone()
                    };
                    self.set_cs_online_schedule(&changed)
                        .await
                        .map_err(no_leftovers)?;
                }
                Some(have.id)
            }
            (Some(want), _) => Some(
                self.make_schedule(&want.schedule, &mut made, &mut listed)
                    .await?,
            ),
            (None, _) => None,
        };
        let mut reusable: Vec<Schedule> = referenced(&current.aa, AA_ASSOCIATION_HOLIDAY)
            .iter()
            .filter_map(|sid| current.schedule(sid).cloned())
            .collect();
        let mut holidays = Vec::new();
        for h in &design.holidays {
            match reusable.iter().position(|s| same_schedule(s, &h.schedule)) {
                Some(i) => holidays.push(reusable.remove(i).id),
                None => holidays.push(
                    self.make_schedule(&h.schedule, &mut made, &mut listed)
                        .await?,
                ),
            }
        }
        let mut aa = design.aa.clone();
        aa.id = current.aa.id.clone();
        aa.call_handling_associations = associations(design, after_hours.as_deref(), &holidays);
        if let Err(error) = self.set_cs_auto_attendant(&aa).await {
            return Err(PartialWrite {
                error,
                left_behind: self.remove_schedules(&made).await,
            });
        }
        let now: Vec<&String> = after_hours.iter().chain(&holidays).collect();
        let unused: Vec<String> = before
            .into_iter()
            .filter(|old| !now.iter().any(|n| n.eq_ignore_ascii_case(old)))
            .collect();
        Ok(Some(self.remove_schedules(&unused).await))
    }

    /// Removes the auto attendant `id`, then its schedules; answers the schedules that could not
    /// be removed (for a warning). Already gone is done.
    pub async fn delete_auto_attendant(&self, id: &str) -> Result<Vec<String>, ApiError> {
        let Some(current) = self.get_cs_auto_attendant(id).await? else {
            return Ok(Vec::new());
        };
        self.remove_cs_auto_attendant(id).await?;
        let schedules: Vec<String> = current
            .call_handling_associations
            .iter()
            .map(|a| a.schedule_id.clone())
            .collect();
        Ok(self.remove_schedules(&schedules).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheduled(name: &str, flow: &str) -> Scheduled {
        Scheduled {
            schedule: Schedule {
                name: name.into(),
                ..Default::default()
            },
            call_flow_id: flow.into(),
        }
    }

    #[test]
    fn holidays_come_first_and_after_hours_last() {
        let design = AutoAttendantDesign {
            aa: AutoAttendant::default(),
            after_hours: Some(scheduled("hours", "f0")),
            holidays: vec![scheduled("a", "f1"), scheduled("b", "f2")],
        };
        let all = associations(&design, Some("s0"), &["s1".into(), "s2".into()]);
        let seen: Vec<(&str, &str, &str, u32)> = all
            .iter()
            .map(|a| {
                (
                    a.r#type.as_str(),
                    a.schedule_id.as_str(),
                    a.call_flow_id.as_str(),
                    a.priority,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("Holiday", "s1", "f1", 1),
                ("Holiday", "s2", "f2", 2),
                ("AfterHours", "s0", "f0", 3)
            ]
        );
        let mut other = design.holidays[0].schedule.clone();
        other.id = "x".into();
        assert!(same_schedule(&other, &design.holidays[0].schedule));
        assert!(!same_schedule(&other, &design.holidays[1].schedule));
    }

    #[test]
    fn a_partial_write_names_what_it_left_behind() {
        let error = ApiError::InvalidResponse {
            service: crate::client::http::error::Service::Teams,
            status: 500,
            detail: "boom".into(),
        };
        let text = PartialWrite {
            error,
            left_behind: vec!["s1".into()],
        }
        .to_string();
        assert!(
            text.contains("boom") && text.contains("Remove-CsOnlineSchedule -Id): s1"),
            "{text}"
        );
    }
}
