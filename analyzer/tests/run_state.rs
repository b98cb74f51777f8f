//! The state a run leaves for the next: a run with nothing changed reads
//! no file and looks up no per-file result; a changed file is analysed
//! again; and whatever changed — a file's content, its facts, a new file,
//! a `.gitignore` edited in place — the result is the one a run without
//! any cache gives.

use std::path::{Path, PathBuf};
use std::time::Duration;

use podready_analyzer::{analyze, analyze_cached, Options};
use podready_cache::ResultCache;
use podready_rules::RulePack;

mod cached;

use cached::rendered;
use podready_testkit::copy_dir;

/// Longer than the time within which a status is not trusted.
const PAST_RACY: Duration = Duration::from_millis(1_100);

/// One run through the cache in `dir`: what it says, how many lookups
/// (hits + misses) it made, and whether it walked.
fn through(root: &Path, dir: &Path, pack: &RulePack, options: &Options) -> (String, usize, bool) {
    let cache = ResultCache::open(dir).unwrap();
    let a = analyze_cached(root, pack, options, Some(&cache)).unwrap();
    cache.commit().unwrap();
    let (hits, misses) = cache.hits_and_misses();
    (rendered(&a), hits + misses, a.walked)
}

/// A repository under test, with its cache beside it.
struct Repo {
    root: PathBuf,
    cache: PathBuf,
    pack: RulePack,
    options: Options,
}

impl Repo {
    fn new(root: PathBuf, cache: PathBuf) -> Repo {
        let pack = RulePack::builtin().unwrap();
        let options = Options::from_pack(&pack);
        Repo {
            root,
            cache,
            pack,
            options,
        }
    }

    fn plain(&self) -> String {
        rendered(&analyze(&self.root, &self.pack, &self.options).unwrap())
    }

    fn cached(&self) -> (String, usize, bool) {
        through(&self.root, &self.cache, &self.pack, &self.options)
    }

    /// Once every status is old enough to trust, a run records the state
    /// and the next one is served from it without walking.
    fn settle(&self) {
        std::thread::sleep(PAST_RACY);
        self.cached();
        let (out, lookups, walked) = self.cached();
        assert_eq!(out, self.plain());
        // The state, and where the names were found (read while the
        // findings are lowered, before they say whether it is needed):
        // nothing per file.
        assert_eq!(lookups, 2, "served from the state");
        assert!(!walked, "served from the state");
    }

    /// After a change: the cached run says what an uncached one says.
    fn agrees(&self) -> String {
        let want = self.plain();
        assert_eq!(self.cached().0, want);
        want
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const POM: &str = "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version></project>\n";

const PRINTING: &str =
    "package p;\n\nclass Printing {\n    void run() {\n        System.out.println(\"x\");\n    }\n}\n";

#[test]
fn the_next_run_reuses_what_did_not_change_and_says_the_same() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/helpers"),
        &root,
    );
    std::fs::write(root.join(".gitignore"), "*.log\n").unwrap();
    let repo = Repo::new(root.clone(), work.path().join("cache"));
    let (first, lookups, _) = repo.cached();
    assert_eq!(first, repo.plain());
    assert!(lookups > 10, "the first run looks up every file: {lookups}");
    repo.settle();

    // A comment appended: that file alone is analysed again (its first
    // pass and its rounds), the rest comes from the state.
    let caller = root.join("src/main/java/com/acme/other/Caller.java");
    let mut text = std::fs::read_to_string(&caller).unwrap();
    text.push_str("\n// an edit that changes nothing\n");
    std::fs::write(&caller, text).unwrap();
    let (edited, lookups, walked) = repo.cached();
    assert_eq!(edited, repo.plain());
    assert!(!walked);
    assert!(
        (2..=6).contains(&lookups),
        "the state and the edited file's rounds: {lookups}"
    );

    // A helper that no longer asks the machine: other files' findings go,
    // which the state cannot know; the run is done again.
    let helper = root.join("src/main/java/com/acme/net/AddressUtils.java");
    let text = std::fs::read_to_string(&helper).unwrap();
    std::fs::write(
        &helper,
        text.replace("getNetworkInterfaces()", "getLoopbackAddress()"),
    )
    .unwrap();
    assert_ne!(repo.agrees(), edited, "the edit changes the findings");

    // A new file in a folder the walk listed.
    write(
        &root.join("src/main/java/com/acme/app/Printing.java"),
        PRINTING,
    );
    assert!(repo.agrees().contains("Printing.java"));

    // The .gitignore rewritten in place (its folder unchanged).
    repo.settle();
    std::fs::write(root.join(".gitignore"), "*.log\nPrinting.java\n").unwrap();
    assert!(!repo.agrees().contains("Printing.java"));
}

