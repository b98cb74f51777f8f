//! Throughput of `fix` over a generated tree of multi-module projects:
//! read + parse + resolve + plan + rewrite, on one core.
//!
//! `cargo bench -p podready-rewriter --bench poms [-- PROJECTS MODULES]`
//! (default 100 projects of 1 parent + 99 modules = 10,000 poms).

use std::fmt::Write;
use std::path::Path;
use std::time::Instant;

use podready_analyzer::{load_poms, Options};
use podready_rewriter::fix;
use podready_rules::RulePack;

const LIBS: [(&str, &str, &str); 12] = [
    ("org.springframework", "spring-context", "${spring.version}"),
    ("org.springframework", "spring-webmvc", "${spring.version}"),
    ("com.fasterxml.jackson.core", "jackson-databind", "2.9.10"),
    ("com.google.guava", "guava", "20.0"),
    ("org.apache.commons", "commons-lang3", "3.4"),
    ("commons-io", "commons-io", "2.5"),
    ("mysql", "mysql-connector-java", "5.1.47"),
    ("org.mybatis", "mybatis", "3.4.6"),
    ("redis.clients", "jedis", "2.9.0"),
    ("io.netty", "netty-all", "4.1.42.Final"),
    ("org.apache.httpcomponents", "httpclient", "4.5.6"),
    ("com.alibaba", "fastjson", "1.2.58"),
];

fn parent_pom(p: usize, modules: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n    <modelVersion>4.0.0</modelVersion>\n    <groupId>com.acme.p{p}</groupId>\n    <artifactId>p{p}-parent</artifactId>\n    <version>1.{p}.0</version>\n    <packaging>pom</packaging>\n    <modules>\n"
    );
    for m in 0..modules {
        let _ = writeln!(s, "        <module>m{m}</module>");
    }
    s.push_str("    </modules>\n    <properties>\n        <spring.version>4.3.30.RELEASE</spring.version>\n        <dubbo.version>2.5.3</dubbo.version>\n        <zookeeper.version>3.4.6</zookeeper.version>\n        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>\n    </properties>\n    <dependencyManagement>\n        <dependencies>\n");
    for (g, a, v) in LIBS {
        let _ = write!(s, "            <dependency>\n                <groupId>{g}</groupId>\n                <artifactId>{a}</artifactId>\n                <version>{v}</version>\n            </dependency>\n");
    }
    s.push_str("            <dependency>\n                <groupId>com.alibaba</groupId>\n                <artifactId>dubbo</artifactId>\n                <version>${dubbo.version}</version>\n            </dependency>\n            <dependency>\n                <groupId>org.apache.kafka</groupId>\n                <artifactId>kafka-clients</artifactId>\n                <version>0.10.2.1</version>\n            </dependency>\n        </dependencies>\n    </dependencyManagement>\n    <build>\n        <plugins>\n            <plugin>\n                <groupId>org.apache.maven.plugins</groupId>\n                <artifactId>maven-compiler-plugin</artifactId>\n                <version>3.8.1</version>\n                <configuration><source>1.8</source><target>1.8</target></configuration>\n            </plugin>\n        </plugins>\n    </build>\n</project>\n");
    s
}

fn module_pom(p: usize, m: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n    <modelVersion>4.0.0</modelVersion>\n    <parent>\n        <groupId>com.acme.p{p}</groupId>\n        <artifactId>p{p}-parent</artifactId>\n        <version>1.{p}.0</version>\n    </parent>\n    <artifactId>p{p}-m{m}</artifactId>\n    <name>Module {m} of project {p}</name>\n    <!-- business module; the old logging stays until the migration -->\n    <dependencies>\n"
    );
    for (i, (g, a, _)) in LIBS.iter().enumerate() {
        if !(i + m).is_multiple_of(3) {
            let _ = write!(s, "        <dependency>\n            <groupId>{g}</groupId>\n            <artifactId>{a}</artifactId>\n        </dependency>\n");
        }
    }
    if m.is_multiple_of(2) {
        s.push_str("        <dependency>\n            <groupId>com.alibaba</groupId>\n            <artifactId>dubbo</artifactId>\n        </dependency>\n");
    }
    if m.is_multiple_of(3) {
        s.push_str("        <dependency>\n            <groupId>org.apache.zookeeper</groupId>\n            <artifactId>zookeeper</artifactId>\n            <version>${zookeeper.version}</version>\n        </dependency>\n");
    }
    if m.is_multiple_of(4) {
        s.push_str("        <dependency>\n            <groupId>log4j</groupId>\n            <artifactId>log4j</artifactId>\n            <version>1.2.17</version>\n        </dependency>\n        <dependency>\n            <groupId>org.slf4j</groupId>\n            <artifactId>slf4j-log4j12</artifactId>\n            <version>1.7.25</version>\n        </dependency>\n");
    }
    s.push_str("        <dependency>\n            <groupId>junit</groupId>\n            <artifactId>junit</artifactId>\n            <version>4.12</version>\n            <scope>test</scope>\n        </dependency>\n    </dependencies>\n</project>\n");
    s
}

fn generate(root: &Path, projects: usize, modules: usize) -> usize {
    let mut n = 0;
    for p in 0..projects {
        let dir = root.join(format!("p{p}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("pom.xml"), parent_pom(p, modules)).unwrap();
        n += 1;
        for m in 0..modules {
            let md = dir.join(format!("m{m}"));
            std::fs::create_dir_all(&md).unwrap();
            std::fs::write(md.join("pom.xml"), module_pom(p, m)).unwrap();
            n += 1;
        }
    }
    n
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let projects = args.first().copied().unwrap_or(100);
    let modules = args.get(1).copied().unwrap_or(99);
    let dir = tempfile::tempdir().unwrap();
    let count = generate(dir.path(), projects, modules);
    let bytes: u64 = walk_size(dir.path());
    let pack = RulePack::builtin().unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut best = f64::MAX;
    let mut summary = (0, 0, 0);
    for _ in 0..3 {
        let start = Instant::now();
        let (files, changes, manual) = pool.install(|| {
            let set = load_poms(dir.path(), &Options::default()).unwrap();
            let out = fix(&set, &pack);
            (out.files.len(), out.changes.len(), out.manual.len())
        });
        best = best.min(start.elapsed().as_secs_f64());
        summary = (files, changes, manual);
    }
    println!(
        "{count} poms ({:.1} MiB), one core: {:.3} s, {:.0} poms/s (read + parse + resolve + plan + rewrite); {} poms rewritten, {} changes, {} left for a person",
        bytes as f64 / 1048576.0,
        best,
        count as f64 / best,
        summary.0,
        summary.1,
        summary.2
    );
}

fn walk_size(dir: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        total += if p.is_dir() {
            walk_size(&p)
        } else {
            e.metadata().unwrap().len()
        };
    }
    total
}
