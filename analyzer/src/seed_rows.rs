//! The rows a SQL seed file inserts paused: a scheduler's job seeded with
//! its status `'1'` where the column says `状态（0正常 1暂停）`, or with
//! `'PAUSE'`, runs nothing until someone starts it, so what only such
//! rows name (`ryTask.ryNoParams`) does not run in a pod.

use std::collections::HashMap;

/// The columns that say whether a row is in use.
const STATUS_COLUMNS: [&str; 4] = ["status", "job_status", "state", "trigger_state"];

/// Values that say paused by themselves.
const PAUSED_VALUES: [&str; 6] = ["PAUSE", "PAUSED", "STOP", "STOPPED", "DISABLE", "DISABLED"];

/// What a column's comment writes after a value that means paused
/// (`0正常 1暂停`, `1=停用`, `0: running, 1: paused`).
const PAUSED_WORDS: [&str; 8] = [
    "暂停", "停用", "停止", "禁用", "pause", "stop", "disable", "suspend",
];

/// The byte ranges of the rows (`(…)` after `VALUES`) of the `INSERT`
/// statements of `sql` whose status column says paused, in order. The
/// columns are the statement's own list, or its table's `CREATE TABLE` in
/// the same file, whose column comments (`COMMENT '…'`, `COMMENT ON
/// COLUMN`) say which values mean paused. Not a table's rows when the
/// file alters the table (its columns move) or updates it (a row may be
/// started again), nor a row whose values are not one per column.
pub(crate) fn paused_rows(sql: &[u8]) -> Vec<(usize, usize)> {
    let tokens = lex(sql);
    let mut tables: HashMap<String, Vec<Column>> = HashMap::new();
    let mut rows: Vec<(String, (usize, usize))> = Vec::new();
    let mut changed: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let next_is = |word: &str| tokens.get(i + 1).is_some_and(|t| t.is_word(sql, word));
        if tokens[i].is_word(sql, "create") && next_is("table") {
            i = create_table(sql, &tokens, i + 2, &mut tables);
        } else if tokens[i].is_word(sql, "alter") && next_is("table") {
            let (name, next) = table_name(sql, &tokens, i + 2);
            changed.extend(name);
            i = next.max(i + 2);
        } else if tokens[i].is_word(sql, "update")
            && !tokens[..i].last().is_some_and(|t| t.is_word(sql, "on"))
        {
            // `UPDATE t SET …`, not `ON UPDATE CURRENT_TIMESTAMP`.
            let (name, next) = table_name(sql, &tokens, i + 1);
            changed.extend(name);
            i = next.max(i + 1);
        } else if tokens[i].is_word(sql, "comment")
            && tokens.get(i + 1).is_some_and(|t| t.is_word(sql, "on"))
            && tokens.get(i + 2).is_some_and(|t| t.is_word(sql, "column"))
        {
            i = comment_on_column(sql, &tokens, i + 3, &mut tables);
        } else if tokens[i].is_word(sql, "insert") {
            i = insert(sql, &tokens, i + 1, &tables, &mut rows);
        } else {
            i += 1;
        }
    }
    rows.into_iter()
        .filter(|(table, _)| !changed.contains(table))
        .map(|(_, row)| row)
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A name, a keyword or a number (a quoted identifier without its
    /// quotes).
    Word,
    /// A string literal, without its quotes.
    Str,
    Punct(u8),
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

impl Token {
    fn text<'s>(&self, sql: &'s [u8]) -> &'s [u8] {
        &sql[self.start..self.end]
    }

    fn is_word(&self, sql: &[u8], word: &str) -> bool {
        self.kind == Kind::Word && self.text(sql).eq_ignore_ascii_case(word.as_bytes())
    }

    fn is(&self, punct: u8) -> bool {
        self.kind == Kind::Punct(punct)
    }
}

struct Column {
    name: String,
    comment: String,
}

