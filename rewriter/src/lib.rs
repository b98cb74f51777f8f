//! podready's rewriter: changes files so that a reviewer sees exactly what
//! had to change and nothing else, and never leaves a half-written file.

mod atomic;

pub use atomic::{write_atomic, AtomicWriteError};
