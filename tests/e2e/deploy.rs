//! `podready deploy init`: the spec inferred for each fixture, merging into
//! a person's spec, and bad input.

use podready_deploy::spec::{DeploySpec, Packaging};

use crate::gate::copy_fixture;
use crate::{podready, stderr, stdout};

fn init(fixture: &str) -> (tempfile::TempDir, DeploySpec, String, String) {
    let repo = copy_fixture(fixture);
    let out = podready(&["deploy", "init", "."], repo.path());
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = std::fs::read_to_string(repo.path().join("deploy.yaml")).unwrap();
    let spec = DeploySpec::parse("deploy.yaml", &text).unwrap();
    (repo, spec, text, stderr(&out))
}

fn kinds(spec: &DeploySpec) -> Vec<&str> {
    spec.dependencies
        .middleware
        .iter()
        .map(|m| m.kind.as_str())
        .collect()
}

#[test]
fn legacy_war_on_tomcat() {
    let (_repo, spec, text, warnings) = init("legacy-order-service");
    assert_eq!(spec.app.name, "legacy-order-service");
    assert_eq!(spec.app.packaging, Packaging::War);
    assert_eq!((spec.app.port, spec.app.path.as_str()), (8080, "/app"));
    assert_eq!(spec.app.health, "/health");
    let dbs: Vec<&str> = spec
        .dependencies
        .databases
        .iter()
        .map(|d| d.schema.as_str())
        .collect();
    assert_eq!(dbs, ["order"]);
    assert_eq!(kinds(&spec), ["dubbo", "zookeeper", "kafka"]);
    assert_eq!(spec.hooks(), [("pre-start", "deploy/bin/pre-start.sh")]);
    assert!(
        warnings.contains("deploy/bin/post-start.sh is a post-start hook"),
        "{warnings}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn spring_boot_jar_with_actuator() {
    let (_repo, spec, _, _) = init("clean-service");
    assert_eq!(spec.app.packaging, Packaging::Jar);
    assert_eq!(spec.app.health, "/actuator/health");
    // Spring Boot 2.7 serves the probe groups on Kubernetes.
    assert_eq!(spec.app.liveness_path(), "/actuator/health/liveness");
    assert_eq!(spec.app.readiness_path(), "/actuator/health/readiness");
    assert_eq!(kinds(&spec), ["dubbo"]);
    let hooks: Vec<&str> = spec.hooks().into_iter().map(|(h, _)| h).collect();
    assert_eq!(hooks, ["pre-start", "pre-online", "pre-offline"]);
}

#[test]
fn multi_module_picks_the_war_module() {
    let (_repo, spec, text, _) = init("multi-module");
    assert_eq!(spec.app.name, "order-web");
    assert_eq!(spec.app.packaging, Packaging::War);
    assert!(text.contains("# artifactId of order-web/pom.xml"));
}

const PERSONAL: &str = "# Our deploy spec, reviewed by the payments team.\napiVersion: podready/v1\napp:\n    name: orders   # renamed on purpose\n    packaging: war\n    port: 8080\n    path: /app\n    health: /status\nrelease:\n    replicas: 5\n    batches: [1, \"100%\"]\n";

#[test]
fn merging_keeps_every_byte_a_person_wrote() {
    let repo = copy_fixture("legacy-order-service");
    let file = repo.path().join("deploy.yaml");
    std::fs::write(&file, PERSONAL).unwrap();
    let dry = podready(&["deploy", "init", ".", "--dry-run"], repo.path());
    assert!(dry.status.success());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        PERSONAL,
        "--dry-run wrote"
    );
    assert!(
        stdout(&dry).contains("+    pause_seconds: 0"),
        "{}",
        stdout(&dry)
    );
    let out = podready(&["deploy", "init", "."], repo.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let merged = std::fs::read_to_string(&file).unwrap();
    // Every line the person wrote is still there, in order.
    let mut rest = merged.as_str();
    for line in PERSONAL.lines() {
        let at = rest
            .find(line)
            .unwrap_or_else(|| panic!("lost {line:?}\n{merged}"));
        rest = &rest[at + line.len()..];
    }
    let spec = DeploySpec::parse("deploy.yaml", &merged).unwrap();
    assert_eq!(spec.app.name, "orders");
    assert_eq!(spec.app.health, "/status");
    assert_eq!(spec.release.replicas, 5);
    assert_eq!(spec.release.pause_seconds, 0);
    assert_eq!(spec.dependencies.databases.len(), 1);
    let again = podready(&["deploy", "init", "."], repo.path());
    assert!(
        stdout(&again).contains("nothing to add"),
        "{}",
        stdout(&again)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), merged);
}

