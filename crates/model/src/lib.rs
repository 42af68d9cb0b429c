//! The deterministic consumer model (see ARCHITECTURE.md): no IO, no clock,
//! no OS randomness. Filled in by the model issue.
