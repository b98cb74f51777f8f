//! `java-field-argument`: static fields (`System.out`) passed as an
//! argument to any call or constructor, or stored and used later. It runs
//! in the Java walk's flow (`crate::java::flow`).

use podready_rules::matcher::JavaFieldArgument;

use super::{non_empty, type_part, Compiled, Invalid};
use crate::walk::FileKind;

pub(super) const READS: &[FileKind] = &[FileKind::Java];

pub(super) fn compile(rule: usize, m: &JavaFieldArgument, c: &mut Compiled) -> Result<(), Invalid> {
    for f in non_empty("fields", &m.fields)? {
        if f.split('.').count() < 3 {
            return Err(Invalid::new(
                "fields",
                format!("`{f}` is not a static field `pkg.Type.field`"),
            ));
        }
    }
    for call in &m.except_calls {
        let Some((ty, method)) = call.rsplit_once('.').filter(|(ty, _)| ty.contains('.')) else {
            return Err(Invalid::new(
                "except_calls",
                format!("`{call}` is not a method `pkg.Type.method`"),
            ));
        };
        c.known_types.insert(ty.to_string());
        c.field_argument_exceptions
            .insert((rule, ty.to_string(), method.to_string()));
    }
    for f in &m.fields {
        let simple = f.rsplit('.').next().unwrap_or(f);
        c.known_types.insert(type_part(f));
        c.field_arguments
            .entry(simple.to_string())
            .or_default()
            .push((f.clone(), rule));
    }
    Ok(())
}
