//! `podready check`: the CI pre-compile gate.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use podready_analyzer::{analyze_cached, Analysis, Baseline, Finding, Options};
use podready_cache::ResultCache;
use podready_rules::{RulePack, Severity};

use crate::report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Gitlab,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The repository (or file) to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Fail (exit 1) on findings at or above this severity
    /// [default: podready.toml's `[check] fail_on`, else warning].
    #[arg(long, value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// A rules file layered over the built-in pack and podready.toml.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// Report only findings not in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings as a baseline file and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Do not read podready.toml from the scanned repository.
    #[arg(long)]
    pub no_config: bool,
    /// Also report to the merge request or pull request of this pipeline:
    /// GitLab CI (CI_MERGE_REQUEST_IID, GITLAB_TOKEN) or GitHub Actions
    /// (GITHUB_EVENT_PATH, GITHUB_TOKEN).
    #[arg(long, value_enum)]
    pub report: Option<ReportTarget>,
    /// Keep each file's result here between runs, so that a run after a
    /// change re-analyses only what it touches [default: the user's cache
    /// directory, ~/.cache/podready/check].
    #[arg(long, value_name = "DIR", env = "PODREADY_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Analyse every file, reading and writing no cache (whatever
    /// --cache-dir or PODREADY_CACHE_DIR say).
    #[arg(long)]
    pub no_cache: bool,
    /// Print the findings only: no notes, no summary (text format).
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Colour the text report: auto (on a terminal, unless NO_COLOR is
    /// set; FORCE_COLOR forces it), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Exit 0 even when findings fail the gate (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print how many findings each rule has instead of the findings
    /// (text or json).
    #[arg(long)]
    pub statistics: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a terminal or not (`to_terminal`).
    fn decide(self, to_terminal: bool) -> bool {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("FORCE_COLOR") => true,
            ColorChoice::Auto => !set("NO_COLOR") && to_terminal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportTarget {
    /// One note with the findings on changed lines, and a discussion on each.
    Mr,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

/// The name of the per-repository configuration file.
pub const CONFIG_FILE: &str = "podready.toml";

/// The built-in pack with the repository's podready.toml and the given
/// rules files layered on, in that order.
pub fn load_pack(root: &Path, extra: &[PathBuf], read_config: bool) -> Result<RulePack> {
    let mut pack = RulePack::builtin().context("the built-in rule pack is invalid")?;
    let config = root.join(CONFIG_FILE);
    if read_config && root.is_dir() && config.is_file() {
        pack.apply_file(&config)?;
    }
    for file in extra {
        pack.apply_file(file)?;
    }
    podready_analyzer::check_pack(&pack)?;
    Ok(pack)
}

/// What a check ends with: its exit status and, when it printed a report,
/// the root and the findings in it (for `--report mr`).
pub struct Checked {
    pub exit: ExitCode,
    pub printed: Option<(PathBuf, Vec<Finding>)>,
}

pub fn run(args: &CheckArgs) -> Result<Checked> {
    if !args.path.exists() {
        bail!(
            "{}: no such file or directory (give the path of a repository to scan)",
            args.path.display()
        );
    }
    let (root, asked) = repository_root(&args.path)?;
    let pack = load_pack(&root, &args.rules, !args.no_config)?;
    let mut options = Options::from_pack(&pack);
    options.only_under = asked;
    // A baseline kept in the repository is podready's own file, not config.
    for file in args.baseline.iter().chain(&args.write_baseline) {
        if let Some(rel) = relative_to(&root, file) {
            options.exclude.push(rel);
        }
    }
    let cache = if args.no_cache {
        None
    } else {
        open_cache(args.cache_dir.clone())
    };
    let mut analysis = analyze_cached(&root, &pack, &options, cache.as_ref())?;
    if let Some(cache) = &cache {
        // The cache only saves time: a run goes on without it.
        if let Err(e) = cache.commit() {
            eprintln!("warning: the results were not cached: {e}");
        }
    }
    // Below the root, nothing to read is an answer (a test source is not
    // checked); at the root it means a wrong path.
    if options.only_under.is_none() && analysis.files == 0 && analysis.notes.is_empty() {
        bail!(
            "{}: no Java sources, poms or config files to check; is this the repository root?",
            args.path.display()
        );
    }

    if let Some(out) = &args.write_baseline {
        let baseline = Baseline::from_findings(&analysis.findings);
        podready_rewriter::write_atomic(out, baseline.to_json().as_bytes())?;
        eprintln!(
            "wrote {} with {} findings; check against it with --baseline {}",
            out.display(),
            analysis.findings.len(),
            out.display()
        );
        return Ok(Checked {
            exit: ExitCode::SUCCESS,
            printed: None,
        });
    }
    let mut baselined = 0;
    if let Some(file) = &args.baseline {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read baseline {}", file.display()))?;
        let baseline = Baseline::parse(&text)
            .with_context(|| format!("baseline {} is not valid", file.display()))?;
        let (kept, known) = baseline.filter(std::mem::take(&mut analysis.findings));
        analysis.findings = kept;
        baselined = known;
    }

    let fail_on = args
        .fail_on
        .or(pack.check.fail_on)
        .unwrap_or(Severity::Warning);
    let ctx = report::Context {
        root: &root,
        pack: &pack,
        analysis: &analysis,
        baselined,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = args.color.decide(to_terminal);
    let rendered = match (args.format, args.statistics) {
        (Format::Text, false) => report::text::render(&ctx, color, args.quiet),
        (Format::Text, true) => report::text::statistics(&ctx),
        (Format::Json, false) => report::json::render(&ctx),
        (Format::Json, true) => report::json::statistics(&ctx),
        (Format::Sarif, false) => report::sarif::render(&ctx),
        (Format::Gitlab, false) => report::gitlab::render(&ctx),
        (format @ (Format::Sarif | Format::Gitlab), true) => bail!(
            "--statistics prints text or json, not {}",
            format!("{format:?}").to_ascii_lowercase()
        ),
    };
    match &args.output {
        Some(file) => podready_rewriter::write_atomic(file, rendered.as_bytes())
            .with_context(|| format!("cannot write the report to {}", file.display()))?,
        None => print!("{rendered}"),
    }
    if args.format != Format::Text || args.output.is_some() {
        print_notes(&analysis);
    }
    let failing = !args.exit_zero && analysis.findings.iter().any(|f| f.severity >= fail_on);
    Ok(Checked {
        exit: if failing {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
        printed: Some((root, analysis.findings)),
    })
}

/// The result cache in `dir`, else in the user's cache directory; `None`
/// with a warning when it cannot be opened, since it only saves time.
fn open_cache(dir: Option<PathBuf>) -> Option<ResultCache> {
    let dir = dir.or_else(|| {
        std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|base| base.join("podready").join("check"))
    })?;
    match ResultCache::open_for_build(&dir, podready_analyzer::BUILD) {
        Ok(cache) => {
            if let Some(why) = cache.rebuilt() {
                eprintln!(
                    "note: the result cache {} was emptied: {why}",
                    cache.path().display()
                );
            }
            Some(cache)
        }
        Err(e) => {
            eprintln!("warning: running without the result cache: {e}");
            None
        }
    }
}

/// The repository `path` belongs to, and where `path` is in it (`None`
/// for the root itself): the nearest directory at or above `path` holding
/// podready.toml or `.git` (a directory, or a file in a worktree or
/// submodule); without one, `path` itself, or its directory for a file.
/// Wherever the gate is pointed, it then reads the same configuration and
/// reports the same root-relative paths.
fn repository_root(path: &Path) -> Result<(PathBuf, Option<String>)> {
    let full = std::fs::canonicalize(path)
        .with_context(|| format!("{}: cannot resolve the path", path.display()))?;
    let start = if full.is_dir() {
        full.as_path()
    } else {
        full.parent().unwrap_or(&full)
    };
    let root = start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file() || dir.join(".git").exists())
        .unwrap_or(start)
        .to_path_buf();
    let asked = relative_to(&root, &full).filter(|rel| !rel.is_empty());
    Ok((root, asked))
}

/// `file` relative to `root` with `/` separators, when it is inside it.
fn relative_to(root: &Path, file: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let parent = std::fs::canonicalize(
        file.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )
    .ok()?;
    let full = parent.join(file.file_name()?);
    let rel = full.strip_prefix(&root).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// Machine formats keep stdout clean; what could not be analysed still
/// reaches the person reading the job log.
fn print_notes(analysis: &Analysis) {
    for n in analysis.notes.iter().filter(|n| report::is_problem(n)) {
        eprintln!("warning: {}: {}", n.path, n.message);
    }
}
