//! The deploy spec from end to end: its schema and validation (`spec`),
//! what a repository says about it (`infer`), writing it into `deploy.yaml`
//! without touching what a person wrote (`write`), and rendering it to
//! Kubernetes objects (`render`). `deploy init` and `upgrade` write it; the
//! release engine applies what it renders.

pub mod infer;
pub mod render;
pub mod spec;
pub mod write;

pub use infer::{infer, InferError, InferredSpec};
pub use spec::{DeploySpec, SpecError};
pub use write::{merge_spec, render_spec, SpecMerge};
