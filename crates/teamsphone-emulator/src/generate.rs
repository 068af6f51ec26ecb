//! Generated tenants: `--generate-users N` adds N users to the seed's first tenant, so that a
//! benchmark or a test of a 100,000-user tenant needs no 10 MB seed file.
//!
//! Users are `user000000@<domain>` .. in order, so a configuration can name them; their object ids
//! are pseudo-random GUIDs from `--generate-seed` (splitmix64), so the same seed gives the same
//! tenant and a different seed shows that nothing depends on id order. Generation is linear: 100,000
//! users take well under a second, and the seed's checks ([`crate::directory::normalize`]) are linear
//! too.

use crate::directory::User;

/// splitmix64: small, fast, and good enough to make ids look random.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The principal name of generated user `i` in `domain`.
pub fn principal_name(i: usize, domain: &str) -> String {
    format!("user{i:06}@{domain}")
}

/// `count` users of `domain`, ids drawn from `seed`.
pub fn users(count: usize, seed: u64, domain: &str) -> Vec<User> {
    let mut state = seed;
    (0..count)
        .map(|i| {
            let (a, b) = (splitmix64(&mut state), splitmix64(&mut state));
            // A version-4 shaped GUID: the version nibble 4, the variant bits 10.
            let id = format!(
                "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                a >> 32,
                (a >> 16) & 0xffff,
                a & 0xfff,
                ((b >> 48) & 0x3fff) | 0x8000,
                b & 0xffff_ffff_ffff
            );
            serde_json::from_value(serde_json::json!({
                "id": id,
                "userPrincipalName": principal_name(i, domain),
                "displayName": format!("User {i}"),
            }))
            .expect("a generated user is a valid user")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_users_and_ids_are_unique() {
        let a = users(2000, 7, "contoso.com");
        assert_eq!(a, users(2000, 7, "contoso.com"));
        assert_ne!(a[0].id, users(1, 8, "contoso.com")[0].id);
        let ids: std::collections::HashSet<&str> = a.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids.len(), 2000);
        assert_eq!(a[1999].user_principal_name, "user001999@contoso.com");
        assert!(crate::policy::normalize_guid("id", &a[0].id).is_ok());
    }

    #[test]
    fn a_hundred_thousand_users_pass_the_seed_checks() {
        let mut all = users(100_000, 1, "contoso.com");
        crate::directory::normalize(&mut all, &mut []).unwrap();
        assert_eq!(all.len(), 100_000);
    }
}
