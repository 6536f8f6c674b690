//! Listing, naming, inspecting and removing images in the store.

mod common;

use common::OutputExt;

fn entries(dir: std::path::PathBuf) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

#[test]
fn images_lists_names_ids_and_sizes_like_podman() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let out = sb.lodger(&["images"]);
    let text = out.assert_ok().stdout_str();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    for col in ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"] {
        assert!(header.contains(col), "{header}");
    }
    let row = lines.next().unwrap();
    assert!(row.starts_with(&env.image("small")), "{row}");
    assert!(
        row.contains("latest") && row.contains("MB") || row.contains("kB"),
        "{row}"
    );

    let q = sb.lodger(&["images", "-q"]).assert_ok().stdout_str();
    assert_eq!(q.trim().len(), 12);
    let full = sb
        .lodger(&["images", "-q", "--no-trunc"])
        .assert_ok()
        .stdout_str();
    assert!(full.trim().starts_with("sha256:") && full.trim().len() == 71);
    sb.lodger(&["images", "--digests"])
        .assert_ok()
        .assert_stdout_contains("DIGEST")
        .assert_stdout_contains(&env.layout_digest("small"));
    let noheading = sb.lodger(&["images", "-n"]).assert_ok().stdout_str();
    assert!(!noheading.contains("REPOSITORY"));
}

#[test]
fn images_json_and_filters() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest", "multi:latest"]);
    let json = sb
        .lodger(&["images", "--format", "json"])
        .assert_ok()
        .stdout_str();
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    for img in list.as_array().unwrap() {
        assert_eq!(img["Id"].as_str().unwrap().len(), 64);
        assert!(img["RepoTags"].is_array());
        assert!(img["Size"].as_u64().unwrap() > 0);
    }
    let only = |filter: &str| {
        sb.lodger(&["images", "--filter", filter, "--format", "{{.Repository}}"])
            .assert_ok()
            .stdout_str()
    };
    assert_eq!(only("reference=*small*").trim(), env.image("small"));
    assert_eq!(
        only("reference=lodger-test/multi").trim(),
        env.image("multi")
    );
    assert_eq!(
        only("label=org.lodger.test=multi").trim(),
        env.image("multi")
    );
    assert!(only("dangling=true").trim().is_empty());
    sb.lodger(&["images", "--filter", "bogus=1"])
        .assert_exit(125)
        .assert_stderr_contains("reference");
    // `images NAME` narrows like a reference filter.
    let named = sb
        .lodger(&["images", "-n", "small"])
        .assert_ok()
        .stdout_str();
    assert_eq!(named.lines().count(), 1);
}

#[test]
fn tag_untag_and_rmi_by_name_and_id() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    sb.lodger(&[
        "tag",
        &env.image("small:latest"),
        "app",
        "quay.io/me/app:v1",
    ])
    .assert_ok();
    let names = sb
        .lodger(&["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .assert_ok()
        .stdout_str();
    assert!(names.contains("localhost/app:latest"), "{names}");
    assert!(names.contains("quay.io/me/app:v1"), "{names}");

    // By id with several names: refused without -f.
    let id = sb.lodger(&["images", "-q"]).assert_ok().stdout_str();
    let id = id.lines().next().unwrap().to_string();
    sb.lodger(&["rmi", &id])
        .assert_exit(125)
        .assert_stderr_contains("force");

    // By one of several names: only untags.
    sb.lodger(&["rmi", "app"])
        .assert_ok()
        .assert_stdout_contains("Untagged: localhost/app:latest");
    sb.lodger(&["untag", &id, "quay.io/me/app:v1"]).assert_ok();
    sb.lodger(&["untag", &id, "nope:1"]).assert_exit(125);

    // Last name: deleted with its layers and blobs.
    let out = sb.lodger(&["rmi", &env.image("small:latest")]);
    out.assert_ok().assert_stdout_contains("Deleted: ");
    assert_eq!(entries(sb.store().join("layers")), 0, "layers removed");
    assert_eq!(entries(sb.store().join("blobs/sha256")), 0, "blobs removed");
    sb.lodger(&["rmi", "small"])
        .assert_exit(1)
        .assert_stderr_contains("image not known");
    sb.lodger(&["rmi", "-i", "small"]).assert_ok();
}

#[test]
fn rmi_keeps_layers_other_images_share() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["multi:latest", "small:latest"]);
    let before = entries(sb.store().join("layers"));
    sb.lodger(&["rmi", &env.image("small:latest")]).assert_ok();
    assert_eq!(
        entries(sb.store().join("layers")),
        before,
        "the base layer is still used by multi"
    );
    sb.lodger(&["images", "-n"])
        .assert_ok()
        .assert_stdout_contains("multi");
    sb.lodger(&["rmi", "-a"]).assert_ok();
    assert_eq!(entries(sb.store().join("layers")), 0);
}

