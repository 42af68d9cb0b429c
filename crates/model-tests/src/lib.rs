//! Property-based tests live in tests/.
