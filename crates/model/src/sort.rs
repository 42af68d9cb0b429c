//! Stable sorts that share their code.
//!
//! `slice::sort_by` is generic over its comparator, so each call site is its
//! own copy of the sort (a few KB of wasm each). Behind `&dyn Fn`, the call
//! sites that sort the same element type share one copy. Same algorithm and
//! comparisons, so the same order; the cost is an indirect call per
//! comparison, on the small slices the model sorts.

use std::cmp::Ordering;

/// `v.sort_by(cmp)`.
pub(crate) fn sort_by<T>(v: &mut [T], cmp: &dyn Fn(&T, &T) -> Ordering) {
    v.sort_by(cmp);
}

/// `v.sort_by_key(key)`.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, &|a, b| key(a).cmp(&key(b)));
}
