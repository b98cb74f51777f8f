//! podready's pod runtime: the release runtime (manifest rendering, batch
//! planner, executor) and the grant center.

pub mod executor;
pub mod grant;
pub mod release;
pub mod render;