/// The tokens of `sql`, comments left out. A string ends at its quote
/// not doubled (`''`) nor escaped (`\'`, MySQL's).
fn lex(sql: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    let word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    while i < sql.len() {
        let b = sql[i];
        let rest = &sql[i..];
        if rest.starts_with(b"--") || b == b'#' {
            i += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        } else if rest.starts_with(b"/*") {
            i += memchr::memmem::find(&rest[2..], b"*/").map_or(rest.len(), |at| at + 4);
        } else if matches!(b, b'\'' | b'"' | b'`') {
            let mut j = i + 1;
            while j < sql.len() {
                match sql[j] {
                    b'\\' if b == b'\'' => j += 2,
                    c if c == b && sql.get(j + 1) == Some(&b) => j += 2,
                    c if c == b => break,
                    _ => j += 1,
                }
            }
            let end = j.min(sql.len());
            let kind = if b == b'\'' { Kind::Str } else { Kind::Word };
            tokens.push(Token {
                kind,
                start: i + 1,
                end,
            });
            i = end + 1;
        } else if word_byte(b) {
            let start = i;
            while i < sql.len() && word_byte(sql[i]) {
                i += 1;
            }
            tokens.push(Token {
                kind: Kind::Word,
                start,
                end: i,
            });
        } else {
            if !b.is_ascii_whitespace() {
                tokens.push(Token {
                    kind: Kind::Punct(b),
                    start: i,
                    end: i + 1,
                });
            }
            i += 1;
        }
    }
    tokens
}

/// A table's name as rows name it: its last part, in lower case
/// (`` `ry`.`sys_job` `` → `sys_job`).
fn table_name(sql: &[u8], tokens: &[Token], mut i: usize) -> (Option<String>, usize) {
    while ["if", "not", "exists"]
        .iter()
        .any(|w| tokens.get(i).is_some_and(|t| t.is_word(sql, w)))
    {
        i += 1;
    }
    let mut name = None;
    while let Some(t) = tokens.get(i).filter(|t| t.kind == Kind::Word) {
        name = Some(String::from_utf8_lossy(t.text(sql)).to_lowercase());
        i += 1;
        if !tokens.get(i).is_some_and(|t| t.is(b'.')) {
            break;
        }
        i += 1;
    }
    (name, i)
}

/// The top-level parts of the parenthesised list opening at `tokens[i]`,
/// as token ranges, and the position after its closing parenthesis.
fn parts(tokens: &[Token], i: usize) -> (Vec<(usize, usize)>, usize) {
    let mut out = Vec::new();
    if !tokens.get(i).is_some_and(|t| t.is(b'(')) {
        return (out, i);
    }
    let mut depth = 0;
    let mut start = i + 1;
    for (j, t) in tokens.iter().enumerate().skip(i) {
        match t.kind {
            Kind::Punct(b'(') => depth += 1,
            Kind::Punct(b')') => {
                depth -= 1;
                if depth == 0 {
                    out.push((start, j));
                    return (out, j + 1);
                }
            }
            Kind::Punct(b',') if depth == 1 => {
                out.push((start, j));
                start = j + 1;
            }
            Kind::Punct(b';') => return (out, j),
            _ => {}
        }
    }
    (out, tokens.len())
}

fn create_table(
    sql: &[u8],
    tokens: &[Token],
    i: usize,
    tables: &mut HashMap<String, Vec<Column>>,
) -> usize {
    let (name, i) = table_name(sql, tokens, i);
    let (definitions, next) = parts(tokens, i);
    let Some(name) = name else {
        return next.max(i + 1);
    };
    let constraint = [
        "primary",
        "key",
        "unique",
        "index",
        "constraint",
        "foreign",
        "check",
        "fulltext",
    ];
    let columns = definitions
        .iter()
        .filter_map(|&(from, to)| {
            let def = &tokens[from..to];
            let first = def.first().filter(|t| t.kind == Kind::Word)?;
            // `` `key` `` is a column's name, `KEY idx (…)` an index.
            let quoted = first.start > 0 && matches!(sql[first.start - 1], b'`' | b'"');
            if !quoted && constraint.iter().any(|w| first.is_word(sql, w)) {
                return None;
            }
            let comment = def
                .windows(2)
                .find(|w| w[0].is_word(sql, "comment") && w[1].kind == Kind::Str)
                .map(|w| String::from_utf8_lossy(w[1].text(sql)).into_owned())
                .unwrap_or_default();
            Some(Column {
                name: String::from_utf8_lossy(first.text(sql)).to_lowercase(),
                comment,
            })
        })
        .collect();
    tables.insert(name, columns);
    next.max(i + 1)
}

