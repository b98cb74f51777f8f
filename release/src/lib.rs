//! The batched two-Deployment release: `plan` is the pure state machine
//! (observed state in, next actions out), `executor` carries its actions
//! out on a cluster and keeps its memory in an annotation.

pub mod executor;
pub mod plan;
