//! `background-start`: shell scripts that start a program in the
//! background, as a VM's start script does (`nohup java -jar app.jar >
//! app.log 2>&1 &`). Scripts are read here, once the walk has listed them:
//! no per-file analysis reads them.

use podready_rules::matcher::BackgroundStart;

use super::{non_empty, Compiled, Invalid};
use crate::finding::{Finding, RawFinding};
use crate::walk::{FileKind, RepoFile};

pub(super) const READS: &[FileKind] = &[];

pub(super) fn compile(rule: usize, m: &BackgroundStart, c: &mut Compiled) -> Result<(), Invalid> {
    for program in non_empty("programs", &m.programs)? {
        if program.is_empty() || program.contains(|c: char| c.is_whitespace() || c == '/') {
            return Err(Invalid::new(
                "programs",
                format!("`{program}` is not a command's name (`java`)"),
            ));
        }
    }
    c.background_starts.push((
        rule,
        m.programs.iter().map(|p| p.to_ascii_lowercase()).collect(),
    ));
    Ok(())
}

/// Whether a file is a shell script: `*.sh`, `*.bash`, or a launcher
/// without extension in a `bin/` folder (`bin/mqbroker`).
fn is_shell_script(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".sh")
        || lower.ends_with(".bash")
        || (!name.contains('.') && (rel.starts_with("bin/") || rel.contains("/bin/")))
}

/// What the repository's shell scripts say: the lines that start one of
/// the rules' programs in the background, and how many scripts and lines
/// were read.
#[derive(Default)]
pub(crate) struct ScriptFindings {
    pub findings: Vec<Finding>,
    pub files: usize,
    pub lines: usize,
}

/// The lines of the repository's shell scripts that start one of the
/// rules' programs in the background.
pub(crate) fn findings<'f>(
    files: impl Iterator<Item = &'f RepoFile>,
    c: &Compiled,
    max_file_size: u64,
) -> ScriptFindings {
    let mut out = ScriptFindings::default();
    if c.background_starts.is_empty() {
        return out;
    }
    for f in files.filter(|f| is_shell_script(&f.rel)) {
        let rules: Vec<&(usize, Vec<String>)> = c
            .background_starts
            .iter()
            .filter(|(rule, _)| c.applies(*rule, f.is_test))
            .collect();
        if rules.is_empty() {
            continue;
        }
        let Ok(src) = crate::read_text(f, max_file_size) else {
            continue;
        };
        out.files += 1;
        out.lines += src.line_count();
        // A script that also starts the program in the foreground offers a
        // daemon mode beside it (Kafka's `kafka-run-class.sh`): a
        // container runs the other branch.
        let rules: Vec<(usize, Programs)> = rules
            .iter()
            .map(|(rule, names)| (*rule, Programs::in_script(names, &src.text)))
            .filter(|(_, programs)| !src.text.lines().any(|l| in_foreground(l, programs)))
            .collect();
        let mut raw = Vec::new();
        let mut offset = 0;
        let mut branches = OsBranches::default();
        for line in src.text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            // A branch for macOS or Windows never runs in a pod.
            if branches.read(line) {
                continue;
            }
            for (rule, programs) in &rules {
                if let Some(command) = backgrounded(line, programs) {
                    let indent = line.len() - line.trim_start().len();
                    raw.push(RawFinding {
                        rule: *rule,
                        start: start + indent,
                        end: start + line.trim_end().len(),
                        detail: command,
                        ..RawFinding::default()
                    });
                }
            }
        }
        out.findings.extend(crate::finish(&f.rel, &src, raw, c));
    }
    out
}

/// Where a script's line stands among the branches it takes by the
/// operating system (`if [ "$(uname)" == "Darwin" ]`, `elif … MINGW …`,
/// a `case` label `Darwin*)`): each open `if`, whether its current
/// branch is for macOS or Windows, and whether a `case` label for them is
/// open.
#[derive(Default)]
struct OsBranches {
    ifs: Vec<bool>,
    other_os_case: bool,
}

