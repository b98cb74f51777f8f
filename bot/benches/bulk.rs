//! Bulk throughput: `podready bulk` over N generated repositories (bare
//! remotes over `file://`, made from the legacy fixture), verification off,
//! no forge. Reports repositories per minute and the peak memory of the run.
//!
//! `cargo bench -p podready --bench bulk [-- N CONCURRENCY]` (default 1000, 2)

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dev")
        .env("GIT_AUTHOR_EMAIL", "dev@acme.test")
        .env("GIT_COMMITTER_NAME", "Dev")
        .env("GIT_COMMITTER_EMAIL", "dev@acme.test")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "git {args:?}");
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(1000);
    let concurrency = args.get(1).copied().unwrap_or(2);
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/legacy-order-service");
    let template = dir.path().join("template");
    podready_testkit::copy_dir(&fixture, &template);
    git(&template, &["init", "-q", "-b", "main"]);
    git(&template, &["add", "-A"]);
    git(&template, &["commit", "-q", "-m", "app"]);
    let mut fleet =
        format!("[run]\nconcurrency = {concurrency}\nverify = \"none\"\nresolve = false\nforge = \"none\"\n\n");
    let generated = Instant::now();
    for i in 0..n {
        let bare = dir.path().join(format!("remotes/app-{i}.git"));
        git(
            dir.path(),
            &[
                "clone",
                "-q",
                "--bare",
                template.to_str().unwrap(),
                bare.to_str().unwrap(),
            ],
        );
        fleet.push_str(&format!(
            "[[repo]]\nurl = \"file://{}\"\n\n",
            bare.display()
        ));
    }
    let fleet_file = dir.path().join("fleet.toml");
    std::fs::write(&fleet_file, fleet).unwrap();
    eprintln!(
        "generated {n} repositories in {:.1} s",
        generated.elapsed().as_secs_f64()
    );

    let bin = env!("CARGO_BIN_EXE_podready");
    let time = Path::new("/usr/bin/time");
    let started = Instant::now();
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M"]).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    let out = cmd
        .args(["bulk", fleet_file.to_str().unwrap()])
        .env("HOME", dir.path())
        .env("PODREADY_CACHE", dir.path().join("cache"))
        .env_remove("GITLAB_TOKEN")
        .output()
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains(&format!("{n} repositories, 0 failed.")),
        "{stdout}\n{stderr}"
    );
    let peak = stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<u64>().ok())
        .map(|kb| format!("{:.0} MiB", kb as f64 / 1024.0))
        .unwrap_or_else(|| "unknown (install Debian's `time`)".into());
    println!(
        "{n} repositories, concurrency {concurrency}, verification off: {secs:.1} s, {:.0} repositories/minute, peak RSS {peak}",
        n as f64 / secs * 60.0
    );
}
