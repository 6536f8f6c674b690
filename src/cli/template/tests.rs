use super::*;
use serde_json::json;

fn r(t: &str, doc: &Value) -> String {
    let mut out = Vec::new();
    write(&mut out, t, std::slice::from_ref(doc), &[], false).unwrap();
    String::from_utf8(out).unwrap()
}

fn err(t: &str, doc: &Value) -> String {
    let mut out = Vec::new();
    let e = write(&mut out, t, std::slice::from_ref(doc), &[], false).unwrap_err();
    assert!(out.is_empty(), "nothing written on error");
    format!("{e:#}")
}

fn inspect_doc() -> Value {
    json!({
        "Id": "abc", "Name": "web", "Size": 3,
        "State": {"Status": "running", "Pid": 42, "ExitCode": 0, "Running": true},
        "Config": {"Env": ["A=1", "B=2"], "Labels": {"k": "v", "x y": "z"}, "Annotations": {}},
        "Mounts": [{"Destination": "/a", "Name": "v1"}, {"Destination": "/b", "Name": "v2"}],
    })
}

#[test]
fn fields_nested_json_index_range() {
    let d = inspect_doc();
    assert_eq!(r("{{.Id}} {{.Size}}", &d), "abc 3\n");
    assert_eq!(r("{{.State.Pid}}", &d), "42\n");
    assert_eq!(r("{{.Config.Env}}", &d), "[A=1 B=2]\n");
    assert_eq!(r("{{json .Config.Env}}", &d), "[\"A=1\",\"B=2\"]\n");
    assert_eq!(r(r#"{{index .Config.Labels "k"}}"#, &d), "v\n");
    assert_eq!(r(r#"{{index .Config.Labels "missing"}}"#, &d), "\n");
    assert_eq!(r("{{index .Config.Env 1}}", &d), "B=2\n");
    assert_eq!(
        r("{{range .Mounts}}{{.Destination}},{{end}}", &d),
        "/a,/b,\n"
    );
    assert_eq!(r("{{range .Config.Labels}}{{.}} {{end}}", &d), "v z \n");
    assert_eq!(
        r(
            "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}",
            &d
        ),
        "k=v;x y=z;\n"
    );
    assert_eq!(
        r(
            "{{range $i, $m := .Mounts}}{{$i}}{{$m.Name}}{{$.Name}} {{end}}",
            &d
        ),
        "0v1web 1v2web \n"
    );
    assert_eq!(
        r("{{range .Config.Annotations}}x{{else}}none{{end}}", &d),
        "none\n"
    );
    assert_eq!(r("{{(index .Mounts 1).Destination}}", &d), "/b\n");
    let whole: Value = serde_json::from_str(r("{{json .}}", &d).trim()).unwrap();
    assert_eq!(whole, d);
    // A newline at the end is not doubled, as with Podman.
    assert_eq!(r("{{.Id}}\\n", &d), "abc\n");
    // Podman adds its newline after {{end}} too.
    assert_eq!(
        r("{{range .Config.Env}}{{.}}\\n{{end}}", &d),
        "A=1\nB=2\n\n"
    );
}

#[test]
fn conditions_and_comparisons() {
    let d = inspect_doc();
    assert_eq!(
        r(
            r#"{{if eq .State.Status "running"}}up{{else}}down{{end}}"#,
            &d
        ),
        "up\n"
    );
    assert_eq!(
        r(
            r#"{{if ne .State.Status "running"}}up{{else}}down{{end}}"#,
            &d
        ),
        "down\n"
    );
    assert_eq!(
        r(
            r#"{{if eq .State.Status "exited" "running"}}one of{{end}}"#,
            &d
        ),
        "one of\n"
    );
    assert_eq!(
        r(
            "{{if .State.ExitCode}}failed{{else if .State.Running}}running{{else}}ok{{end}}",
            &d
        ),
        "running\n"
    );
    assert_eq!(
        r("{{if and .State.Running (gt .State.Pid 1)}}y{{end}}", &d),
        "y\n"
    );
    assert_eq!(
        r(
            "{{if or .State.ExitCode (not .State.Running)}}y{{else}}n{{end}}",
            &d
        ),
        "n\n"
    );
    assert_eq!(r("{{if eq .State.Pid 42}}pid{{end}}", &d), "pid\n");
    assert_eq!(r("{{with .State}}{{.Status}}{{end}}", &d), "running\n");
    assert_eq!(r("{{- if .Name }} {{ .Name }} {{ end -}}", &d), " web \n");
    assert!(err(r#"{{if eq .State.Pid "42"}}x{{end}}"#, &d).contains("incompatible types"));
}

#[test]
fn functions() {
    let d = inspect_doc();
    assert_eq!(r(r#"{{printf "%s:%d" .Name .State.Pid}}"#, &d), "web:42\n");
    assert_eq!(r(r#"{{printf "%-6s|" .Name}}"#, &d), "web   |\n");
    assert_eq!(
        r("{{upper .Name}} {{lower \"AB\"}} {{.Name | upper}}", &d),
        "WEB ab WEB\n"
    );
    assert_eq!(r(r#"{{join .Config.Env ","}}"#, &d), "A=1,B=2\n");
    assert_eq!(
        r("{{len .Mounts}} {{len .Name}} {{len .Config.Labels}}", &d),
        "2 3 2\n"
    );
    assert_eq!(r("{{println .Name .Size}}", &d), "web 3\n\n");
    assert_eq!(
        r("{{print .Size .Size}}{{print .Name .Name}}", &d),
        "3 3webweb\n"
    );
    assert_eq!(
        r(
            r#"{{split "a:b" ":"}} {{truncate .Id 2}} {{title "ab cd"}}"#,
            &d
        ),
        "[a b] ab Ab Cd\n"
    );
    assert_eq!(r("{{$n := .Name}}{{$n}}", &d), "web\n");
}

#[test]
fn errors_name_the_problem() {
    let d = inspect_doc();
    let e = err("{{contains .Name \"w\"}}", &d);
    assert!(e.contains("\"contains\" not defined"), "{e}");
    assert!(e.contains("printf"), "lists what is supported: {e}");
    // Found when parsing, so with nothing to print too.
    let mut out = Vec::new();
    let e = write(&mut out, "table {{nofunc .Names}}", &[], &[], false).unwrap_err();
    assert!(format!("{e:#}").contains("\"nofunc\" not defined"), "{e:#}");
    assert!(err("{{.Nope}}", &d).contains("can't evaluate field Nope"));
    assert!(err("{{.Name.Sub}}", &d).contains("in string"));
    assert!(err("{{if .Name}}x", &d).contains("without {{end}}"));
    assert!(err("{{template \"x\"}}", &d).contains("not supported"));
    assert!(err("{{.Name 1}}", &d).contains("not a function"));
    assert!(err("{{$x}}", &d).contains("undefined variable $x"));
    assert!(err("{{join .Name \",\"}}", &d).contains("join wants a list"));
    assert!(err("{{range .Name}}{{end}}", &d).contains("can't iterate"));
}

#[test]
fn tables_have_headers_and_aligned_columns() {
    let docs = vec![
        json!({"ID": "0123456789ab", "Names": "web", "Status": "Up 2 seconds", "CreatedAt": "x"}),
        json!({"ID": "ba9876543210", "Names": "a-much-longer-name", "Status": "Created", "CreatedAt": "y"}),
    ];
    let mut out = Vec::new();
    write(
        &mut out,
        "table {{.ID}}\\t{{.Names}}\\t{{.Status}}",
        &docs,
        &[("ID", "container id")],
        false,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "CONTAINER ID  NAMES               STATUS\n\
         0123456789ab  web                 Up 2 seconds\n\
         ba9876543210  a-much-longer-name  Created\n"
    );
    // Spaces in a table are column breaks; headers come from the field names.
    let mut out = Vec::new();
    write(
        &mut out,
        "table {{.Names}} {{.CreatedAt}}",
        &docs[..1],
        &[],
        false,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "NAMES       CREATED AT\nweb         x\n"
    );
    // --noheading, and no rows: only the header.
    let mut out = Vec::new();
    write(&mut out, "table {{.Names}}", &docs[..1], &[], true).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "web\n");
    let mut out = Vec::new();
    write(&mut out, "table {{.Names}}", &[], &[], false).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "NAMES\n");
}

#[test]
fn header_words() {
    assert_eq!(camel_words("CreatedAt"), ["Created", "At"]);
    assert_eq!(camel_words("ImageID"), ["Image", "ID"]);
    assert_eq!(camel_words("ID"), ["ID"]);
    assert_eq!(camel_words("HTTPServer"), ["HTTP", "Server"]);
    assert_eq!(camel_words("rwSize"), ["rw", "Size"]);
}

#[test]
fn label_method_picks_one_label() {
    let d = json!({"Names": "web", "Labels": {"app": "shop", "tier": "db"}});
    assert_eq!(r(r#"{{.Names}} {{.Label "app"}}"#, &d), "web shop\n");
    assert_eq!(r(r#"[{{.Label "missing"}}]"#, &d), "[]\n");
    assert_eq!(r(r#"{{.Label "tier" | upper}}"#, &d), "DB\n");
    let mut out = Vec::new();
    write(
        &mut out,
        r#"table {{.Names}} {{.Label "app"}}"#,
        std::slice::from_ref(&d),
        &[],
        false,
    )
    .unwrap();
    let table = String::from_utf8(out).unwrap();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows, [["NAMES", "LABEL"], ["web", "shop"]]);
    assert!(err(r#"{{.Label 3}}"#, &d).contains("Label wants a string"));
    assert!(err(r#"{{.Label "a"}}"#, &json!({"Names": "x"})).contains("field Label"));
}