impl OsBranches {
    /// Takes the line; returns whether it lies in a branch for macOS or
    /// Windows (WeCross' `start.sh`, one `nohup java … &` a system).
    fn read(&mut self, line: &str) -> bool {
        let line = line.trim();
        let first = line.split([' ', ';']).next().unwrap_or("");
        let closed_here = line.ends_with("fi") && line.contains(';');
        match first {
            // A whole `if …; then …; fi` on one line.
            "if" if closed_here => {
                return for_other_os(line) || self.other_os_case || self.ifs.iter().any(|b| *b)
            }
            "if" => self.ifs.push(for_other_os(line)),
            "elif" => {
                if let Some(top) = self.ifs.last_mut() {
                    *top = for_other_os(line);
                }
            }
            "else" => {
                if let Some(top) = self.ifs.last_mut() {
                    *top = false;
                }
            }
            "fi" => {
                self.ifs.pop();
            }
            _ if line.ends_with(')') && !line.contains('(') && names_other_os(line) => {
                self.other_os_case = true;
            }
            _ if line.starts_with(";;") || line.ends_with(";;") => {
                let inside = self.other_os_case;
                self.other_os_case = false;
                return inside || self.ifs.iter().any(|b| *b);
            }
            _ => {}
        }
        self.other_os_case || self.ifs.iter().any(|b| *b)
    }
}

/// Whether a line names macOS or Windows as `uname` or `$OSTYPE` reports
/// them.
fn names_other_os(line: &str) -> bool {
    [
        "Darwin", "darwin", "MINGW", "CYGWIN", "cygwin", "MSYS", "msys",
    ]
    .iter()
    .any(|os| line.contains(os))
}

/// Whether an `if` or `elif` line tests for macOS or Windows: it asks
/// `uname` or `$OSTYPE` and names one, not as what the system is not
/// (`!= "Darwin"`).
fn for_other_os(line: &str) -> bool {
    let asks = line.contains("uname") || line.contains("OSTYPE");
    let negated = ["Darwin", "darwin", "MINGW", "CYGWIN", "MSYS"]
        .iter()
        .any(|os| line.contains(&format!("!= \"{os}")) || line.contains(&format!("!= {os}")));
    asks && names_other_os(line) && !negated
}

/// The programs a script may start: the rules' names, and the variables
/// the script sets to a command line starting one (Gitblit's
/// `COMMAND_LINE="java -server …"`, run later as `$COMMAND_LINE &`).
struct Programs<'a> {
    names: &'a [String],
    command_lines: Vec<String>,
}

impl<'a> Programs<'a> {
    fn in_script(names: &'a [String], script: &str) -> Self {
        let command_lines = script
            .lines()
            .filter_map(|line| {
                let (name, value) = line.trim().split_once('=')?;
                let name = name.strip_prefix("export ").unwrap_or(name).trim();
                let first = value
                    .trim_start_matches(['"', '\''])
                    .split_whitespace()
                    .next()?;
                (!name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && runs_program(first, names))
                .then(|| name.to_ascii_lowercase())
            })
            .collect();
        Programs {
            names,
            command_lines,
        }
    }

    /// Whether a word of a command line runs one of the programs: as
    /// [`runs_program`], or a variable holding a command line for one.
    fn runs(&self, word: &str) -> bool {
        runs_program(word, self.names) || {
            let name = word
                .trim_matches(['"', '\'', '(', ')', '`'])
                .trim_start_matches('$')
                .trim_start_matches('{')
                .trim_end_matches('}')
                .to_ascii_lowercase();
            word.trim_start_matches(['"', '\'', '(']).starts_with('$')
                && self.command_lines.contains(&name)
        }
    }
}