/// `COMMENT ON COLUMN sys_job.status IS '…'` (Oracle, PostgreSQL).
fn comment_on_column(
    sql: &[u8],
    tokens: &[Token],
    i: usize,
    tables: &mut HashMap<String, Vec<Column>>,
) -> usize {
    let words: Vec<String> = tokens[i..]
        .iter()
        .take_while(|t| t.kind == Kind::Word && !t.is_word(sql, "is") || t.is(b'.'))
        .filter(|t| t.kind == Kind::Word)
        .map(|t| String::from_utf8_lossy(t.text(sql)).to_lowercase())
        .collect();
    let after = i + tokens[i..]
        .iter()
        .take_while(|t| !t.is_word(sql, "is") && t.kind != Kind::Punct(b';'))
        .count();
    let comment = tokens.get(after + 1).filter(|t| t.kind == Kind::Str);
    if let ([.., table, column], Some(comment)) = (words.as_slice(), comment) {
        if let Some(c) = tables
            .get_mut(table)
            .and_then(|columns| columns.iter_mut().find(|c| c.name == *column))
        {
            c.comment = String::from_utf8_lossy(comment.text(sql)).into_owned();
        }
    }
    after + 1
}

fn insert(
    sql: &[u8],
    tokens: &[Token],
    i: usize,
    tables: &HashMap<String, Vec<Column>>,
    rows: &mut Vec<(String, (usize, usize))>,
) -> usize {
    let i = if tokens.get(i).is_some_and(|t| t.is_word(sql, "into")) {
        i + 1
    } else {
        i
    };
    let (name, mut i) = table_name(sql, tokens, i);
    let table = name.as_deref().and_then(|n| tables.get(n));
    // The statement's own column list, else its table's.
    let mut columns: Vec<(String, String)> = table
        .into_iter()
        .flatten()
        .map(|c| (c.name.clone(), c.comment.clone()))
        .collect();
    if tokens.get(i).is_some_and(|t| t.is(b'(')) {
        let (listed, next) = parts(tokens, i);
        let comment_of = |n: &str| {
            table
                .and_then(|cs| cs.iter().find(|c| c.name == n))
                .map(|c| c.comment.clone())
                .unwrap_or_default()
        };
        columns = listed
            .iter()
            .map(|&(from, to)| {
                let n = tokens[from..to]
                    .first()
                    .map(|t| String::from_utf8_lossy(t.text(sql)).to_lowercase())
                    .unwrap_or_default();
                let comment = comment_of(&n);
                (n, comment)
            })
            .collect();
        i = next;
    }
    if !tokens
        .get(i)
        .is_some_and(|t| t.is_word(sql, "values") || t.is_word(sql, "value"))
    {
        return i;
    }
    i += 1;
    let status = columns
        .iter()
        .position(|(n, _)| STATUS_COLUMNS.contains(&n.as_str()));
    loop {
        let (values, next) = parts(tokens, i);
        if values.is_empty() {
            return next.max(i + 1);
        }
        let paused = values.len() == columns.len()
            && status.is_some_and(|at| {
                values.get(at).is_some_and(|&(from, to)| {
                    let value = &tokens[from..to];
                    value.len() == 1
                        && matches!(value[0].kind, Kind::Str | Kind::Word)
                        && means_paused(
                            String::from_utf8_lossy(value[0].text(sql)).trim(),
                            &columns[at].1,
                        )
                })
            });
        if let (true, Some(table)) = (paused, &name) {
            rows.push((table.clone(), (tokens[i].start, tokens[next - 1].end)));
        }
        i = next;
        if !tokens.get(i).is_some_and(|t| t.is(b',')) {
            return i;
        }
        i += 1;
    }
}

