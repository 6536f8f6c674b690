//! `inspect` of containers and volumes, `container inspect`, `rename` and `container prune`.

mod common;

use common::lab::Lab;
use common::{OutputExt, Sandbox};
use serde_json::Value;

fn json(sb: &Sandbox, args: &[&str]) -> Value {
    let out = sb.lodger(args);
    out.assert_ok();
    serde_json::from_str(&out.stdout_str()).unwrap()
}

#[test]
fn inspect_containers_and_volumes() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let Lab { sb, image } = Lab::new(&env);
    sb.lodger(&["volume", "create", "iv"]).assert_ok();
    sb.lodger(&[
        "run",
        "--name",
        "c1",
        "-e",
        "FOO=bar",
        "-w",
        "/tmp",
        "--label",
        "k=v",
        "-v",
        "iv:/data:ro",
        "--tmpfs",
        "/t",
        &image,
        "sh",
        "-c",
        "exit 4",
    ])
    .assert_exit(4);
    let doc = json(&sb, &["inspect", "c1"]);
    let c = &doc[0];
    assert_eq!(c["Name"], "c1");
    assert_eq!(c["Id"].as_str().unwrap().len(), 64);
    assert_eq!(c["Path"], "sh");
    assert_eq!(c["Args"], serde_json::json!(["-c", "exit 4"]));
    assert_eq!(c["State"]["Status"], "exited");
    assert_eq!(c["State"]["Running"], false);
    assert_eq!(c["State"]["ExitCode"], 4);
    assert_eq!(c["ImageName"], image);
    assert_eq!(c["Config"]["WorkingDir"], "/tmp");
    assert_eq!(c["Config"]["Labels"]["k"], "v");
    assert!(c["Config"]["Env"]
        .as_array()
        .unwrap()
        .contains(&Value::from("FOO=bar")));
    let mounts = c["Mounts"].as_array().unwrap();
    let vol = mounts.iter().find(|m| m["Type"] == "volume").unwrap();
    assert_eq!(vol["Name"], "iv");
    assert_eq!(vol["Destination"], "/data");
    assert_eq!(vol["RW"], false);
    assert!(mounts
        .iter()
        .any(|m| m["Type"] == "tmpfs" && m["Destination"] == "/t"));

    let f = sb.lodger(&[
        "inspect",
        "--format",
        "{{.State.Status}} {{.Config.WorkingDir}}",
        "c1",
    ]);
    assert_eq!(f.stdout_str(), "exited /tmp\n");
    let f = sb.lodger(&[
        "container",
        "inspect",
        "--format",
        "{{json .Config.Labels}}",
        "c1",
    ]);
    assert_eq!(f.stdout_str(), "{\"k\":\"v\"}\n");
    let f = sb.lodger(&[
        "inspect",
        "--format",
        r#"{{range .Mounts}}{{.Destination}} {{end}}{{index .Config.Labels "k"}}"#,
        "c1",
    ]);
    assert_eq!(f.stdout_str(), "/data /t v\n");
    // The same name can be looked up as each type.
    assert_eq!(
        json(&sb, &["inspect", "--type", "volume", "iv"])[0]["Driver"],
        "local"
    );
    assert_eq!(json(&sb, &["inspect", "iv"])[0]["Name"], "iv");
    let img = json(&sb, &["inspect", "--type", "image", &image]);
    assert!(img[0]["Id"].is_string());
    sb.lodger(&["inspect", "--type", "container", "iv"])
        .assert_exit(125)
        .assert_stderr_contains("iv");
    sb.lodger(&["container", "inspect", "nope"])
        .assert_exit(125)
        .assert_stderr_contains("nope");
    sb.lodger(&["inspect", "--type", "bogus", "c1"])
        .assert_exit(125);

    // rename keeps the container and frees the old name.
    sb.lodger(&["create", "--name", "c2", &image, "true"])
        .assert_ok();
    sb.lodger(&["rename", "c1", "c2"])
        .assert_exit(125)
        .assert_stderr_contains("c2");
    sb.lodger(&["rename", "c1", "renamed"]).assert_ok();
    assert_eq!(json(&sb, &["inspect", "renamed"])[0]["Name"], "renamed");
    sb.lodger(&["inspect", "--type", "container", "c1"])
        .assert_exit(125);
    sb.lodger(&["rename", "nope", "x"])
        .assert_exit(125)
        .assert_stderr_contains("nope");
    sb.lodger(&["container", "rename", "c2", "bad/name"])
        .assert_exit(125);

    // prune removes the stopped containers only.
    sb.lodger(&["run", "-d", "--name", "up", &image, "sleep", "30"])
        .assert_ok();
    let pruned = sb.lodger(&["container", "prune", "-f"]);
    pruned.assert_ok();
    assert_eq!(
        pruned.stdout_str().lines().count(),
        2,
        "{}",
        pruned.stdout_str()
    );
    let names = sb
        .lodger(&["ps", "-a", "--format", "{{.Names}}"])
        .stdout_str();
    assert_eq!(names, "up\n");
    sb.lodger(&["rm", "-f", "up"]).assert_ok();
    sb.lodger(&["volume", "rm", "iv"]).assert_ok();
}

