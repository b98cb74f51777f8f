//! The command line's conventions, as people use them beside ruff, Semgrep
//! and cargo: a closed pipe, quiet and file output, colour choices, exit
//! codes, statistics, shell completions.

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::{fixtures, podready, stderr, stdout};

fn legacy() -> std::path::PathBuf {
    fixtures().join("legacy-order-service")
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // `podready check --format sarif | head -c 100`: the report is larger
    // than a pipe holds, so the write after the reader left fails.
    let mut child = Command::new(env!("CARGO_BIN_EXE_podready"))
        .args(["check", ".", "--format", "sarif", "--no-cache"])
        .current_dir(legacy())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.signal(), Some(SIGPIPE), "{:?}", out.status);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

/// SIGPIPE's number on Linux.
const SIGPIPE: i32 = 13;

#[test]
fn quiet_prints_the_findings_only() {
    let full = stdout(&podready(&["check", "."], &legacy()));
    let quiet = podready(&["check", ".", "-q"], &legacy());
    assert_eq!(quiet.status.code(), Some(1));
    let quiet = stdout(&quiet);
    assert!(quiet.contains("[host/hardcoded-ip]"), "{quiet}");
    assert!(
        !quiet.contains("Found ") && !quiet.contains("note:"),
        "{quiet}"
    );
    assert!(full.starts_with(&quiet), "the findings are the same");
}

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let out = podready(
        &[
            "check",
            ".",
            "--format",
            "json",
            "-o",
            file.to_str().unwrap(),
        ],
        &legacy(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let printed: Value = serde_json::from_str(&stdout(&podready(
        &["check", ".", "--format", "json"],
        &legacy(),
    )))
    .unwrap();
    assert_eq!(written["findings"], printed["findings"]);
}

#[test]
fn colour_follows_the_flag_then_force_color_then_no_color() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_podready"));
        c.args(["check", "."]).args(args).current_dir(legacy());
        c.env_remove("NO_COLOR").env_remove("FORCE_COLOR");
        for (k, v) in env {
            c.env(k, v);
        }
        stdout(&c.output().unwrap()).contains('\x1b')
    };
    assert!(!run(&[], &[]), "not a terminal: no colour");
    assert!(run(&["--color", "always"], &[]));
    assert!(run(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(run(&[], &[("FORCE_COLOR", "1")]));
    assert!(!run(&[], &[("FORCE_COLOR", "0")]));
    assert!(!run(&["--color", "never"], &[("FORCE_COLOR", "1")]));
}

#[test]
fn exit_zero_passes_the_gate_with_findings() {
    let out = podready(&["check", ".", "--exit-zero"], &legacy());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Found "));
    // A usage error still fails.
    let out = podready(&["check", "no-such-dir", "--exit-zero"], &legacy());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn statistics_count_each_rules_findings() {
    let report: Value = serde_json::from_str(&stdout(&podready(
        &["check", ".", "--format", "json"],
        &legacy(),
    )))
    .unwrap();
    let findings = report["findings"].as_array().unwrap();
    let out = podready(
        &["check", ".", "--statistics", "--format", "json"],
        &legacy(),
    );
    assert_eq!(out.status.code(), Some(1));
    let rows: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    for row in &rows {
        let rule = row["rule"].as_str().unwrap();
        let n = findings.iter().filter(|f| f["rule"] == rule).count();
        assert_eq!(row["count"], n, "{rule}");
    }
    let total: u64 = rows.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, findings.len());
    let text = stdout(&podready(&["check", ".", "--statistics"], &legacy()));
    assert_eq!(text.lines().count(), rows.len(), "{text}");
    let first = &rows[0];
    assert_eq!(
        text.lines().next().unwrap(),
        format!(
            "{:>6}  {:<7}  {}",
            first["count"].as_u64().unwrap(),
            first["severity"].as_str().unwrap(),
            first["rule"].as_str().unwrap()
        )
    );
    let sarif = podready(
        &["check", ".", "--statistics", "--format", "sarif"],
        &legacy(),
    );
    assert_eq!(sarif.status.code(), Some(2));
    assert_eq!(
        stderr(&sarif),
        "error: --statistics prints text or json, not sarif\n"
    );
}

#[test]
fn the_summary_counts_files_with_problems_among_those_read() {
    let report: Value = serde_json::from_str(&stdout(&podready(
        &["check", ".", "--format", "json"],
        &legacy(),
    )))
    .unwrap();
    let paths: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let files = report["summary"]["files"].as_u64().unwrap();
    let text = stdout(&podready(&["check", "."], &legacy()));
    let expected = format!(" in {} of {files} files (", paths.len());
    assert!(text.contains(&expected), "{expected}\n{text}");
}

#[test]
fn completions_for_the_usual_shells() {
    for (shell, marker) in [
        ("bash", "_podready()"),
        ("zsh", "#compdef podready"),
        ("fish", "complete -c podready"),
    ] {
        let out = podready(&["completions", shell], &legacy());
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}");
        assert!(
            script.contains("check") && script.contains("deploy"),
            "{shell}"
        );
    }
}

