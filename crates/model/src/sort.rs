//! Sorts and ordered collections that share their code.
//!
//! std's stable sort is generic over the element type and the comparator, so
//! each call site is its own copy of it (about 4 KB of wasm each), and so is
//! each `collect` into a `BTreeMap` or `BTreeSet`, whose `FromIterator` sorts
//! its input. Here every sort sorts a `Vec<u32>` of indices through one
//! `&dyn Fn` comparator, which is a single copy of std's sort, and then moves
//! the elements into place; maps and sets are built by `insert`.
//!
//! The order is exactly std's: a stable sort of the indices, comparing the
//! elements they point at, puts equal elements in their original order, as a
//! stable sort of the elements does. The cost is an index vector and an
//! indirect call per comparison, on the small slices sorted here.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// `v.sort_by(cmp)`: stable.
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = order(v.len(), &|a, b| cmp(&v[a as usize], &v[b as usize]));
    permute(v, order);
}

/// `v.sort_by_key(key)`: stable.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort()`: stable.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// `iter.collect::<BTreeMap<_, _>>()`: on equal keys the last value wins.
/// (`insert` keeps the first of equal keys where `collect` keeps the last;
/// the keys sorted here compare equal only when they are the same.)
pub fn btree_map<K: Ord, V>(iter: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in iter {
        map.insert(k, v);
    }
    map
}

/// `iter.collect::<Result<BTreeMap<_, _>, E>>()`: the first error, or the
/// map as [`btree_map`] builds it.
pub fn try_btree_map<K: Ord, V, E>(
    iter: impl IntoIterator<Item = Result<(K, V), E>>,
) -> Result<BTreeMap<K, V>, E> {
    let mut map = BTreeMap::new();
    for item in iter {
        let (k, v) = item?;
        map.insert(k, v);
    }
    Ok(map)
}

/// `iter.collect::<BTreeSet<_>>()` (see [`btree_map`] on equal elements).
pub fn btree_set<T: Ord>(iter: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for x in iter {
        set.insert(x);
    }
    set
}

/// The indices `0..len` in the stable order of `cmp`. Not generic: the one
/// copy of std's sort in the program.
fn order(len: usize, cmp: &dyn Fn(u32, u32) -> Ordering) -> Vec<u32> {
    let len = u32::try_from(len).expect("a sorted slice has fewer than 2^32 elements");
    let mut order: Vec<u32> = (0..len).collect();
    #[allow(clippy::disallowed_methods)] // the one copy (clippy.toml)
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Moves `v[order[i]]` to `v[i]` for every `i`, following each cycle of the
/// permutation with swaps; `order` marks the positions already placed.
fn permute<T>(v: &mut [T], mut order: Vec<u32>) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at] as usize;
            // `at` < `order.len()`, which fits in u32 (see `order`).
            order[at] = at as u32;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // compares with std's sorts
mod tests {
    use super::*;

    /// Pseudo-random values with many ties, tagged by their original index.
    fn sample(seed: u64, len: usize) -> Vec<(u8, usize)> {
        let mut x = seed | 1;
        (0..len)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                ((x % 7) as u8, i)
            })
            .collect()
    }

    #[test]
    fn same_order_as_std_stable_sort() {
        for len in [0, 1, 2, 3, 5, 8, 17, 20, 21, 33, 64, 100, 257, 1000] {
            for seed in 1..20 {
                let mut ours = sample(seed, len);
                let mut want = ours.clone();
                sort_by_key(&mut ours, |&(k, _)| k);
                want.sort_by_key(|&(k, _)| k);
                assert_eq!(ours, want, "len {len} seed {seed}");

                let mut ours = sample(seed, len);
                let mut want = ours.clone();
                sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
                want.sort_by_key(|&(k, _)| std::cmp::Reverse(k));
                assert_eq!(ours, want, "reversed, len {len} seed {seed}");

                let mut ours = sample(seed, len);
                let mut want = ours.clone();
                sort(&mut ours);
                want.sort();
                assert_eq!(ours, want, "sort, len {len} seed {seed}");
            }
        }
    }

    #[test]
    fn moves_elements_that_are_not_copy() {
        let mut v: Vec<String> = ["d", "a", "c", "a", "b"].iter().map(|s| s.to_string()).collect();
        sort(&mut v);
        assert_eq!(v, ["a", "a", "b", "c", "d"]);
    }

    #[test]
    fn collections_as_collect_builds_them() {
        let pairs = [(3, "c"), (1, "a"), (3, "last"), (2, "b"), (1, "again")];
        assert_eq!(btree_map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(btree_set([5, 1, 5, 3]), BTreeSet::from([1, 3, 5]));
        assert!(btree_map(Vec::<(u8, u8)>::new()).is_empty());
        let results = [Ok((2, "b")), Err("first"), Ok((1, "a")), Err("second")];
        assert_eq!(try_btree_map(results), results.into_iter().collect::<Result<BTreeMap<_, _>, _>>());
        assert_eq!(try_btree_map::<_, _, ()>(pairs.map(Ok)), Ok(btree_map(pairs)));
    }
}