#[test]
fn ps_filters_last_latest_and_size() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let Lab { sb, image } = Lab::new(&env);
    let names = |args: &[&str]| {
        let mut all = vec!["ps", "--format", "{{.Names}}"];
        all.extend_from_slice(args);
        let out = sb.lodger(&all);
        out.assert_ok();
        let mut v: Vec<String> = out.stdout_str().lines().map(String::from).collect();
        v.sort();
        v
    };
    sb.lodger(&["run", "--name", "ok1", &image, "true"])
        .assert_ok();
    sb.lodger(&[
        "run", "--name", "bad3", "--label", "tier=db", &image, "sh", "-c", "exit 3",
    ])
    .assert_exit(3);
    sb.lodger(&[
        "create", "--name", "new1", "--label", "tier=web", &image, "true",
    ])
    .assert_ok();
    sb.lodger(&[
        "run",
        "-d",
        "--name",
        "up1",
        &image,
        "sh",
        "-c",
        "echo data > /f; sleep 30",
    ])
    .assert_ok();
    assert_eq!(names(&[]), ["up1"]);
    assert_eq!(names(&["--filter", "status=exited"]), ["bad3", "ok1"]);
    assert_eq!(names(&["--filter", "exited=3"]), ["bad3"]);
    assert_eq!(names(&["-a", "--filter", "label=tier"]), ["bad3", "new1"]);
    assert_eq!(names(&["-a", "--filter", "label=tier=web"]), ["new1"]);
    let labelled = sb.lodger(&["ps", "-a", "--format", "{{.Names}}={{.Label \"tier\"}}"]);
    let mut labelled: Vec<String> = labelled.stdout_str().lines().map(String::from).collect();
    labelled.sort();
    assert_eq!(labelled, ["bad3=db", "new1=web", "ok1=", "up1="]);
    assert_eq!(names(&["-a", "--filter", "name=^ok"]), ["ok1"]);
    // Values of one key are alternatives; different keys must all hold.
    assert_eq!(
        names(&["--filter", "status=created", "--filter", "status=running"]),
        ["new1", "up1"]
    );
    assert_eq!(
        names(&["-a", "--filter", "label=tier", "--filter", "status=created"]),
        ["new1"]
    );
    let id = sb
        .lodger(&["inspect", "--format", "{{.Id}}", "ok1"])
        .stdout_str();
    assert_eq!(
        names(&["-a", "--filter", &format!("id={}", &id[..10])]),
        ["ok1"]
    );
    assert_eq!(
        names(&["-a", "--filter", &format!("ancestor={image}")]).len(),
        4
    );
    assert!(names(&["-a", "--filter", "ancestor=other/image"]).is_empty());
    assert_eq!(names(&["-l"]), ["up1"]);
    assert_eq!(names(&["-n", "2"]), ["new1", "up1"]);
    sb.lodger(&["ps", "--filter", "color=red"])
        .assert_exit(125)
        .assert_stderr_contains("color");
    let sized = sb.lodger(&["ps", "-s", "--filter", "name=up1"]);
    sized.assert_ok();
    let text = sized.stdout_str();
    assert!(text.lines().next().unwrap().ends_with("SIZE"), "{text}");
    assert!(text.contains("(virtual "), "{text}");
    sb.lodger(&["rm", "-a", "-f"]).assert_ok();
}

#[test]
fn annotations_are_stored_and_shown() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let Lab { sb, image } = Lab::new(&env);
    sb.lodger(&[
        "create",
        "--name",
        "an",
        "--annotation",
        "org.example.a=b=c",
        "--annotation",
        "empty=",
        &image,
        "true",
    ])
    .assert_ok();
    let doc = json(&sb, &["inspect", "an"]);
    let want = serde_json::json!({"org.example.a": "b=c", "empty": ""});
    assert_eq!(doc[0]["Config"]["Annotations"], want);
    assert_eq!(doc[0]["HostConfig"]["Annotations"], want);
    let f = sb.lodger(&[
        "inspect",
        "--format",
        r#"{{index .Config.Annotations "org.example.a"}}"#,
        "an",
    ]);
    assert_eq!(f.stdout_str(), "b=c\n");
    // Bad syntax fails the command and creates nothing.
    for bad in ["novalue", "=v"] {
        sb.lodger(&[
            "create",
            "--name",
            "bad",
            "--annotation",
            bad,
            &image,
            "true",
        ])
        .assert_exit(125)
        .assert_stderr_contains("KEY=VALUE");
    }
    let names = sb.lodger(&["ps", "-a", "--format", "{{.Names}}"]);
    assert_eq!(names.stdout_str(), "an\n");
    sb.lodger(&["rm", "-a"]).assert_ok();
}

