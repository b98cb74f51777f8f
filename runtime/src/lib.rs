//! podready's pod runtime: the grant center and the release runtime.
//! Empty until those are built; the crate exists so the layout in
//! DESIGN.md holds from the start.
