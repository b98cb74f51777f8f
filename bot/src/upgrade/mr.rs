//! The merge request's text: what changed and why, what is left for a
//! person, the deploy spec, and the verification, in Markdown.

use std::collections::BTreeMap;
use std::fmt::Write;

use podready_analyzer::Finding;
use podready_rewriter::{Change, ManualItem, PlannedChange, Via};
use podready_rules::Severity;

use super::verify::{BaseBuild, Verification};
use crate::fix::{ConfigChange, ResolutionSummary};
use crate::forge::CiState;

/// Everything the text is made of.
pub struct MrInput<'a> {
    pub name: &'a str,
    pub base: &'a str,
    pub changes: &'a [PlannedChange],
    pub config: &'a [ConfigChange],
    pub resolution: &'a ResolutionSummary,
    pub manual: &'a [ManualItem],
    pub fixed: &'a [Finding],
    pub left: &'a [Finding],
    /// `None`: deploy.yaml unchanged; `Some(fields)`: added or extended.
    pub deploy: Option<&'a [String]>,
    /// The text of deploy.yaml as written.
    pub deploy_text: Option<&'a str>,
    pub verification: &'a Verification,
    /// The same build on the base commit, when the upgraded tree failed.
    pub base_build: Option<&'a BaseBuild>,
    pub rerun: &'a str,
    /// The forge's web address of the branch's files, for links.
    pub blob_url: Option<String>,
    /// The level `check` fails on (podready.toml's `fail_on`): findings
    /// below it ask nothing of a person.
    pub fail_on: Severity,
}

impl MrInput<'_> {
    /// The upgraded tree fails and the base did not (or was not built):
    /// only then is a failure the upgrade's.
    pub fn breaks_the_build(&self) -> bool {
        match self.verification {
            Verification::Ci { .. } => self.verification.ci_blames_the_upgrade(),
            _ => self.verification.failed() && self.base_build.is_none_or(|b| b.passed),
        }
    }

    /// `path:line`, linked to the forge's view of the branch when known.
    fn place(&self, path: &str, line: usize) -> String {
        match &self.blob_url {
            Some(base) => format!("[`{path}:{line}`]({base}/{path}#L{line})"),
            None => format!("`{path}:{line}`"),
        }
    }
}

/// Lists longer than this are folded into `<details>`.
const LONG_LIST: usize = 10;

/// Whether a finding left after the upgrade asks something of a person:
/// one below the level the gate fails on (an info finding by default: a
/// module not deployed, an adapter, an address only logged) asks nothing.
pub fn needs_a_person(f: &Finding, fail_on: Severity) -> bool {
    f.severity >= fail_on
}

/// The title of the merge request.
pub fn title(input: &MrInput) -> String {
    let failing = if input.breaks_the_build() {
        " [build failing]"
    } else {
        ""
    };
    format!(
        "podready: container-ready upgrade of {}{failing}",
        input.name
    )
}

fn by_rule(findings: &[Finding]) -> BTreeMap<&str, Vec<&Finding>> {
    let mut m: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        m.entry(f.rule.as_str()).or_default().push(f);
    }
    m
}

/// A list of findings' places and messages, folded when long.
fn places(input: &MrInput, findings: &[&Finding]) -> String {
    let mut out = String::new();
    let long = findings.len() > LONG_LIST;
    if long {
        let _ = writeln!(
            out,
            "<details><summary>{} places</summary>\n",
            findings.len()
        );
    }
    for f in findings {
        let _ = writeln!(out, "- {}: {}", input.place(&f.path, f.line), f.message);
    }
    if long {
        out.push_str("\n</details>\n");
    }
    out.push('\n');
    out
}