/// Written anew as editors and `git checkout` do: a new file renamed over
/// the old one, which changes its folder.
fn write_anew(path: &Path, text: &str) {
    let new = path.with_extension("podready-test-new");
    std::fs::write(&new, text).unwrap();
    std::fs::rename(&new, path).unwrap();
}

#[test]
fn a_file_written_anew_lists_its_folder_again_not_the_tree() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/helpers"),
        &root,
    );
    std::fs::write(root.join(".gitignore"), "Scratch*.java\n").unwrap();
    let repo = Repo::new(root.clone(), work.path().join("cache"));
    repo.settle();

    let caller = root.join("src/main/java/com/acme/other/Caller.java");
    let text = std::fs::read_to_string(&caller).unwrap();
    write_anew(&caller, &format!("{text}\n// saved again\n"));
    let (out, _, walked) = repo.cached();
    assert_eq!(out, repo.plain());
    assert!(!walked, "its folder lists the same files");

    // A file the root's .gitignore leaves out, beside it: the listing is
    // the same.
    write(&caller.with_file_name("ScratchPrinting.java"), PRINTING);
    let (out, _, walked) = repo.cached();
    assert_eq!(out, repo.plain());
    assert!(!out.contains("ScratchPrinting.java"));
    assert!(!walked, "an ignored file changes nothing");

    // One it reads: the tree is walked.
    write(&caller.with_file_name("Printing.java"), PRINTING);
    let (out, _, walked) = repo.cached();
    assert_eq!(out, repo.plain());
    assert!(out.contains("Printing.java"));
    assert!(walked);

    // A new folder: walked too.
    repo.settle();
    write(
        &root.join("src/main/java/com/acme/more/Printing.java"),
        PRINTING,
    );
    let (out, _, walked) = repo.cached();
    assert_eq!(out, repo.plain());
    assert!(out.contains("more/Printing.java"));
    assert!(walked);
}

#[test]
fn a_folder_gaining_a_gitignore_or_an_output_folder_is_walked() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    write(&root.join("pom.xml"), POM);
    write(&root.join("src/main/java/p/gen/Printing.java"), PRINTING);
    let repo = Repo::new(root.clone(), work.path().join("cache"));
    repo.settle();
    // Its patterns reach below the folder that gained it.
    write(&root.join("src/.gitignore"), "main/java/p/gen/\n");
    std::thread::sleep(PAST_RACY);
    let (out, _, walked) = repo.cached();
    assert_eq!(out, repo.plain());
    assert!(!out.contains("Printing.java"));
    assert!(walked);

    // A build's output folder, then a pom in it: a module from then on.
    repo.settle();
    std::fs::create_dir_all(root.join("target")).unwrap();
    let (out, _, walked) = repo.cached();
    assert_eq!(out, repo.plain());
    assert!(walked, "the output folder's pom.xml is now an input");
    repo.settle();
    write(&root.join("target/pom.xml"), POM);
    write(
        &root.join("target/src/main/java/p/Built.java"),
        &PRINTING.replace("Printing", "Built"),
    );
    assert!(repo.agrees().contains("Built.java"));
}

#[test]
fn a_tracked_file_the_gitignore_names_is_kept_when_its_folder_is_listed_again() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    write(&root.join("pom.xml"), POM);
    write(&root.join("src/main/java/p/Printing.java"), PRINTING);
    let config = root.join("src/main/resources/application.properties");
    write(&config, "db.url=jdbc:mysql://10.1.2.3:3306/orders\n");
    let git = git2::Repository::init(&root).unwrap();
    let mut index = git.index().unwrap();
    index
        .add_path(Path::new("src/main/resources/application.properties"))
        .unwrap();
    index.write().unwrap();
    write(&root.join(".gitignore"), "*.properties\n");
    let repo = Repo::new(root.clone(), work.path().join("cache"));
    repo.settle();
    assert!(repo.plain().contains("10.1.2.3"), "tracked, so read");

    write_anew(&config, "db.url=jdbc:mysql://10.9.8.7:3306/orders\n");
    let (out, _, walked) = repo.cached();
    assert_eq!(out, repo.plain());
    assert!(out.contains("10.9.8.7"));
    assert!(!walked);

    // Gone from the work tree: the listing differs.
    std::fs::remove_file(&config).unwrap();
    let (out, _, walked) = repo.cached();
    assert_eq!(out, repo.plain());
    assert!(!out.contains("10.9.8.7"));
    assert!(walked);
}

