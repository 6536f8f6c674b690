//! `run` as a user without a subordinate id range: single-id containers with a warning.

mod common;

use common::OutputExt;

#[test]
fn without_subuid_range_run_uses_one_id_and_says_how_to_fix_it() {
    let Some(env) = common::require_harness() else {
        return;
    };
    if common::subid_range("/etc/subuid").is_some() {
        common::say(
            "skipped: this user has a subuid range; the harness runs this file as lodger-nosub",
        );
        return;
    }
    let sb = env.sandbox();
    let out = sb.lodger(&[
        "run",
        "--rm",
        "--tls-verify=false",
        &env.image("small:latest"),
        "cat",
        "/proc/self/uid_map",
    ]);
    out.assert_ok().assert_stderr_contains("/etc/subuid");
    assert_eq!(out.stdout_str().lines().count(), 1);
}