/// An artifact and what happened to it, in words.
pub fn describe(change: &Change) -> (String, String) {
    match change {
        Change::Upgrade {
            artifact,
            from,
            to,
            via,
        } => {
            let how = match via {
                Via::Literal => String::new(),
                Via::Property { name, shared_by } if shared_by.len() > 1 => {
                    format!(" (property `{name}`, shared by {})", shared_by.join(", "))
                }
                Via::Property { name, .. } => format!(" (property `{name}`)"),
                Via::Bom { manages } => format!(" (the BOM that manages `{manages}`)"),
            };
            (artifact.clone(), format!("{from} → {to}{how}"))
        }
        Change::Replace { artifact, with } => (
            artifact.clone(),
            format!("replaced by {}", with.join(" + ")),
        ),
        Change::Remove { artifact, because } => (artifact.clone(), format!("removed: {because}")),
        Change::Exclude { artifact, excluded } => (
            artifact.clone(),
            format!(
                "excludes {}",
                excluded
                    .iter()
                    .map(|e| format!("`{e}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Change::Add { artifact } => (artifact.clone(), "added".into()),
        Change::Pin { artifact, from, to } => (
            artifact.clone(),
            format!("{from} → {to}, pinned in `<dependencyManagement>`"),
        ),
    }
}

/// What the same build did on the base commit, in words.
fn base_build_text(base: &str, b: &BaseBuild) -> String {
    let short = b.commit.get(..12).unwrap_or(&b.commit);
    let cached = if b.cached {
        ", result kept from an earlier run"
    } else {
        ""
    };
    if b.passed {
        format!(
            "The same command **passes on `{base}`** ({short}{cached}): the upgrade breaks the build. The log above says where.\n\n"
        )
    } else {
        format!(
            "The same command **fails on `{base}` too** ({short}{cached}): the default branch does not build, so this failure is not the upgrade's. Fix the default branch; this merge request is updated on the next run.\n\n<details><summary>Last lines of the build log on `{base}`</summary>\n\n```\n{}\n```\n\n</details>\n\n",
            b.log_tail.replace("```", "'''")
        )
    }
}

/// The forge's CI on the branch (and, when it fails, on the base), in words.
fn ci_text(v: &Verification, base_branch: &str) -> String {
    let Verification::Ci { run, base } = v else {
        return String::new();
    };
    let Some(run) = run else {
        return "The repository's CI has not started a run of this branch yet; the next `podready` run reads its result.".into();
    };
    let url = &run.url;
    match run.state {
        CiState::Pending => format!(
            "The repository's CI is [running]({url}); the next `podready` run reads its result."
        ),
        CiState::Passed => format!("The repository's CI [passes]({url})."),
        CiState::Failed => match base {
            Some(b) if b.state == CiState::Failed => format!(
                "The repository's CI [fails]({url}), and it [fails on `{base_branch}` too]({}): the default branch does not build, so this failure is not the upgrade's.",
                b.url
            ),
            Some(b) if b.state == CiState::Passed => format!(
                "The repository's CI [fails]({url}) and [passes on `{base_branch}`]({}): the upgrade breaks the build.",
                b.url
            ),
            _ => format!(
                "The repository's CI [fails]({url}); no finished run of `{base_branch}` to compare with."
            ),
        },
    }
}

/// The bot's one comment: the latest verification, replaced on each run.
pub fn verification_note(v: &Verification, base_branch: &str) -> String {
    match v {
        Verification::Ci { .. } => format!("**Verification**: {}", ci_text(v, base_branch)),
        Verification::NotRun { reason } => format!("**Verification**: not run ({reason})."),
        Verification::Passed { command, seconds, .. } => {
            format!("**Verification**: `{command}` passed in {seconds:.1} s.")
        }
        Verification::Failed { command, seconds, log_tail, status } => format!(
            "**Verification**: `{command}` **failed** ({status}) after {seconds:.1} s.\n\n<details><summary>Last lines of the build log</summary>\n\n```\n{}\n```\n\n</details>",
            log_tail.replace("```", "'''")
        ),
    }
}

/// What the upgrade did to each module's resolved run-time classpath.
fn resolution_section(resolution: &ResolutionSummary) -> String {
    let mut out = String::from("### Resolved classpath\n\n");
    match resolution {
        ResolutionSummary::Off => {
            out.push_str("Not checked (`--no-resolve`): only the pom text was fixed.\n\n");
        }
        ResolutionSummary::Unavailable { reason } => {
            let _ = writeln!(out, "**Not checked**: {reason}.\n");
        }
        ResolutionSummary::Resolved {
            maven,
            modules,
            problems,
            ..
        } => {
            if modules.is_empty() {
                let _ = writeln!(
                    out,
                    "Resolved with {maven}: no module's run-time classpath changed.\n"
                );
            } else {
                let _ = writeln!(
                    out,
                    "Resolved with {maven} before and after: what each module runs with.\n\n<details><summary>{} module{} changed</summary>\n",
                    modules.len(),
                    if modules.len() == 1 { "" } else { "s" }
                );
                for m in modules {
                    let _ = writeln!(out, "- `{}`", m.pom);
                    for a in &m.diff.removed {
                        let _ = writeln!(out, "  - removed `{a}`");
                    }
                    for a in &m.diff.added {
                        let _ = writeln!(out, "  - added `{a}`");
                    }
                    for c in &m.diff.changed {
                        let _ = writeln!(out, "  - `{}` {} → {}", c.artifact, c.from, c.to);
                    }
                }
                out.push_str("\n</details>\n\n");
            }
            for p in problems {
                let _ = writeln!(
                    out,
                    "- **Not resolved** in {}: {}",
                    p.module
                        .as_deref()
                        .map_or("the build".to_string(), |m| format!("`{m}`")),
                    p.message
                );
            }
            if !problems.is_empty() {
                out.push('\n');
            }
        }
    }
    out
}

/// The description, in Markdown.
pub fn body(input: &MrInput) -> String {
    let mut out = String::new();
    let build = match input.verification {
        Verification::Passed { .. } => "the build passes",
        Verification::Failed { .. } if !input.breaks_the_build() => {
            "the build fails, as it already does on the base"
        }
        Verification::Failed { .. } => "**the build fails**",
        Verification::NotRun { .. } => "not verified",
        Verification::Ci { run: None, .. } => "the CI has not run yet",
        Verification::Ci { run: Some(r), .. } => match r.state {
            CiState::Pending => "the CI is running",
            CiState::Passed => "the CI passes",
            CiState::Failed if !input.breaks_the_build() => {
                "the CI fails, and not (yet) known to pass on the base"
            }
            CiState::Failed => "**the CI fails**",
        },
    };
    let _ = writeln!(
        out,
        "From `{}`: {}, {} fixed, {} left for a person; {build}.\n",
        input.base,
        crate::plural(
            input.changes.len(),
            "dependency change",
            "dependency changes"
        ),
        crate::plural(input.fixed.len(), "finding", "findings"),
        input
            .left
            .iter()
            .filter(|f| needs_a_person(f, input.fail_on))
            .count()
            + input.manual.len()
    );

    out.push_str("### Dependency changes\n\n");
    if input.changes.is_empty() {
        out.push_str("None.\n\n");
    } else {
        out.push_str("| artifact | change | where |\n|---|---|---|\n");
        // The reason is said once per artifact, below the table.
        let mut whys: Vec<(String, Vec<&str>)> = Vec::new();
        for c in input.changes {
            let (artifact, what) = describe(&c.change);
            let _ = writeln!(
                out,
                "| `{artifact}` | {what} | {} |",
                input.place(&c.pom, c.line)
            );
            match whys.iter_mut().find(|(a, _)| *a == artifact) {
                Some((_, list)) if !list.contains(&c.why.as_str()) => list.push(&c.why),
                Some(_) => {}
                None => whys.push((artifact, vec![&c.why])),
            }
        }
        out.push_str("\n**Why**\n\n");
        for (artifact, list) in whys {
            let _ = writeln!(out, "- `{artifact}`: {}", list.join(" "));
        }
        out.push('\n');
    }
    if !input.config.is_empty() {
        out.push_str("### Logging configuration\n\n");
        for c in input.config {
            let _ = writeln!(out, "- `{}`: {} ({})", c.path, c.what, c.why);
        }
        out.push('\n');
    }
    out.push_str(&resolution_section(input.resolution));
    if !input.manual.is_empty() {
        out.push_str("### Dependencies left for a person\n\n");
        for m in input.manual {
            let _ = writeln!(
                out,
                "- {} `{}`: {}",
                input.place(&m.pom, m.line),
                m.artifact,
                m.reason
            );
        }
        out.push('\n');
    }

    out.push_str("### Findings fixed\n\n");
    if input.fixed.is_empty() {
        out.push_str("None.\n\n");
    } else {
        for (rule, fs) in by_rule(input.fixed) {
            let _ = writeln!(out, "- `{rule}`: {}", fs.len());
        }
        out.push('\n');
    }
    let (left, notes): (Vec<Finding>, Vec<Finding>) = input
        .left
        .iter()
        .cloned()
        .partition(|f| needs_a_person(f, input.fail_on));
    out.push_str("### Findings left for a person\n\n");
    if left.is_empty() && notes.is_empty() {
        out.push_str("None: `podready check` is clean.\n\n");
    } else if left.is_empty() {
        let _ = writeln!(
            out,
            "None at the level the gate fails on ({}).\n",
            input.fail_on.as_str()
        );
    } else {
        for (rule, fs) in by_rule(&left) {
            let _ = writeln!(
                out,
                "#### `{rule}` ({})\n\n{}\n",
                fs.len(),
                fs[0].remediation
            );
            out.push_str(&places(input, &fs));
        }
    }
    if !notes.is_empty() {
        // A lowered one says why; the rule's remediation would contradict
        // it (an adapter keeps the backend `fix` replaces).
        let _ = writeln!(
            out,
            "### Notes\n\n{} below the level the gate fails on ({}); a finding lowered from its rule's level says why.\n",
            crate::plural(notes.len(), "finding", "findings"),
            input.fail_on.as_str()
        );
        for (rule, fs) in by_rule(&notes) {
            let _ = writeln!(out, "#### `{rule}` ({})\n", fs.len());
            out.push_str(&places(input, &fs));
        }
    }

    out.push_str("### Deploy spec\n\n");
    match input.deploy {
        None => out.push_str("`deploy.yaml` is unchanged.\n\n"),
        Some(fields) if fields.iter().any(|f| f == "everything") => out
            .push_str("`deploy.yaml` was added; each inferred value says where it came from.\n\n"),
        Some(fields) => {
            let _ = writeln!(
                out,
                "`deploy.yaml` was completed with: {}.\n",
                fields.join(", ")
            );
        }
    }
    if let (Some(_), Some(spec)) = (input.deploy, input.deploy_text) {
        let _ = writeln!(
            out,
            "<details><summary>deploy.yaml</summary>\n\n```yaml\n{}\n```\n\n</details>\n",
            spec.trim_end().replace("```", "'''")
        );
    }

    out.push_str("### Verification\n\n");
    match input.verification {
        Verification::NotRun { reason } => {
            let _ = writeln!(out, "Not verified: {reason}.\n");
        }
        Verification::Ci { .. } => {
            let _ = writeln!(out, "{}\n", ci_text(input.verification, input.base));
        }
        Verification::Passed {
            command,
            seconds,
            log_tail,
        }
        | Verification::Failed {
            command,
            seconds,
            log_tail,
            ..
        } => {
            let result = match input.verification {
                Verification::Failed { status, .. } => format!("**failed** ({status})"),
                _ => "passed".to_string(),
            };
            let _ = writeln!(
                out,
                "`{command}` on the upgraded tree: {result} in {seconds:.1} s.\n\n<details><summary>Last lines of the build log</summary>\n\n```\n{}\n```\n\n</details>\n",
                log_tail.replace("```", "'''")
            );
            if let Some(b) = input.base_build {
                out.push_str(&base_build_text(input.base, b));
            }
        }
    }
    let _ = writeln!(
        out,
        "### How to re-run\n\n`{}` (this merge request is updated in place; commits by anyone but the bot stop the updates).",
        input.rerun
    );
    out
}