#[test]
fn a_single_file_is_analysed_as_without_a_cache() {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("app.properties");
    write(&file, "db.url=jdbc:mysql://10.1.2.3:3306/orders\n");
    let repo = Repo::new(file, work.path().join("cache"));
    std::thread::sleep(PAST_RACY);
    for _ in 0..3 {
        let (out, _, walked) = repo.cached();
        assert_eq!(out, repo.plain());
        assert!(out.contains("10.1.2.3"));
        assert!(walked);
    }
}

#[test]
fn an_output_folder_that_gains_a_pom_is_a_module_from_then_on() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    write(&root.join("pom.xml"), POM);
    write(&root.join("target/src/main/java/p/Printing.java"), PRINTING);
    let repo = Repo::new(root.clone(), work.path().join("cache"));
    repo.settle();
    assert!(!repo.plain().contains("Printing.java"), "build output");
    write(&root.join("target/pom.xml"), POM);
    assert!(repo.agrees().contains("Printing.java"));
}

#[test]
fn a_gitignore_made_above_the_root_is_seen() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("mono/svc");
    write(&root.join("pom.xml"), POM);
    write(&root.join("src/main/java/p/Printing.java"), PRINTING);
    let repo = Repo::new(root, work.path().join("cache"));
    repo.settle();
    write(&work.path().join("mono/.gitignore"), "*.java\n");
    assert!(!repo.agrees().contains("Printing.java"));
}

#[test]
fn a_root_and_a_gitignore_reached_through_links_are_followed() {
    let work = tempfile::tempdir().unwrap();
    let real = work.path().join("real");
    write(&real.join("pom.xml"), POM);
    write(&real.join("src/main/java/p/Printing.java"), PRINTING);
    write(&work.path().join("dotfiles/ignore"), "*.log\n");
    std::os::unix::fs::symlink(work.path().join("dotfiles/ignore"), real.join(".gitignore"))
        .unwrap();
    let link = work.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let repo = Repo::new(link, work.path().join("cache"));
    repo.settle();
    write(
        &real.join("Second.java"),
        &PRINTING.replace("Printing", "Second"),
    );
    assert!(repo.agrees().contains("Second.java"));
    repo.settle();
    write(&work.path().join("dotfiles/ignore"), "*.log\nSecond.java\n");
    assert!(!repo.agrees().contains("Second.java"));
}

#[test]
fn a_worktrees_excludes_are_its_common_directorys() {
    let work = tempfile::tempdir().unwrap();
    let main = work.path().join("main");
    write(&main.join("pom.xml"), POM);
    write(&main.join("src/main/java/p/Printing.java"), PRINTING);
    let git = |dir: &Path, args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&main, &["init", "-q"]);
    git(&main, &["add", "."]);
    git(&main, &["commit", "-qm", "c"]);
    let tree = work.path().join("tree");
    git(&main, &["worktree", "add", "-q", tree.to_str().unwrap()]);
    // An untracked file: only the excludes decide whether it is read.
    write(
        &tree.join("Untracked.java"),
        &PRINTING.replace("Printing", "Untracked"),
    );
    let repo = Repo::new(tree, work.path().join("cache"));
    repo.settle();
    write(&main.join(".git/info/exclude"), "Untracked.java\n");
    assert!(!repo.agrees().contains("Untracked.java"));
}

#[test]
fn a_dangling_gitignore_link_whose_target_appears_is_seen() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    write(&root.join("pom.xml"), POM);
    write(&root.join("src/main/java/p/Printing.java"), PRINTING);
    std::os::unix::fs::symlink(
        work.path().join("dotfiles/ignore"),
        root.join("src/.gitignore"),
    )
    .unwrap();
    let repo = Repo::new(root, work.path().join("cache"));
    repo.settle();
    write(&work.path().join("dotfiles/ignore"), "*.java\n");
    assert!(!repo.agrees().contains("Printing.java"));
}

#[test]
fn an_output_folder_left_out_for_a_linked_pom_is_walked_once_the_link_dangles() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    write(&work.path().join("shared/pom.xml"), POM);
    std::fs::create_dir_all(&root).unwrap();
    std::os::unix::fs::symlink(work.path().join("shared/pom.xml"), root.join("pom.xml")).unwrap();
    write(&root.join("target/Printing.java"), PRINTING);
    let repo = Repo::new(root, work.path().join("cache"));
    repo.settle();
    assert!(!repo.plain().contains("Printing.java"), "build output");
    std::fs::remove_file(work.path().join("shared/pom.xml")).unwrap();
    assert!(repo.agrees().contains("Printing.java"));
}