#[test]
fn bad_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = podready(&["deploy", "init", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: .: no pom.xml found; podready works on Maven projects\n"
    );
    assert!(!dir.path().join("deploy.yaml").exists());

    let repo = copy_fixture("clean-service");
    let file = repo.path().join("deploy.yaml");
    let broken = PERSONAL.replace("release:\n", "hooks:\n    post-start: run.sh\nrelease:\n");
    std::fs::write(&file, &broken).unwrap();
    let out = podready(&["deploy", "init", "."], repo.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("deploy.yaml:10: hooks: unknown field `post-start`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), broken);
}

/// Renders a fixture's spec and validates every object against the
/// Kubernetes 1.33 OpenAPI schemas (kubernetes-validate, strict).
fn render_and_validate(fixture: &str, edit: impl Fn(&str) -> String) -> String {
    let (repo, _, text, _) = init(fixture);
    std::fs::write(repo.path().join("deploy.yaml"), edit(&text)).unwrap();
    let out = podready(
        &[
            "deploy",
            "render",
            ".",
            "--env",
            "prod",
            "--image",
            "registry.local/acme/app:1.4.2",
            "--namespace",
            "orders",
        ],
        repo.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = stdout(&out);
    let file = repo.path().join("rendered.yaml");
    std::fs::write(&file, &yaml).unwrap();
    let v = std::process::Command::new("python3")
        .args(["-m", "kubernetes_validate", "-k", "1.33.0", "--strict"])
        .arg(&file)
        .output()
        .expect("python3 runs; scripts/test.sh installs kubernetes-validate");
    assert!(
        v.status.success(),
        "kubernetes-validate rejected the output:\n{}{}\n{yaml}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
    let report =
        String::from_utf8_lossy(&v.stdout).into_owned() + &String::from_utf8_lossy(&v.stderr);
    assert!(
        report.contains("passed for resource deployment/"),
        "{report}"
    );
    yaml
}

#[test]
fn rendered_objects_pass_the_kubernetes_schemas() {
    let yaml = render_and_validate("legacy-order-service", |t| t.to_string());
    // The pod: grant, then hook copy, then the hooks sidecar, then the app.
    let grant = yaml.find("name: grant").unwrap();
    let copy = yaml.find("name: hooks-copy").unwrap();
    let sidecar = yaml.find("restartPolicy: Always").unwrap();
    assert!(grant < copy && copy < sidecar);
    for needle in [
        "fieldPath: status.podIP",
        "fieldPath: metadata.uid",
        "topology.kubernetes.io/zone",
        "kind: PodDisruptionBudget",
        "kind: Service",
        "preStop:",
        "terminationGracePeriodSeconds: 90",
        "podready.io/release: 1-4-2",
        "podready.io/version: 1.4.2",
        "DUBBO_IP_TO_REGISTRY",
    ] {
        assert!(yaml.contains(needle), "{needle} missing:\n{yaml}");
    }
    assert!(!yaml.contains("hostNetwork") && !yaml.contains("nodeSelector"));
    assert!(!yaml.contains("HorizontalPodAutoscaler"));
    insta::assert_snapshot!(yaml);
}

#[test]
fn autoscaling_renders_a_valid_hpa() {
    let yaml = render_and_validate("clean-service", |t| {
        t.replace(
            "  progress_deadline_seconds: 600",
            "  progress_deadline_seconds: 600\n  autoscaling:\n    min: 2\n    max: 10\n    cpu_percent: 70\n    memory_percent: 80\n    custom:\n      name: http_requests_per_second\n      target: \"100\"",
        )
    });
    assert!(yaml.contains("kind: HorizontalPodAutoscaler"));
    assert!(yaml.contains("http_requests_per_second"));
}

#[test]
fn render_rejects_an_unknown_environment() {
    let (repo, _, _, _) = init("clean-service");
    let out = podready(
        &[
            "deploy",
            "render",
            ".",
            "--env",
            "staging",
            "--image",
            "registry.local/inventory:1.0",
        ],
        repo.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --env: `staging` is not one of the spec's environments (test, prod); see env.environments in deploy.yaml\n"
    );
}

#[test]
fn plan_prints_the_batches_without_a_cluster() {
    let (repo, _, text, _) = init("clean-service");
    let text = text
        .replace("replicas: 2", "replicas: 8")
        .replace("pause_seconds: 0", "pause_seconds: 30");
    std::fs::write(repo.path().join("deploy.yaml"), text).unwrap();
    let out = podready(
        &[
            "deploy",
            "plan",
            ".",
            "--release",
            "r7",
            "--from",
            "inventory-service-r6=8",
        ],
        repo.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
}

/// Every fixture repository with a pom gets a valid spec whose name and
/// packaging are its build pom's.
#[test]
fn every_fixture_gets_a_valid_spec() {
    let mut checked = 0;
    let mut dirs = vec![crate::fixtures()];
    while let Some(dir) = dirs.pop() {
        if dir.join("pom.xml").is_file() {
            let name = dir
                .strip_prefix(crate::fixtures())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if name.starts_with("poms/malformed") {
                continue;
            }
            let (_repo, spec, _, _) = init(&name);
            let pom = std::fs::read_to_string(dir.join("pom.xml")).unwrap();
            if !pom.contains("<packaging>pom</packaging>") {
                // The project's own artifactId: the first after its parent.
                let own = pom.find("</parent>").map_or(pom.as_str(), |i| &pom[i..]);
                let artifact = own
                    .split("<artifactId>")
                    .nth(1)
                    .and_then(|a| a.split("</artifactId>").next())
                    .unwrap()
                    .trim()
                    .to_ascii_lowercase();
                assert_eq!(spec.app.name, artifact, "{name}");
                let war = pom.contains("<packaging>war</packaging>");
                assert_eq!(spec.app.packaging == Packaging::War, war, "{name}");
            }
            checked += 1;
            continue;
        }
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            }
        }
    }
    assert!(checked >= 20, "only {checked} fixtures");
}

/// Values are checked before anything renders: exit 2, one line naming the
/// field (and its line in deploy.yaml, or the flag).
#[test]
fn render_refuses_bad_values_with_their_field_and_line() {
    let (repo, _, text, _) = init("clean-service");
    let file = repo.path().join("deploy.yaml");
    let render = |extra: &[&str]| {
        let mut args = vec!["deploy", "render", ".", "--env", "prod"];
        if !extra.contains(&"--image") {
            args.extend(["--image", "registry.local/inventory:1.0"]);
        }
        args.extend(extra);
        podready(&args, repo.path())
    };
    let line =
        |key: &str| podready_deploy::spec::line_of_key(&text, key).expect("the key is written");
    let spec_cases = [
        (
            text.replace("cpu: 500m", "cpu: banana"),
            format!("./deploy.yaml:{}: env.resources.cpu: `banana` is not a CPU quantity: cores (`2`, `0.5`) or millicores (`500m`)", line("env.resources.cpu")),
        ),
        (
            text.replace("memory_limit: 2Gi", "memory_limit: 512Mi"),
            format!("./deploy.yaml:{}: env.resources.memory_limit: the limit `512Mi` is below the request `1Gi`", line("env.resources.memory_limit")),
        ),
        (
            text.replace("name: inventory-service", "name: 9inventory"),
            format!("./deploy.yaml:{}: app.name: `9inventory` must be a DNS-1035 label: a lowercase letter, then lowercase letters, digits and `-`, at most 40 characters", line("app.name")),
        ),
        (
            text.replace("batches: [1, \"25%\", \"50%\", \"100%\"]", "batches: [2, 1, \"100%\"]"),
            format!("./deploy.yaml:{}: release.batches: batches are cumulative and must increase (1 after 2)", line("release.batches")),
        ),
        (
            text.replace("pre-start: ", "pre-start: bin/missing.sh # was "),
            format!("./deploy.yaml:{}: hooks.pre-start: `bin/missing.sh` is not a file in . (the image's /app/bin/missing.sh is copied from it)", line("hooks.pre-start")),
        ),
    ];
    for (edited, expected) in spec_cases {
        assert_ne!(edited, text, "the case edits the spec: {expected}");
        std::fs::write(&file, &edited).unwrap();
        let out = render(&[]);
        assert_eq!(out.status.code(), Some(2), "{expected}");
        assert_eq!(stderr(&out), format!("error: {expected}\n"));
        assert!(stdout(&out).is_empty());
    }
    std::fs::write(&file, &text).unwrap();
    for (flags, expected) in [
        (
            vec!["--namespace", "Bad_NS"],
            "--namespace: `Bad_NS` is not a namespace name: lowercase letters, digits and `-`, at most 63 characters, beginning and ending with a letter or digit",
        ),
        (
            vec!["--image", "registry.local/inventory"],
            "--image: `registry.local/inventory` has no tag: give the image's version tag or digest",
        ),
        (
            vec!["--image", "inventory:latest"],
            "--image: `inventory:latest`: `latest` names no release; give the image's version tag or digest",
        ),
        (
            vec!["--release", "R2"],
            "--release: `R2` must be lowercase letters, digits and `-`, at most 20 characters, beginning and ending with a letter or digit",
        ),
    ] {
        let out = render(&flags);
        assert_eq!(out.status.code(), Some(2), "{expected}");
        assert_eq!(stderr(&out), format!("error: {expected}\n"));
    }
}

#[test]
fn render_prints_the_token_secret_template() {
    let (repo, _, _, _) = init("clean-service");
    let out = podready(
        &[
            "deploy",
            "render",
            ".",
            "--env",
            "prod",
            "--image",
            "registry.local/inventory:1.0",
            "--namespace",
            "shop",
            "--token-secret",
        ],
        repo.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let secret: serde_json::Value = yaml_serde::from_str(&stdout(&out)).unwrap();
    assert_eq!(secret["kind"], "Secret");
    assert_eq!(secret["metadata"]["name"], "inventory-service-grant-token");
    assert_eq!(secret["metadata"]["namespace"], "shop");
    assert!(secret["stringData"]["token"]
        .as_str()
        .unwrap()
        .contains("grant center's configuration"));
}

#[test]
fn several_deployable_modules_are_listed_and_one_is_chosen_by_folder() {
    let repo = copy_fixture("multi-module");
    // A second application: a Spring Boot job beside the war.
    let parent = repo.path().join("pom.xml");
    let text = std::fs::read_to_string(&parent).unwrap();
    std::fs::write(
        &parent,
        text.replace(
            "<module>order-web</module>",
            "<module>order-web</module>\n        <module>order-job</module>",
        ),
    )
    .unwrap();
    std::fs::create_dir_all(repo.path().join("order-job")).unwrap();
    std::fs::write(
        repo.path().join("order-job/pom.xml"),
        "<project><modelVersion>4.0.0</modelVersion><parent><groupId>com.acme.order</groupId><artifactId>order-parent</artifactId><version>2.1.0</version></parent><artifactId>order-job</artifactId><build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>\n",
    )
    .unwrap();

    let out = podready(&["deploy", "init", ".", "--dry-run"], repo.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: 2 deployable modules: order-web (war, described here), order-job (Spring Boot); for another, run `podready deploy init --module <folder>`"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("+  name: order-web"),
        "{}",
        stdout(&out)
    );

    let out = podready(
        &["deploy", "init", ".", "--module", "order-job"],
        repo.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(repo.path().join("deploy.yaml")).unwrap();
    let spec = DeploySpec::parse("deploy.yaml", &text).unwrap();
    assert_eq!(spec.app.name, "order-job");
    assert_eq!(spec.app.packaging, Packaging::Jar);
    assert!(
        text.contains("# spring-boot-maven-plugin in order-job/pom.xml: an executable jar"),
        "{text}"
    );

    let out = podready(
        &["deploy", "init", ".", "--module", "order-api"],
        repo.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = podready(&["deploy", "init", ".", "--module", "nope"], repo.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --module nope: no pom.xml in that folder; the deployable modules are: order-job, order-web\n"
    );
}

#[test]
fn an_aggregator_without_an_application_is_not_called_an_executable_jar() {
    let repo = copy_fixture("multi-module");
    let web = repo.path().join("order-web/pom.xml");
    let text = std::fs::read_to_string(&web).unwrap();
    std::fs::write(
        &web,
        text.replace("<packaging>war</packaging>", "<packaging>jar</packaging>"),
    )
    .unwrap();
    let out = podready(&["deploy", "init", ".", "--dry-run"], repo.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("# pom.xml only aggregates modules, none of them an application: assumed an executable jar, check it"),
        "{}",
        stdout(&out)
    );
}
