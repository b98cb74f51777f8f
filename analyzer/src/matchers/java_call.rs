//! `java-call`: a method call or object creation, resolved through imports
//! and declared types, with constraints on its arguments, the calls made
//! later on its result (`derived`), and, with `through_helpers`, the
//! project's own methods and fields that hand its result on. It runs in the
//! Java walk (`crate::java::calls`).

use podready_rules::matcher::{CallReport, JavaCall};
use regex::Regex;

use super::{non_empty, type_part, Compiled, Invalid};
use crate::walk::FileKind;

pub(super) const READS: &[FileKind] = &[FileKind::Java];

/// One `java-call` target with its constraints.
#[derive(Debug)]
pub(crate) struct CallMatcher {
    pub rule: usize,
    /// The receiver type or static field (`java.lang.System.out`); `None`
    /// matches any receiver.
    pub receiver: Option<String>,
    pub is_new: bool,
    pub max_args: Option<usize>,
    pub first_arg_text: Option<Regex>,
    pub except_first_arg_text: Option<Regex>,
    pub except_inside: Vec<String>,
    pub first_arg_is: Vec<String>,
    pub derived: Vec<String>,
    pub derived_first_arg_text: Option<Regex>,
    /// Whether the call itself is a finding (else only derived calls are).
    pub reported: bool,
    /// Whether the project's methods and fields returning its result
    /// become sources too.
    pub through_helpers: bool,
    /// Whether the first argument is a listening port
    /// ([`podready_rules::matcher::JavaCall::port_arg`]).
    pub port_arg: bool,
}

pub(super) fn compile(rule: usize, m: &JavaCall, c: &mut Compiled) -> Result<(), Invalid> {
    let regex = |field: &'static str, re: &Option<String>| {
        re.as_deref()
            .map(|re| Regex::new(re).map_err(|e| Invalid::new(field, e.to_string())))
            .transpose()
    };
    let first_arg_text = regex("first_arg_text", &m.first_arg_text)?;
    let except_first_arg_text = regex("except_first_arg_text", &m.except_first_arg_text)?;
    if m.derived_first_arg_text.is_some() && m.derived.is_empty() {
        return Err(Invalid::new(
            "derived_first_arg_text",
            "it constrains derived calls, and `derived` is empty",
        ));
    }
    let derived_first_arg_text = regex("derived_first_arg_text", &m.derived_first_arg_text)?;
    if m.port_arg && (m.first_arg_text.is_some() || !m.first_arg_is.is_empty()) {
        return Err(Invalid::new(
            "port_arg",
            "it reads the first argument as a port number, which `first_arg_text` and `first_arg_is` constrain otherwise",
        ));
    }
    for target in non_empty("targets", &m.targets)? {
        let (is_new, body) = match target.strip_prefix("new ") {
            Some(t) => (true, t.trim()),
            None => (false, target.as_str()),
        };
        let valid = if is_new {
            !body.is_empty() && !body.contains('*')
        } else {
            body.split('.').count() >= 2
                && body
                    .split('.')
                    .enumerate()
                    .all(|(i, seg)| !seg.is_empty() && (seg != "*" || i == 0))
        };
        if !valid {
            return Err(Invalid::new(
                "targets",
                format!("`{target}` is not `pkg.Type.method`, `*.method` or `new pkg.Type`"),
            ));
        }
        let (receiver, key) = if is_new {
            let simple = body.rsplit('.').next().unwrap_or(body);
            c.known_types.insert(body.to_string());
            (Some(body.to_string()), simple.to_string())
        } else {
            let (recv, method) = body.rsplit_once('.').unwrap_or(("*", body));
            let receiver = (recv != "*").then(|| recv.to_string());
            if let Some(r) = &receiver {
                c.known_types.insert(type_part(r));
            }
            (receiver, method.to_string())
        };
        c.derived_methods.extend(m.derived.iter().cloned());
        c.known_types
            .extend(m.first_arg_is.iter().map(|f| type_part(f)));
        c.calls.entry(key).or_default().push(c.matchers.len());
        c.matchers.push(CallMatcher {
            rule,
            receiver,
            is_new,
            max_args: m.max_args,
            first_arg_text: first_arg_text.clone(),
            except_first_arg_text: except_first_arg_text.clone(),
            except_inside: m.except_inside.clone(),
            first_arg_is: m.first_arg_is.clone(),
            derived: m.derived.clone(),
            derived_first_arg_text: derived_first_arg_text.clone(),
            reported: m.report == CallReport::Call,
            through_helpers: m.through_helpers,
            port_arg: m.port_arg,
        });
    }
    Ok(())
}