/// Files the pre-filter leaves unparsed: one that comes to name a helper
/// found to ask the machine is parsed and reported; a parsed one that no
/// longer names what a rule looks for, or a helper parsed only because a
/// caller asked about it, changes what the state may keep.
#[test]
fn files_left_unparsed_are_parsed_once_they_name_a_lookup() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/helpers"),
        &root,
    );
    let quiet = root.join("src/main/java/com/acme/app/Quiet.java");
    write(
        &quiet,
        "package com.acme.app;\n\nclass Quiet {\n    String name() {\n        return \"quiet\";\n    }\n}\n",
    );
    let repo = Repo::new(root.clone(), work.path().join("cache"));
    repo.settle();
    assert!(!repo.plain().contains("Quiet.java"));

    // The same file, now handing out a helper's lookup.
    write(
        &quiet,
        "package com.acme.app;\n\nimport com.acme.net.AddressUtils;\n\nclass Quiet {\n    String name() {\n        return AddressUtils.getHostIp();\n    }\n}\n",
    );
    assert!(repo.agrees().contains("Quiet.java"));

    // A file parsed for its trigger loses it.
    repo.settle();
    let printing = root.join("src/main/java/com/acme/app/Printing.java");
    write(&printing, PRINTING);
    assert!(repo.agrees().contains("Printing.java"));
    repo.settle();
    write(
        &printing,
        &PRINTING.replace("System.out.println(\"x\");", "run();"),
    );
    assert!(!repo.agrees().contains("Printing.java"));

    // The helper parsed only because `Addresses` asked about it stops
    // handing on its argument: `Registration`'s finding goes.
    repo.settle();
    let text = root.join("src/main/java/com/acme/net/Text.java");
    let before = std::fs::read_to_string(&text).unwrap();
    write(
        &text,
        &before.replace("return value.trim();", "return \"\";"),
    );
    assert!(!repo.agrees().contains("Registration.java"));
}

/// A helper parsed for a word of its own that it loses, while another
/// file asks whether it hands on its argument: a run without the state
/// parses it for that question, so the state is not used.
#[test]
fn a_parsed_helper_losing_its_trigger_is_still_asked_about() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    let java = root.join("src/main/java/com/acme");
    write(
        &java.join("net/Net.java"),
        "package com.acme.net;\n\nimport java.net.InetAddress;\n\npublic class Net {\n    public static String ip() throws Exception {\n        return Strings.clean(InetAddress.getLocalHost().getHostAddress());\n    }\n}\n",
    );
    write(
        &java.join("app/Conf.java"),
        "package com.acme.app;\n\nimport com.acme.net.Net;\n\npublic class Conf {\n    static void register(java.util.Map<String, String> m) throws Exception {\n        m.put(\"host\", Net.ip());\n    }\n}\n",
    );
    let strings = java.join("net/Strings.java");
    write(
        &strings,
        "package com.acme.net;\n\npublic class Strings {\n    public static String clean(String s) {\n        System.out.println(\"cleaning\");\n        return \"\";\n    }\n}\n",
    );
    let repo = Repo::new(root.clone(), work.path().join("cache"));
    repo.settle();
    assert!(!repo.plain().contains("Conf.java"));
    write(
        &strings,
        "package com.acme.net;\n\npublic class Strings {\n    public static String clean(String s) {\n        return s.trim();\n    }\n}\n",
    );
    assert!(repo.agrees().contains("Conf.java"));
}

#[test]
fn what_a_files_text_answered_is_kept_while_it_is_unchanged() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/gradle-modules"),
        &root,
    );
    // Old enough that the first run's record, answers included, is
    // trusted by the next.
    std::thread::sleep(PAST_RACY);
    let repo = Repo::new(root.clone(), work.path().join("cache"));
    let first = repo.agrees();
    let codec_never_runs = |out: &str| {
        out.lines()
            .any(|l| l.contains("in Codec") && l.contains("never runs"))
    };
    assert!(
        !codec_never_runs(&first),
        "ShipmentCodec extends Codec: decode() may run"
    );
    assert_eq!(repo.cached().0, first, "answered from the record");

    // A file sorting first moves every other file's place in the walk;
    // answers are kept by path.
    write(&root.join("aaa/src/main/java/Early.java"), PRINTING);
    std::thread::sleep(PAST_RACY);
    // Each run takes the other files' answers from the record, by path,
    // at their new places in the walk.
    repo.agrees();
    repo.agrees();

    // The file that extends the class changes: its answer is worked out
    // again, and the class nothing else names never runs.
    let codec = root.join("server/src/main/java/com/acme/shipping/ShipmentCodec.java");
    let text = std::fs::read_to_string(&codec).unwrap();
    std::fs::write(&codec, text.replace("extends Codec ", "")).unwrap();
    assert!(codec_never_runs(&repo.agrees()));
}
