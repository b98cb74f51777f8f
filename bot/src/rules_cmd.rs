//! `podready rules` and `podready explain`: the rule pack's documentation.

use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Args;
use podready_rules::RulePack;

use crate::check::load_pack;

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Also list the SDK table (minimum and target versions, and why).
    #[arg(long)]
    pub sdk: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// A rules file layered over the built-in pack.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// The repository whose podready.toml applies.
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id, such as host/local-address.
    pub rule: String,
    /// A rules file layered over the built-in pack.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,
}

pub fn rules(args: &RulesArgs) -> Result<ExitCode> {
    let pack = load_pack(&args.repo, &args.rules, true)?;
    if args.json {
        let value = serde_json::json!({
            "rules": pack.rules,
            "sdk": pack.sdk,
            "standard": pack.standard,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", rules_table(&pack, args.sdk));
    Ok(ExitCode::SUCCESS)
}

fn rules_table(pack: &RulePack, sdk: bool) -> String {
    let mut out = String::new();
    let width = pack.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &pack.rules {
        let state = if r.enabled { "" } else { " (disabled)" };
        let summary = r
            .doc
            .what
            .split(". ")
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {summary}{state}",
            r.id,
            r.severity.as_str()
        );
    }
    let s = &pack.standard;
    let _ = writeln!(
        out,
        "\nDeploy standard: HTTP port {}, deploy path {}, hooks {}.",
        s.http_port,
        s.deploy_path,
        s.hooks.join(", ")
    );
    if sdk {
        out.push_str("\nSDK table:\n");
        for e in &pack.sdk {
            let plan = match (&e.min_version, &e.target_version) {
                (Some(min), Some(target)) => format!("at least {min}, upgrade to {target}"),
                _ => format!(
                    "replace with {}",
                    e.replace_with
                        .iter()
                        .map(|r| format!("{}:{}:{}", r.group, r.artifact, r.version))
                        .collect::<Vec<_>>()
                        .join(" + ")
                ),
            };
            let _ = writeln!(out, "  {}:{}  {plan}\n      {}", e.group, e.artifact, e.why);
            if let Some(line) = family_line(e) {
                let _ = writeln!(out, "      {line}");
            }
        }
        if !pack.requires.is_empty() {
            out.push_str("\nChecked on the resolved classpath:\n");
            for r in &pack.requires {
                let _ = writeln!(
                    out,
                    "  {} {} needs {} {} (else pinned to {})\n      {}",
                    r.when, r.versions, r.needs, r.needs_versions, r.pin, r.why
                );
            }
        }
    }
    out
}

/// How an SDK's family and transitive versions are handled, in words.
fn family_line(e: &podready_rules::SdkEntry) -> Option<String> {
    e.min_version.as_ref()?;
    let transitive = match e.transitive {
        podready_rules::TransitivePolicy::Pin => "pinned in <dependencyManagement>",
        podready_rules::TransitivePolicy::Report => "reported with its path",
    };
    Some(if e.family.is_empty() {
        format!("An old version arriving transitively is {transitive}.")
    } else {
        format!(
            "Moves together with {}; an old version arriving transitively is {transitive}.",
            e.family.join(", ")
        )
    })
}

pub fn explain(args: &ExplainArgs) -> Result<ExitCode> {
    let pack = load_pack(&PathBuf::from("."), &args.rules, true)?;
    // `stdout` finds `logging/stdout` when the name is unique.
    let by_name: Vec<&podready_rules::Rule> = pack
        .rules
        .iter()
        .filter(|r| r.id.split_once('/').is_some_and(|(_, n)| n == args.rule))
        .collect();
    let found = pack
        .rule(&args.rule)
        .or_else(|| (by_name.len() == 1).then(|| by_name[0]));
    let Some(rule) = found else {
        let ids: Vec<&str> = pack.rules.iter().map(|r| r.id.as_str()).collect();
        bail!("no rule `{}`; the rules are: {}", args.rule, ids.join(", "));
    };
    let d = &rule.doc;
    let mut out = format!(
        "# {} ({})\n\n## What it finds\n{}\n\n## Why it breaks in a container\n{}\n\n## What to do instead\n{}\n",
        rule.id, rule.severity, d.what, d.why, d.instead
    );
    if !d.example.trim().is_empty() {
        let _ = write!(out, "\n## Example\n```\n{}\n```\n", d.example.trim());
    }
    if rule.matchers.iter().any(|m| {
        matches!(
            m,
            podready_rules::Matcher::JavaCall {
                through_helpers: true,
                ..
            }
        )
    }) {
        let _ = write!(
            out,
            "\n## Through the project's own code\nA method or field of the repository whose value comes from what this rule finds (directly or through other such methods, in any class or package) is reported where it is used, with the chain: `via AddressUtils.getHostIp() → NetworkInterface.getNetworkInterfaces()`. Where the value only goes into static members (a constant, a static helper's result), the finding takes the worst level of their uses: info when nothing in the repository reads them, or when every use is info.\n"
        );
    }
    // Where the rule's findings are lowered, and the podready.toml field
    // that says otherwise.
    let lowered = [
        (
            rule.only_logged,
            "only_logged",
            "error",
            "Only logged",
            "A value that only reaches a log call, an exception message or `toString()` breaks nothing in a pod",
        ),
        (
            rule.command_line,
            "command_line",
            "warning",
            "Command-line code",
            "In a `main()` method, or in a module named as a command-line tool (`order-tools`, `*-cli`), the console is the program's interface",
        ),
        (
            rule.adapter,
            "adapter",
            "warning",
            "Adapter modules",
            "In a library module that leaves the logging backends this pack lists to the applications using it (`<scope>provided</scope>` or `<optional>true</optional>`, such as a log4j 2 adapter), the finding concerns only applications that choose that backend",
        ),
        (
            rule.logging_code,
            "logging_code",
            "warning",
            "The project's own logging code",
            "In a package that implements logging — it declares a class extending or implementing a logging framework's extension point (a `java.util.logging.Handler`, a logback appender or configurator, an SLF4J `Logger`; shaded copies too), or its own `Logger` or `Log` interface — the console is the fallback of code that cannot log through itself",
        ),
    ];
    for (level, field, other, title, why) in lowered {
        if let Some(level) = level {
            let _ = write!(
                out,
                "\n## {title}\n{why}: reported at {level}, not {}. Change it in podready.toml with `[rules.\"{}\"] {field} = \"{other}\"`.\n",
                rule.severity, rule.id
            );
        }
    }
    if rule.category() == "sdk" {
        out.push_str("\n## SDK table\n");
        for e in &pack.sdk {
            if let (Some(min), Some(target)) = (&e.min_version, &e.target_version) {
                let _ = writeln!(
                    out,
                    "- {}:{}: at least {min}, upgrade to {target}. {}{}",
                    e.group,
                    e.artifact,
                    e.why,
                    family_line(e).map(|l| format!(" {l}")).unwrap_or_default()
                );
            }
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