/// Whether a status value means paused: as its column's comment explains
/// it, where the comment names the value (`1暂停`, `1=停用`, `1: paused`),
/// or else by itself (`PAUSE`, beside a comment written for other values).
fn means_paused(value: &str, comment: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    let (value, comment) = (value.to_lowercase(), comment.to_lowercase());
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let explained: Vec<&str> = comment
        .match_indices(value.as_str())
        .map(|(at, _)| (at, at + value.len()))
        .filter(|&(at, end)| {
            !glued(comment[..at].chars().next_back()) && !glued(comment[end..].chars().next())
        })
        .map(|(_, end)| &comment[end..])
        .collect();
    if explained.is_empty() {
        return PAUSED_VALUES.iter().any(|p| value.eq_ignore_ascii_case(p));
    }
    explained.iter().any(|after| {
        let after = after.trim_start_matches(|c: char| c.is_whitespace() || "=:：-、.".contains(c));
        PAUSED_WORDS.iter().any(|w| after.starts_with(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paused(sql: &str) -> Vec<&str> {
        paused_rows(sql.as_bytes())
            .into_iter()
            .map(|(start, end)| &sql[start..end])
            .collect()
    }

    #[test]
    fn rows_seeded_paused_by_their_columns_comment_are_found() {
        let sql = "-- jobs\ncreate table sys_job (\n  job_id bigint(20) not null auto_increment comment '任务ID',\n  invoke_target varchar(500) not null comment '调用目标字符串',\n  status char(1) default '0' comment '状态（0正常 1暂停）',\n  primary key (job_id, job_name)\n) engine=innodb comment = '定时任务调度表';\ninsert into sys_job values(1, 'ryTask.ryNoParams', '1');\ninsert into sys_job values(2, 'ryTask.ryParams(\\'ry\\')', '0');\n";
        assert_eq!(paused(sql), ["(1, 'ryTask.ryNoParams', '1')"]);
    }

    #[test]
    fn a_quoted_column_named_like_a_keyword_is_a_column() {
        let sql = "CREATE TABLE `job` (`id` int, `key` varchar(9), `status` char(1) COMMENT '0正常 1暂停', KEY `idx` (`key`), ON_UPDATE int);\nINSERT INTO `job` VALUES (1, 'ryTask.a', '1', 0);";
        assert_eq!(paused(sql), ["(1, 'ryTask.a', '1', 0)"]);
    }

    /// Any text is read without a panic: every cut of these statements
    /// (an unclosed string, comment or list) too.
    #[test]
    fn cut_statements_are_read_without_a_panic() {
        let sql = "create table `t` (id int, `key` char(1), status char(1) comment '0正常 1暂停', KEY k (id));\nCOMMENT ON COLUMN t.status IS '1=停用';\ninsert into t (id, `key`, status) values (1, 'a\\'b', '1'), (2, 'x''y', (select 1));\n/* c */ update t set status = '0'; -- done\nalter table t add column x int after id;";
        let mut cuts = 0;
        for end in (0..=sql.len()).filter(|&end| sql.is_char_boundary(end)) {
            let rows = paused_rows(&sql.as_bytes()[..end]);
            assert!(rows
                .iter()
                .all(|&(start, stop)| start < stop && stop <= end));
            cuts += 1;
        }
        assert!(cuts > 200);
    }

    #[test]
    fn a_paused_value_needs_no_comment_naming_it() {
        let sql = "CREATE TABLE `sys_job` (`id` int, `status` varchar(20) DEFAULT '0' COMMENT '状态(1-运行中，0-暂停)');\nINSERT INTO `sys_job` VALUES (1, 'PAUSE');";
        assert_eq!(paused(sql), ["(1, 'PAUSE')"]);
    }

    #[test]
    fn a_paused_value_needs_no_comment() {
        let sql = "INSERT INTO `sys_job` (`job_id`, `invoke_target`, `status`) VALUES (1, 'simpleTask.doNoParams', 'PAUSE'), (2, 'simpleTask.doParams(''a'')', 'NORMAL');";
        assert_eq!(paused(sql), ["(1, 'simpleTask.doNoParams', 'PAUSE')"]);
    }

    #[test]
    fn a_comment_on_the_column_explains_its_values() {
        let sql = "CREATE TABLE sys_job (job_id NUMBER(20), invoke_target VARCHAR2(500), status CHAR(1));\nCOMMENT ON COLUMN sys_job.status IS '状态（0正常 1暂停）';\nINSERT INTO sys_job VALUES (1, 'ryTask.ryNoParams', '1');\nINSERT INTO sys_job VALUES (2, 'ryTask.ryParams', '0');";
        assert_eq!(paused(sql), ["(1, 'ryTask.ryNoParams', '1')"]);
    }

    #[test]
    fn rows_in_use_or_without_a_status_are_not() {
        for sql in [
            // The value in use, a value glued to a longer number.
            "create table t (id int, status char(2) comment '0正常 11暂停');\ninsert into t values (1, '1');",
            "create table t (id int, name varchar(9));\ninsert into t values (1, 'PAUSE');",
            "insert into unknown values (1, 'PAUSE');",
            "-- insert into t (status) values ('PAUSE');\nselect 1;",
            // Columns that move, a row started again, values not one per
            // column, a comment giving the value another meaning.
            "create table t (id int, status char(1) comment '0 running, 1 paused');\nalter table t add column name varchar(9) after id;\ninsert into t values (1, '1', '0');",
            "create table t (id int, status char(1) comment '0 running, 1 paused');\ninsert into t values (1, '1');\nupdate t set status = '0' where id = 1;",
            "create table t (id int, status char(1) comment '0 running, 1 paused');\ninsert into t values (1, 'x', '1');",
            "create table t (id int, status varchar(9) comment 'RUNNING, STOPPED between runs, DISABLED');\ninsert into t values (1, 'STOPPED');",
        ] {
            assert!(paused(sql).is_empty(), "{sql}");
        }
    }
}
