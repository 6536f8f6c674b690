//! Run as a user without a subordinate id range (the harness runs `nosub_*` files as such a
//! user): single-id images still work, others fail with the fix named.

mod common;

use common::OutputExt;

#[test]
fn without_subuid_range_single_id_images_pull_with_a_warning() {
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
    sb.lodger(&["pull", "--tls-verify=false", &env.image("small:latest")])
        .assert_ok()
        .assert_stderr_contains("/etc/subuid");
}

#[test]
fn without_subuid_range_files_of_other_ids_fail_with_the_fix() {
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
    let out = sb.lodger(&["pull", "--tls-verify=false", &env.image("multi:latest")]);
    out.assert_exit(125)
        .assert_stderr_contains("/etc/subuid")
        .assert_stderr_contains("33");
    let images = sb.lodger(&["images", "-q"]);
    assert!(
        images.assert_ok().stdout_str().trim().is_empty(),
        "no half image"
    );
}
