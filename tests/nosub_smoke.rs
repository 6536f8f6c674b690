//! Runs as a user without a subordinate id range (the harness runs `tests/nosub_*.rs` so).

mod common;

use common::OutputExt;

#[test]
fn runs_as_a_user_without_subids() {
    let Some(env) = common::require_harness() else {
        return;
    };
    assert_eq!(common::subid_range("/etc/subuid"), None);
    assert_eq!(common::subid_range("/etc/subgid"), None);
    env.sandbox().lodger(&["--version"]).assert_ok();
}