#[test]
fn help_says_what_the_exit_status_means() {
    let out = podready(&["--help"], &legacy());
    let help = stdout(&out);
    assert!(help.contains("Exit status:"), "{help}");
    for code in [
        "  0  success",
        "  1  findings",
        "  2  a usage or input error",
    ] {
        assert!(help.contains(code), "{code}: {help}");
    }
}

#[test]
fn sarif_links_each_rule_to_its_page_where_the_docs_are_published() {
    let repo = crate::gate::copy_fixture("rules/logging/stdout");
    let config = repo.path().join("podready.toml");
    let before = std::fs::read_to_string(&config).unwrap_or_default();
    let sarif = |repo: &std::path::Path| -> Value {
        serde_json::from_str(&stdout(&podready(
            &["check", ".", "--format", "sarif"],
            repo,
        )))
        .unwrap()
    };
    let rules = |v: &Value| {
        v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .clone()
    };
    assert!(rules(&sarif(repo.path()))
        .iter()
        .all(|r| r.get("helpUri").is_none()));
    std::fs::write(
        &config,
        format!("{before}\n[check]\ndocs_url = \"https://git.example/platform/podready/-/blob/main/docs/rules/\"\n"),
    )
    .unwrap();
    for r in rules(&sarif(repo.path())) {
        assert_eq!(
            r["helpUri"],
            format!(
                "https://git.example/platform/podready/-/blob/main/docs/rules/{}.md",
                r["id"].as_str().unwrap()
            )
        );
    }
    std::fs::write(
        &config,
        format!("{before}\n[check]\ndocs_url = \"docs/rules\"\n"),
    )
    .unwrap();
    let out = podready(&["check", ".", "--format", "sarif"], repo.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("field `check.docs_url`: `docs/rules` is not an absolute http(s) URL"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn podready_hands_what_talks_to_servers_to_podready_net_beside_it() {
    // A lone copy checks on its own and says where the rest lives.
    let dir = tempfile::tempdir().unwrap();
    let lone = dir.path().join("podready");
    std::fs::copy(env!("CARGO_BIN_EXE_podready"), &lone).unwrap();
    let abort = ["deploy", "abort", ".", "--env", "prod", "--release", "r2"];
    let check = Command::new(&lone)
        .args(["check", ".", "-q", "--no-cache"])
        .current_dir(legacy())
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(stdout(&check).contains("[host/hardcoded-ip]"));
    let out = Command::new(&lone)
        .args(abort)
        .current_dir(legacy())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "cannot run {}",
            dir.path().join("podready-net").display()
        )) && err.contains("cargo install --path bot"),
        "{err}"
    );
    // Installed together, the same command reaches podready-net's release
    // code, which asks for the spec.
    let out = podready(&abort, &legacy());
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("podready-net"), "{}", stderr(&out));
    assert!(stderr(&out).contains("deploy.yaml"), "{}", stderr(&out));
}

#[test]
fn podready_maps_no_tls_library() {
    // What `check` maps is its memory: the forge, cluster and Git clients
    // and OpenSSL (libgit2's HTTPS) are podready-net's alone.
    let needs = |bin: &str| {
        let out = Command::new("ldd").arg(bin).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let light = needs(env!("CARGO_BIN_EXE_podready"));
    assert!(
        !light.contains("libssl") && !light.contains("libcrypto"),
        "{light}"
    );
    let net = needs(env!("CARGO_BIN_EXE_podready-net"));
    assert!(net.contains("libssl"), "{net}");
}