/// The command, as shown, when a script's line starts one of `programs`
/// in the background: `nohup` runs it, a lone `&` ends the line's
/// command (not `&&`; also at the end of a command built in a variable,
/// inside its quotes: Cobar's `RUN_CMD="… 2>&1 &"`), or `start-stop-daemon`
/// runs it with `--background`. A comment starts nothing.
fn backgrounded(line: &str, programs: &Programs) -> Option<String> {
    let line = line.trim();
    if line.starts_with('#') {
        return None;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let nohup = words
        .iter()
        .any(|w| w.trim_start_matches(['(', '"', '\'']) == "nohup");
    let command = line.trim_end_matches(['"', '\'', ';', ')']).trim_end();
    let ampersand = command.ends_with('&') && !command.ends_with("&&");
    let daemon = words.contains(&"start-stop-daemon")
        && words.iter().any(|w| matches!(*w, "--background" | "-b"));
    if !nohup && !ampersand && !daemon {
        return None;
    }
    let starts = words.iter().any(|w| programs.runs(w));
    starts.then(|| {
        let shown: String = line.chars().take(60).collect();
        if shown.len() < line.len() {
            format!("`{shown}…`")
        } else {
            format!("`{shown}`")
        }
    })
}

/// Whether a script's line starts one of `programs` in the foreground: the
/// line's command is the program (after an `exec`), with no `nohup` and no
/// `&` ending it, and it does not only ask the program's version.
fn in_foreground(line: &str, programs: &Programs) -> bool {
    let line = line.trim();
    let words: Vec<&str> = line.split_whitespace().collect();
    let command = match words.as_slice() {
        ["exec", program, ..] => program,
        [program, ..] => program,
        [] => return false,
    };
    !line.starts_with('#')
        && !command.contains('=')
        && programs.runs(command)
        && backgrounded(line, programs).is_none()
        && !words.iter().any(|w| matches!(*w, "-version" | "--version"))
}

/// Whether a word of a command line is one of `programs`: its name
/// (`java`), its path (`${JAVA_HOME}/bin/java`, `"$JAVA_HOME/bin/java"`),
/// or a variable named for it (`$JAVA`, `${JAVACMD}`, `$JAVA_BIN`,
/// chunjun's `$JAVA_RUN`, Tomcat's `$_RUNJAVA`), also as the value a
/// variable is set to.
fn runs_program(word: &str, programs: &[String]) -> bool {
    // The value of an assignment (`RUN_CMD="java …`) starts a command.
    let word = word.rsplit('=').next().unwrap_or(word);
    let word = word.trim_matches(['"', '\'', '(', ')', '`']);
    let last = word.rsplit('/').next().unwrap_or(word);
    let variable = last.starts_with('$');
    let name = last
        .trim_start_matches('$')
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase();
    programs.iter().any(|program| {
        name == *program
            || (variable
                && [
                    format!("{program}cmd"),
                    format!("{program}_cmd"),
                    format!("{program}_bin"),
                    format!("{program}_exe"),
                    format!("{program}_run"),
                    format!("_run{program}"),
                    format!("run{program}"),
                ]
                .contains(&name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn java() -> Vec<String> {
        vec!["java".to_string()]
    }

    fn starts(line: &str) -> bool {
        let names = java();
        backgrounded(line, &Programs::in_script(&names, line)).is_some()
    }

    #[test]
    fn a_program_put_in_the_background_is_found() {
        for line in [
            "nohup java -jar app.jar > app.log 2>&1 &",
            "nohup $JAVA_HOME/bin/java -cp lib/* com.acme.Main",
            "\"${JAVA}\" -jar server.jar >> server.out 2>&1 &",
            "RUN_CMD=\"$JAVA $JAVA_OPTS -cp $CP com.acme.Server >> console.log 2>&1 &\"",
            "  $_RUNJAVA -jar app.jar &",
            "nice -n 0 $JAVA_RUN $JAVA_OPTS -cp $JAR_DIR $CLASS_NAME 1> out 2>&1  &",
            "(nohup java -jar app.jar &)",
            "start-stop-daemon --start --quiet --background --exec /usr/bin/java -- $ARGS",
        ] {
            assert!(starts(line), "{line}");
        }
    }

    #[test]
    fn a_foreground_start_a_comment_or_another_program_is_not() {
        for line in [
            "exec java -jar app.jar",
            "java -jar app.jar && echo started",
            "java -version 2>&1",
            "# nohup java -jar app.jar &",
            "nohup tail -f app.log &",
            "javac Main.java &",
            "echo $JAVA_HOME &",
        ] {
            assert!(!starts(line), "{line}");
        }
    }

    #[test]
    fn a_branch_for_macos_or_windows_is_not_read() {
        let script = "if [ \"$(uname)\" == \"Darwin\" ]; then\n\
                      nohup java -cp a com.acme.S &\n\
                      elif [ \"$(uname -s | grep MINGW | wc -l)\" != \"0\" ]; then\n\
                      nohup java -cp b com.acme.S &\n\
                      else\n\
                      nohup java -cp c com.acme.S &\n\
                      fi\n\
                      case \"$(uname)\" in\n\
                      Darwin*)\n\
                      nohup java -cp d com.acme.S &\n\
                      ;;\n\
                      *)\n\
                      nohup java -cp e com.acme.S &\n\
                      ;;\n\
                      esac\n\
                      if [ \"$(uname)\" = \"Darwin\" ]; then nohup java -cp g com.acme.S & fi\n\
                      if [ \"$(uname)\" != \"Darwin\" ]; then\n\
                      nohup java -cp f com.acme.S &\n\
                      fi\n";
        let mut branches = OsBranches::default();
        let read: Vec<&str> = script
            .lines()
            .filter(|l| !branches.read(l) && l.starts_with("nohup"))
            .collect();
        assert_eq!(
            read,
            [
                "nohup java -cp c com.acme.S &",
                "nohup java -cp e com.acme.S &",
                "nohup java -cp f com.acme.S &"
            ]
        );
    }

    #[test]
    fn a_variable_holding_a_command_line_starts_its_program() {
        let names = java();
        let script = "COMMAND_LINE=\"java -server -cp app.jar com.acme.Server\"\n\
                      $COMMAND_LINE --dailyLogFile &\n\
                      OTHER=\"tail -f app.log\"\n\
                      $OTHER &\n";
        let programs = Programs::in_script(&names, script);
        let started: Vec<&str> = script
            .lines()
            .filter(|l| backgrounded(l, &programs).is_some())
            .collect();
        assert_eq!(started, ["$COMMAND_LINE --dailyLogFile &"]);
    }

    #[test]
    fn a_start_in_the_foreground_is_the_programs_command() {
        let names = java();
        let java = Programs::in_script(&names, "");
        for line in [
            "exec java -jar app.jar",
            "  \"$JAVA\" -Dloader.path=lib -jar app.jar",
            "java ${JAVA_OPTS} -cp ${CLASS_PATH} ${APP_MAIN}",
        ] {
            assert!(in_foreground(line, &java), "{line}");
        }
        for line in [
            "nohup java -jar app.jar &",
            "\"$JAVA\" -version 2>&1",
            "JAVA=\"$JAVA_HOME/bin/java\"",
            "# java -jar app.jar",
        ] {
            assert!(!in_foreground(line, &java), "{line}");
        }
    }

    #[test]
    fn scripts_are_found_by_extension_or_a_bin_folder() {
        assert!(is_shell_script("bin/start.sh"));
        assert!(is_shell_script("deploy/run.bash"));
        assert!(is_shell_script("distribution/bin/mqbroker"));
        assert!(!is_shell_script("bin/start.cmd"));
        assert!(!is_shell_script("docs/start"));
    }
}