#[test]
fn format_templates_on_inspect_ps_and_images() {
    let Some(env) = common::require_harness() else {
        return;
    };
    let Lab { sb, image } = Lab::new(&env);
    let out = sb.lodger(&[
        "run", "-d", "--name", "t1", "-e", "FOO=bar", "--label", "k=v", "--tmpfs", "/t", "-v",
        "tv:/data", &image, "sleep", "100",
    ]);
    out.assert_ok();
    let id = out.stdout_str().trim().to_string();
    let fmt = |args: &[&str]| {
        let out = sb.lodger(args);
        out.assert_ok();
        out.stdout_str()
    };
    let pid = fmt(&["inspect", "--format", "{{.State.Pid}}", "t1"]);
    assert!(pid.trim().parse::<u32>().unwrap() > 1, "{pid}");
    assert_eq!(fmt(&["ps", "--format", "{{.Pid}}"]), pid);
    let env_list = fmt(&["inspect", "--format", "{{.Config.Env}}", "t1"]);
    assert!(
        env_list.starts_with('[') && env_list.contains("FOO=bar"),
        "{env_list}"
    );
    assert_eq!(
        fmt(&[
            "inspect",
            "--format",
            r#"{{index .Config.Labels "k"}}"#,
            "t1"
        ]),
        "v\n"
    );
    let whole: Value =
        serde_json::from_str(&fmt(&["inspect", "--format", "{{json .}}", "t1"])).unwrap();
    assert_eq!(whole["Id"], id.as_str());
    assert_eq!(
        fmt(&[
            "inspect",
            "--format",
            "{{range .Mounts}}{{.Destination}} {{end}}",
            "t1"
        ]),
        "/data /t \n"
    );
    // Conditions, comparisons and functions scripts use.
    assert_eq!(
        fmt(&[
            "inspect",
            "--format",
            r#"{{if eq .State.Status "running"}}up{{else}}down{{end}} {{upper .Name}} {{len .Mounts}} {{printf "%.5s" .Id}} {{join .Args ","}}"#,
            "t1",
        ]),
        format!("up T1 2 {} 100\n", &id[..5])
    );
    // ps: the fields scripts read.
    let line = fmt(&[
        "ps",
        "--format",
        "{{.ID}} {{.Names}} {{.Status}} {{.Image}}",
    ]);
    assert!(
        line.starts_with(&format!("{} t1 Up ", &id[..12]))
            && line.ends_with(&format!(" {image}\n")),
        "{line}"
    );
    assert_eq!(
        fmt(&[
            "ps",
            "--format",
            r#"{{if ne .State "running"}}stopped {{end}}{{.Names}}"#
        ]),
        "t1\n"
    );
    // As Podman's ps reporter prints them: the command, ports and sizes as text.
    assert_eq!(
        fmt(&["ps", "--format", "{{.Command}}|{{.Ports}}|"]),
        "sleep 100||\n"
    );
    assert_eq!(
        fmt(&[
            "ps",
            "--format",
            "{{.Mounts}} {{.AutoRemove}} {{.Restarts}}"
        ]),
        "[/data] false 0\n"
    );
    let size = fmt(&["ps", "-s", "--format", "{{.Size}}"]);
    assert!(size.contains(" (virtual "), "{size}");
    // table: Podman's header row and aligned columns.
    let table = fmt(&["ps", "--format", "table {{.ID}}\\t{{.Names}}\\t{{.State}}"]);
    assert_eq!(
        table,
        format!(
            "CONTAINER ID  NAMES       STATE\n{}  t1          running\n",
            &id[..12]
        )
    );
    assert_eq!(
        fmt(&["ps", "--noheading", "--format", "table {{.Names}}"]),
        "t1\n"
    );
    let images = fmt(&["images", "--format", "table {{.Repository}}\\t{{.Tag}}"]);
    let mut lines = images.lines();
    assert_eq!(
        lines.next().unwrap().split_whitespace().collect::<Vec<_>>(),
        ["REPOSITORY", "TAG"]
    );
    assert!(lines.next().unwrap().ends_with("  latest"), "{images}");
    let hist = fmt(&[
        "history",
        "--format",
        "table {{.ID}}\\t{{.CreatedBy}}",
        &image,
    ]);
    let mut lines = hist.lines();
    assert_eq!(
        lines.next().unwrap().split_whitespace().collect::<Vec<_>>(),
        ["ID", "CREATED", "BY"]
    );
    assert!(lines.next().is_some(), "{hist}");
    let vols = fmt(&["volume", "ls", "--format", "table {{.Name}}"]);
    assert_eq!(vols, "VOLUME NAME\ntv\n");
    // What lodger does not support is named.
    sb.lodger(&["inspect", "--format", "{{contains .Name \"t\"}}", "t1"])
        .assert_exit(125)
        .assert_stderr_contains("\"contains\" not defined");
    sb.lodger(&["ps", "--format", "{{if .Names}}x"])
        .assert_exit(125)
        .assert_stderr_contains("without {{end}}");
    sb.lodger(&["rm", "-a", "-f", "-v"]).assert_ok();
    sb.lodger(&["volume", "rm", "tv"]).assert_ok();
}