#[test]
fn untag_leaves_a_dangling_image_that_prune_removes() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    sb.lodger(&["untag", &env.image("small:latest")])
        .assert_ok();
    let rows = sb.lodger(&["images", "-n"]).assert_ok().stdout_str();
    assert!(rows.starts_with("<none>"), "{rows}");
    let dangling = sb
        .lodger(&["images", "-q", "--filter", "dangling=true"])
        .assert_ok()
        .stdout_str();
    assert_eq!(dangling.lines().count(), 1);
    sb.lodger(&["image", "prune", "-f"]).assert_ok();
    assert!(sb
        .lodger(&["images", "-q"])
        .assert_ok()
        .stdout_str()
        .is_empty());
    assert_eq!(entries(sb.store().join("layers")), 0);
}

#[test]
fn inspect_is_shaped_like_podman() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["multi:latest"]);
    let out = sb
        .lodger(&["image", "inspect", "multi"])
        .assert_ok()
        .stdout_str();
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let img = &doc[0];
    assert_eq!(img["RepoTags"][0], env.image("multi:latest"));
    assert_eq!(img["Digest"], env.layout_digest("multi"));
    assert_eq!(img["Config"]["Cmd"][0], "sh");
    assert_eq!(img["Labels"]["org.lodger.test"], "multi");
    assert_eq!(img["RootFS"]["Layers"].as_array().unwrap().len(), 6);
    assert_eq!(img["Os"], "linux");
    assert_eq!(img["GraphDriver"]["Name"], "overlay");
    sb.lodger(&[
        "inspect",
        "--format",
        "{{.Config.Cmd}} {{.Architecture}}",
        "multi",
    ])
    .assert_ok()
    .assert_stdout_contains("[sh] amd64");
    sb.lodger(&["inspect", "nothing-here"])
        .assert_exit(125)
        .assert_stderr_contains("nothing-here");
    sb.lodger(&[
        "image",
        "inspect",
        "--format",
        "{{.Os}}",
        "multi",
        "nothing-here",
    ])
    .assert_exit(125)
    .assert_stdout_contains("linux")
    .assert_stderr_contains("nothing-here: image not known");
}

#[test]
fn history_shows_one_row_per_step() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["multi:latest"]);
    let out = sb.lodger(&["history", "multi"]).assert_ok().stdout_str();
    let mut lines = out.lines();
    assert!(lines.next().unwrap().contains("CREATED BY"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() >= 6, "{out}");
    assert!(
        !rows[0].starts_with("<missing>"),
        "top row has the image id"
    );
    assert!(rows[1].starts_with("<missing>"));
    let json = sb
        .lodger(&["history", "--format", "json", "multi"])
        .assert_ok()
        .stdout_str();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["size"].as_u64().unwrap() > 50 << 20));
}

#[test]
fn info_reports_mapping_store_and_tools() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let sb = env.sandbox_with(&["small:latest"]);
    let json = sb
        .lodger(&["info", "--format", "json"])
        .assert_ok()
        .stdout_str();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["host"]["rootless"], true);
    assert_eq!(v["store"]["imageStore"]["number"], 1);
    let (base, size) = common::subid_range("/etc/subuid").unwrap();
    assert_eq!(v["host"]["idMappings"]["uidmap"][1]["host_id"], base);
    assert_eq!(v["host"]["idMappings"]["uidmap"][1]["size"], size);
    sb.lodger(&["info"])
        .assert_ok()
        .assert_stdout_contains("graphRoot:");
    // Kernel overlayfs works in user namespaces here; the probe must find it.
    assert_eq!(v["store"]["graphDriverName"], "overlay");
}
